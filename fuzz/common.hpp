#pragma once
// Shared by the libFuzzer harnesses: the shipped default profile, loaded once.
#include <cstdlib>
#include <string>

#include "hardened/json_file.hpp"
#include "hardened/profile.hpp"

namespace hardened::fuzz {

inline const json& default_profile_document() {
  static const json document = [] {
    auto file = read_json_file(std::string(HARDENED_SOURCE_DIR) + "/profiles/default.json");
    if (!file) std::abort();
    return file->document;
  }();
  return document;
}

inline const Profile& default_profile() {
  static const Profile profile = [] {
    auto parsed = parse_profile(default_profile_document(), "default");
    if (!parsed) std::abort();
    return *parsed;
  }();
  return profile;
}

// A property the code promises; a violation is a finding, like a crash.
inline void require(bool holds) {
  if (!holds) __builtin_trap();
}

}  // namespace hardened::fuzz
