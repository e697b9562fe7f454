#pragma once
// Every fallible step returns Result<T>: a refusal by policy is an expected outcome, not an exception.
#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace hardened {

struct Error {
  std::string message;  // lowercase, names the path or field, says what to do
};

template <class T>
using Result = tl::expected<T, Error>;

// Cold and out of line: the compiler moves every path that ends in a failure (and the building of its
// message) out of the function into its .cold part, so the code a create runs is the code it needs
// (fewer 64 KiB windows of the binary to fault in, fewer cache lines).
[[gnu::cold]] tl::unexpected<Error> fail(std::string message);

}  // namespace hardened
