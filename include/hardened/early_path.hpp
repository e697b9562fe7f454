#pragma once
// Marks a function the early pass-through path (fast_path.hpp) runs. GCC puts hot functions in
// .text.hot.* sections, which the linker lays out side by side: a `runc state` then touches a few pages
// of this 2 MB binary instead of one in every module it passes through (each a page fault, measured in
// the benchmark).
#define HARDENED_EARLY_PATH [[gnu::hot]]
