#pragma once
// The container a call runc passes straight through names (delete, kill, state, start, pause, resume,
// ps, events): its creation record (creation_record.hpp) then says which runtime, root and host config
// it lives with. Read without allocating, so the early pass-through path (fast_path.hpp) runs on it.
#include <cstddef>
#include <span>
#include <string_view>

namespace hardened {

// The first word after the subcommand that is neither a flag nor the value of one (runc 1.1-1.3 and
// crun: ps --format/-f and events --interval take a value); empty when the subcommand names no single
// container (list, spec, crun's --regex) or none is given.
std::string_view passthrough_container(std::span<const std::string_view> argv, std::size_t subcommand_index);

}  // namespace hardened
