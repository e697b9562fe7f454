// The container's mount namespace is its own, and what runc mounts stays in it. Judged whatever the
// profile says: no engine asks otherwise, and either way the container's mounts reach the host.
//   - linux.namespaces has a "mount" entry, without "path". With none, runc sets the container up in
//     the host's mount namespace. With a path it joins that namespace and pivot_root moves the root of
//     every process in it into the bundle's rootfs: /proc/1/ns/mnt is the host's, and another
//     container's is that container.
//   - No "shared"/"rshared" propagation (linux.rootfsPropagation, mounts[].options): runc makes the
//     container's root, or that mount, a peer of the host mount it came from, and every mount runc or
//     the container makes below it appears on the host too (a bind of the bundle over /etc/cron.d).
//     Docker writes it for `-v SRC:DST:rshared` and --mount bind-propagation=rshared; Kubernetes for
//     mountPropagation: Bidirectional.
#include "rules.hpp"

namespace hardened::rules {
namespace {

bool is_shared(const json& word) {
  return word.is_string() && (word.get_ref<const std::string&>() == "shared" || word.get_ref<const std::string&>() == "rshared");
}

}  // namespace

Result<void> mount_namespace(const json& spec, Findings& denials) {
  const json* namespaces = linux_member(spec, "namespaces");
  const json* own = nullptr;
  if (namespaces != nullptr && namespaces->is_array()) {
    for (const auto& ns : *namespaces) {
      const json* type = ns.is_object() ? member(ns, "type") : nullptr;
      if (type != nullptr && type->is_string() && type->get_ref<const std::string&>() == "mount") own = &ns;
    }
  }
  const json* path = own != nullptr ? member(*own, "path") : nullptr;
  if (own == nullptr) {
    denials.push_back({"mount_namespace", "refused by rule mount_namespace: the container has no mount namespace of its own "
                                          "(no \"mount\" in linux.namespaces), so runc would set it up among the host's own mounts; "
                                          "add {\"type\": \"mount\"} to linux.namespaces"});
  } else if (path != nullptr && !(path->is_string() && path->get_ref<const std::string&>().empty())) {
    const std::string named = path->is_string() ? path->get<std::string>() : path->dump();
    denials.push_back({"mount_namespace", "refused by rule mount_namespace: the container joins the existing mount namespace " + named +
                                          ", and runc's pivot_root would move the root of every process in it (the host's, for "
                                          "/proc/1/ns/mnt) into this container's rootfs; remove \"path\" from the \"mount\" entry of "
                                          "linux.namespaces"});
  }

  std::vector<std::string> shared;
  if (const json* linux_section = member(spec, "linux"); linux_section != nullptr && linux_section->is_object()) {
    if (const json* root = member(*linux_section, "rootfsPropagation"); root != nullptr) {
      if (!root->is_string()) return fail("linux.rootfsPropagation must be a string");
      if (is_shared(*root)) shared.push_back("the container's root (linux.rootfsPropagation " + root->get<std::string>() + ")");
    }
  }
  if (const json* mounts = member(spec, "mounts"); mounts != nullptr && mounts->is_array()) {
    for (const auto& mount : *mounts) {
      const json* options = mount.is_object() ? member(mount, "options") : nullptr;
      if (options == nullptr || !options->is_array() || std::none_of(options->begin(), options->end(), is_shared)) continue;
      const json* destination = member(mount, "destination");
      shared.push_back("the mount on " + (destination != nullptr && destination->is_string() ? destination->get<std::string>() : "?"));
    }
  }
  if (!shared.empty()) {
    denials.push_back({"mount_namespace", "refused by rule mount_namespace: the container asks for shared mount propagation on " +
                                          list_names(shared) + ", so the mounts made below it appear on the host too, where they can "
                                          "cover the host's own files; use rprivate or rslave (docker run -v SRC:DST without :shared "
                                          "or :rshared, --mount without bind-propagation=rshared)"});
  }
  return {};
}

}  // namespace hardened::rules
