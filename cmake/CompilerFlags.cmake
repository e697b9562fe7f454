# One INTERFACE target carries warnings and hardening flags; every target of ours links it PRIVATE.
add_library(hardened_flags INTERFACE)
target_compile_options(hardened_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -fstack-protector-strong -fPIE -ffunction-sections -fdata-sections
  # glibc's fortified calls need the optimiser: at -O0 the define only earns a warning.
  $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
# Warnings are errors for developers and CI (scripts/test.sh turns this on), not for whoever packages
# the project with another compiler or build type.
if(HARDENED_WERROR)
  target_compile_options(hardened_flags INTERFACE -Werror)
endif()
# GCC 12 at -O3 reports impossible overlaps in inlined std::string concatenation (GCC bug 105329);
# it fires or not depending on inlining elsewhere, so it cannot be kept as an error.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(hardened_flags INTERFACE -Wno-restrict)
endif()
target_link_options(hardened_flags INTERFACE -Wl,--gc-sections -Wl,-z,relro,-z,now $<$<NOT:$<BOOL:${HARDENED_STATIC}>>:-pie>)
if(HARDENED_SANITIZE)
  target_compile_options(hardened_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(hardened_flags INTERFACE -fsanitize=address,undefined)
endif()
if(HARDENED_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HARDENED_FUZZ needs clang: CC=clang CXX=clang++ (scripts/fuzz.sh does this)")
  endif()
  # Coverage for libFuzzer in every object of ours; the harnesses link the fuzzer's main.
  target_compile_options(hardened_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -g)
  target_link_options(hardened_flags INTERFACE -fsanitize=address,undefined)
endif()
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "" FORCE)
endif()
