// A read-only root filesystem, with the profile's tmpfs mounts (noexec,nosuid,nodev) where writes are
// needed. A destination the container already mounts something on is left to the container.
#include <algorithm>

#include "rules.hpp"

namespace hardened::rules {
namespace {

std::string without_trailing_slash(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

bool is_under(const std::string& path, const std::string& dir) {
  return dir == "/" ? path != "/" : path.starts_with(dir + "/");
}

std::string joined(const json& options) {
  std::string out;
  for (const auto& o : options) out += (out.empty() ? "" : ",") + o.get<std::string>();
  return out;
}

}  // namespace

Result<void> rootfs(json& spec, const Profile& profile, Changes& changes) {
  json* root = member(spec, "root");
  if (root == nullptr || !root->is_object()) return fail("config.json has no root object: there is no root filesystem to protect");
  bool readonly = false;
  if (const json* value = member(*root, "readonly")) {
    auto flag = as_bool(*value, "root.readonly");
    if (!flag) return tl::unexpected(flag.error());
    readonly = *flag;
  }
  if (profile.readonly_rootfs && !readonly) {
    (*root)["readonly"] = true;
    changes.push_back({"rootfs", "made the root filesystem read-only"});
  }

  if (profile.tmpfs.empty()) return {};
  json* mounts = member(spec, "mounts");
  if (mounts == nullptr) {
    spec["mounts"] = json::array();
    mounts = &spec["mounts"];
  }
  if (!mounts->is_array()) return fail("mounts must be a list");
  std::vector<std::string> destinations;
  for (std::size_t i = 0; i < mounts->size(); ++i) {
    const json& m = (*mounts)[i];
    const json* dest = m.is_object() ? member(m, "destination") : nullptr;
    if (dest == nullptr || !dest->is_string()) return fail("mounts[" + std::to_string(i) + "].destination must be a string");
    destinations.push_back(without_trailing_slash(dest->get<std::string>()));
  }
  for (const json& tmpfs : profile.tmpfs) {
    const std::string dest = without_trailing_slash(tmpfs["destination"].get<std::string>());
    if (std::find(destinations.begin(), destinations.end(), dest) != destinations.end()) continue;
    // runc mounts in order: a mount below `dest` must come after it, or the tmpfs would hide it.
    auto below = std::find_if(destinations.begin(), destinations.end(), [&](const std::string& d) { return is_under(d, dest); });
    const auto at = below - destinations.begin();
    mounts->insert(mounts->begin() + at, tmpfs);
    destinations.insert(destinations.begin() + at, dest);
    changes.push_back({"rootfs", "added a tmpfs on " + dest + " (" + joined(tmpfs["options"]) + ")"});
  }
  return {};
}

}  // namespace hardened::rules
