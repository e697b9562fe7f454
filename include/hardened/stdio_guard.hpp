#pragma once
// Host files are never handed over as stdio (stdio_guard.cpp): what runc gets as stdin/stdout/stderr
// of a container process, which it chowns to the container user.
#include <string>

#include "hardened/error.hpp"

namespace hardened {

enum class StdioKind {
  closed,       // not open
  keep,         // a pipe, socket, FIFO or terminal: passed as it is
  null_device,  // char 1:3: replaced by a private null node
  relay,        // a regular file, another device, anything else: replaced by a relayed pipe
};
StdioKind classify_stdio(int fd);

// Replaces fds 0, 1 and 2 of this process as their kind says, just before the exec of runc. The private
// null node lives in <state_dir>/stdio (root's, 0700); without a state_dir the null device is relayed.
Result<void> guard_stdio(const std::string& state_dir);

}  // namespace hardened
