// Refusals: what no amount of rewriting can make safe, so the container does not start at all.
// Each message names the rule, why, and the way out.
#include <algorithm>

#include "rules.hpp"

namespace hardened::rules {
namespace {

std::string normalized(std::string path) {
  // Lexical only: "//a/./b/" -> "/a/b". Symlinks are resolved by the edge (HostFacts), not here.
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

bool same_or_under(const std::string& path, const std::string& dir) {
  return path == dir || dir == "/" || path.starts_with(dir + "/");
}

bool is_bind(const json& mount) {
  if (const json* type = member(mount, "type"); type != nullptr && type->is_string() && type->get<std::string>() == "bind") return true;
  if (const json* options = member(mount, "options"); options != nullptr && options->is_array()) {
    return std::any_of(options->begin(), options->end(), [](const json& o) { return o == "bind" || o == "rbind"; });
  }
  return false;
}

Result<void> deny_privileged(const json& spec) {
  const json* linux_section = member(spec, "linux");
  const json* res = linux_section != nullptr && linux_section->is_object() ? member(*linux_section, "resources") : nullptr;
  const json* devices = res != nullptr && res->is_object() ? member(*res, "devices") : nullptr;
  if (devices == nullptr || !devices->is_array()) return {};
  for (const auto& rule : *devices) {
    if (!rule.is_object() || rule.value("allow", false) != true) continue;
    const std::string type = rule.contains("type") && rule["type"].is_string() ? rule["type"].get<std::string>() : "a";
    const bool any_major = !rule.contains("major") || rule["major"].is_null() || rule["major"] == -1;
    const bool any_minor = !rule.contains("minor") || rule["minor"].is_null() || rule["minor"] == -1;
    if (type == "a" && any_major && any_minor) {
      return fail("refused by rule deny.privileged: the container may use every host device, as docker run --privileged "
                  "asks; run it without --privileged, giving it only the devices (--device) and capabilities it needs, "
                  "or select a profile whose deny.privileged is false");
    }
  }
  return {};
}

std::string docker_flag(const std::string& type) {
  if (type == "user") return "--userns";
  if (type == "cgroup") return "--cgroupns";
  return "--" + type;
}

Result<void> deny_host_namespaces(const json& spec, const Profile& profile) {
  if (profile.deny_host_namespaces.empty()) return {};
  const json* linux_section = member(spec, "linux");
  const json* namespaces = linux_section != nullptr && linux_section->is_object() ? member(*linux_section, "namespaces") : nullptr;
  if (namespaces != nullptr && !namespaces->is_array()) return fail("linux.namespaces must be a list");
  for (const auto& type : profile.deny_host_namespaces) {
    const bool own = namespaces != nullptr && std::any_of(namespaces->begin(), namespaces->end(), [&](const json& ns) {
                       return ns.is_object() && ns.value("type", "") == type;
                     });
    if (!own) {
      return fail("refused by rule deny.host_namespaces: the container shares the host's " + type +
                  " namespace (docker run " + docker_flag(type) + "=host); run it without " +
                  docker_flag(type) + "=host, or select a profile that does not list '" + type + "' in deny.host_namespaces");
    }
  }
  return {};
}

Result<void> deny_bind_sources(const json& spec, const Profile& profile, const HostFacts& facts) {
  const json* mounts = member(spec, "mounts");
  if (mounts == nullptr || profile.deny_bind_sources.empty()) return {};
  if (!mounts->is_array()) return fail("mounts must be a list");
  for (const auto& mount : *mounts) {
    if (!mount.is_object() || !is_bind(mount)) continue;
    const json* source = member(mount, "source");
    if (source == nullptr || !source->is_string()) continue;
    const std::string written = source->get<std::string>();
    // The path as written and, when it goes through a symlink, the path it really is.
    std::vector<std::string> candidates{normalized(written)};
    if (auto it = facts.resolved_sources.find(written); it != facts.resolved_sources.end()) {
      candidates.push_back(normalized(it->second));
    }
    for (const auto& denied : profile.deny_bind_sources) {
      const std::string sensitive = normalized(denied);
      // Binding the path itself, something inside it, or a directory that contains it.
      auto hit = std::find_if(candidates.begin(), candidates.end(), [&](const std::string& src) {
        return same_or_under(src, sensitive) || same_or_under(sensitive, src);
      });
      if (hit != candidates.end()) {
        const std::string src = candidates.front();
        const std::string dest = mount.value("destination", "?");
        std::string what = src == sensitive ? "the host's " + src : "host path " + src + " (which holds " + sensitive + ")";
        if (hit != candidates.begin()) what = "host path " + src + " (a symlink to " + *hit + ")";
        return fail("refused by rule deny.bind_sources: the container bind-mounts " + what + " on " + dest +
                    ", and that gives control of the host; remove that -v/--mount, or select a profile that does not "
                    "list " + denied + " in deny.bind_sources");
      }
    }
  }
  return {};
}

}  // namespace

Result<void> deny(const json& spec, const Profile& profile, const HostFacts& facts) {
  if (profile.deny_privileged) {
    if (auto ok = deny_privileged(spec); !ok) return ok;
  }
  if (auto ok = deny_host_namespaces(spec, profile); !ok) return ok;
  return deny_bind_sources(spec, profile, facts);
}

}  // namespace hardened::rules
