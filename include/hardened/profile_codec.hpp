#pragma once
// A parsed and checked profile written down and read back without parsing or checking it again: the
// seccomp memo (seccomp_memo.hpp) keeps it beside the meet it was computed with, so a create whose
// meet is remembered parses no profile at all. Only what the rules read after a remembered meet is
// kept: the profile's filter (`seccomp`) is not, and a decoded profile has none (as seccomp_docker_format
// is false: Docker-format profiles are never remembered).
#include <optional>
#include <string>
#include <string_view>

#include "hardened/profile.hpp"

namespace hardened {

std::string encode_profile(const Profile& profile);

// nullopt unless `text` is exactly what encode_profile wrote. The name is the one the profile was
// selected by (two names may hold the same text).
std::optional<Profile> decode_profile(std::string_view text, const std::string& name);

}  // namespace hardened
