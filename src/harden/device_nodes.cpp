// Refusals: a mount over /dev or one of the device nodes runc creates in it. runc decides whether to
// chown the caller's stdin/stdout/stderr to the container user by comparing them with the container's
// /dev/null; a bind over /dev/null (or over /dev) makes that comparison lie, and a node such as
// /dev/urandom or /dev/ptmx replaced by a host file misleads every program in the container. What stays
// allowed is what the clients themselves write: a tmpfs on /dev (runc fills it), devpts on /dev/pts,
// a tmpfs on /dev/shm or Docker's own bind of <container>/mounts/shm there (not the host's /dev/shm).
#include <algorithm>

#include "rules.hpp"

namespace hardened::rules {
namespace {

bool same_or_under(const std::string& path, const std::string& dir) { return path == dir || path.starts_with(dir + "/"); }

std::string type_of(const json& mount) {
  if (is_bind(mount)) return "bind";
  const json* type = member(mount, "type");
  return type != nullptr && type->is_string() ? type->get<std::string>() : "";
}

// The bind source as written and, through symlinks, as it resolves (HostFacts).
std::vector<std::string> sources(const json& mount, const HostFacts& facts) {
  const json* source = member(mount, "source");
  if (source == nullptr || !source->is_string()) return {};
  const std::string written = source->get<std::string>();
  std::vector<std::string> out{lexical_path(written)};
  if (auto it = facts.resolved_sources.find(written); it != facts.resolved_sources.end()) out.push_back(lexical_path(it->second));
  return out;
}

// Why a mount on `dest` of `type` is refused, or "" when it is not.
std::string why(const std::string& dest, const std::string& type, const json& mount, const HostFacts& facts) {
  static constexpr std::string_view kNodes[]{"/dev/null",    "/dev/zero",    "/dev/full", "/dev/random",
                                             "/dev/urandom", "/dev/tty",     "/dev/console", "/dev/ptmx"};
  for (std::string_view node : kNodes) {
    if (same_or_under(dest, std::string(node))) return "the device node " + std::string(node);
  }
  if (dest == "/dev" && type != "tmpfs") return "/dev, where runc creates the device nodes,";
  if (same_or_under(dest, "/dev/pts") && (dest != "/dev/pts" || type != "devpts")) return "/dev/pts, the container's terminals,";
  if (dest == "/dev/shm" && type == "bind") {
    const auto from = sources(mount, facts);
    if (std::any_of(from.begin(), from.end(), [](const std::string& s) { return same_or_under(s, "/dev"); })) {
      return "/dev/shm with the host's " + from.back() + ",";
    }
  }
  return "";
}

}  // namespace

void device_nodes(const json& spec, const Profile& profile, const HostFacts& facts, Findings& denials) {
  const json* mounts = member(spec, "mounts");
  if (!profile.deny_device_nodes || mounts == nullptr || !mounts->is_array()) return;
  for (const auto& mount : *mounts) {
    const json* dest = mount.is_object() ? member(mount, "destination") : nullptr;
    if (dest == nullptr || !dest->is_string()) continue;  // malformed: the rewriting rules report it
    const std::string path = lexical_path(dest->get<std::string>());
    const std::string type = type_of(mount);
    const std::string what = why(path, type, mount, facts);
    if (what.empty()) continue;
    denials.push_back({"deny.device_nodes",
                       "refused by rule deny.device_nodes: the container mounts " + (type.empty() ? std::string("something") : "a " + type) +
                           " over " + what + " on " + path +
                           " (mounts[].destination); a mount there can make runc hand the caller's stdin/stdout/stderr to "
                           "the container user and replaces what every program expects to find; remove that -v/--mount "
                           "(docker run -v …:" + path + "), or select a profile whose deny.device_nodes is false"});
  }
}

}  // namespace hardened::rules
