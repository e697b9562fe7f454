// Refusals: a mount over /dev or one of the device nodes runc creates in it. runc init, still root,
// reopens every stdio descriptor that looks like the container's /dev/null onto whatever is at that
// path, read-write: a host file bound there becomes the container process's stdin and stdout,
// whatever its owner and mode. And a node such as /dev/urandom or /dev/ptmx replaced by a host file
// misleads every program in the container. Judged where runc mounts (an image's symlink x ->
// /dev/null makes a mount on /x one on /dev/null). What stays allowed is what the clients themselves
// write: a tmpfs on /dev (runc fills it), devpts on /dev/pts, a tmpfs on /dev/shm or Docker's own bind
// of <container>/mounts/shm there (not the host's /dev/shm).
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
    const std::string lands = landing(mount, facts);  // judged where runc mounts it, the image's symlinks followed
    const std::string type = type_of(mount);
    const std::string what = why(lands, type, mount, facts);
    if (what.empty()) continue;
    denials.push_back({"deny.device_nodes",
                       "refused by rule deny.device_nodes: the container mounts " + (type.empty() ? std::string("something") : "a " + type) +
                           " over " + what + " on " + path +
                           (lands != path ? " (a symlink in the container's filesystem leads " + path + " there)" : std::string()) +
                           " (mounts[].destination); " +
                           (same_or_under("/dev/null", lands) ? "runc, as root, reopens the container's stdin/stdout/stderr onto what is mounted there"
                                                               : "a mount there replaces what every program expects to find") + "; remove that -v/--mount "
                           "(docker run -v …:" + path + "), or select a profile whose deny.device_nodes is false"});
  }
}

}  // namespace hardened::rules
