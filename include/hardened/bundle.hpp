#pragma once
// A bundle's config.json read and hardened, not yet written: what `create` writes and what
// `explain` shows come from this one function, so the preview cannot differ from the real thing.
#include <string>

#include "hardened/harden.hpp"
#include "hardened/json_file.hpp"

namespace hardened {

struct BundlePlan {
  std::string path;  // the config.json
  JsonFile original;
  Hardened hardened;
};

Result<BundlePlan> plan_bundle(const std::string& config_json, const Profile& profile);

}  // namespace hardened
