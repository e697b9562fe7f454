#include "hardened/error.hpp"

namespace hardened {

tl::unexpected<Error> fail(std::string message) { return tl::unexpected<Error>(Error{std::move(message)}); }

}  // namespace hardened
