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

inline tl::unexpected<Error> fail(std::string message) { return tl::unexpected<Error>(Error{std::move(message)}); }

}  // namespace hardened
