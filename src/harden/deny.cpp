// Refusals: what no amount of rewriting can make safe, so the container does not start at all.
// Each message names the rule, why, and the way out.
#include <algorithm>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>

#include "rules.hpp"

namespace hardened::rules {
namespace {

const json* linux_list(const json& spec, const char* key) {
  const json* value = linux_member(spec, key);
  return value != nullptr && value->is_array() ? value : nullptr;
}

const json* device_rules(const json& spec) {
  const json* res = linux_member(spec, "resources");
  const json* devices = res != nullptr && res->is_object() ? member(*res, "devices") : nullptr;
  return devices != nullptr && devices->is_array() ? devices : nullptr;
}

bool any_number(const json& rule, const char* key) { return !rule.contains(key) || rule[key].is_null() || rule[key] == -1; }

void deny_privileged(const json& spec, Findings& denials) {
  const json* rules = device_rules(spec);
  if (rules == nullptr) return;
  for (const auto& rule : *rules) {
    if (!rule.is_object() || rule.value("allow", false) != true) continue;
    if (rule.value("type", "a") == "a" && any_number(rule, "major") && any_number(rule, "minor")) {
      denials.push_back({"deny.privileged",
                         "refused by rule deny.privileged: the container may use every host device, as docker run --privileged "
                         "asks; run it without --privileged, giving it only the devices (--device) and capabilities it needs, "
                         "or select a profile whose deny.privileged is false"});
      return;
    }
  }
}

std::string docker_flag(const std::string& type) {
  if (type == "user") return "--userns";
  if (type == "cgroup") return "--cgroupns";
  return "--" + type;
}

// dockerd's --network host joins the namespace it bind-mounted here from its own; the edge also
// compares every namespace path with the host's by inode (HostFacts), this only covers the default.
bool is_docker_host_netns(const std::string& path) {
  return path == "/var/run/docker/netns/default" || path == "/run/docker/netns/default";
}

void deny_host_namespaces(const json& spec, const Profile& profile, const HostFacts& facts, Findings& denials) {
  const json* namespaces = linux_list(spec, "namespaces");
  for (const auto& type : profile.deny_host_namespaces) {
    std::string how;  // empty: the container has its own namespace of this type
    const json* own = nullptr;
    if (namespaces != nullptr) {
      for (const auto& ns : *namespaces) {
        if (ns.is_object() && ns.value("type", "") == type) own = &ns;
      }
    }
    if (own == nullptr) {
      how = "shares the host's " + type + " namespace";
    } else if (const json* path = member(*own, "path"); path != nullptr && path->is_string()) {
      const std::string& p = path->get_ref<const std::string&>();
      if (facts.host_namespace_paths.contains(p) || (type == "network" && is_docker_host_netns(p))) {
        how = "joins the host's " + type + " namespace through " + p;
      }
    }
    if (!how.empty()) {
      denials.push_back({"deny.host_namespaces", "refused by rule deny.host_namespaces: the container " + how + " (docker run " +
                                                     docker_flag(type) + "=host); run it without " + docker_flag(type) +
                                                     "=host, or select a profile that does not list '" + type +
                                                     "' in deny.host_namespaces"});
    }
  }
}

// The character devices every container gets (null, zero, full, random, urandom, tty, console,
// ptmx, the pty slaves): runc and dockerd allow these themselves.
bool is_default_device(const std::string& type, std::int64_t major, std::int64_t minor) {
  if (type != "c") return false;
  if (major == 1) return minor == 3 || minor == 5 || minor == 7 || minor == 8 || minor == 9;
  if (major == 5) return minor == 0 || minor == 1 || minor == 2;
  return major == 136;
}

void deny_devices(const json& spec, const Profile& profile, Findings& denials) {
  std::vector<std::pair<std::int64_t, std::int64_t>> allowed_numbers;  // major:minor of allowed device nodes
  std::vector<std::string> refused;
  if (const json* devices = linux_list(spec, "devices")) {
    for (const auto& device : *devices) {
      const std::string path = device.is_object() ? device.value("path", "") : "";
      if (std::find(profile.devices_allowed.begin(), profile.devices_allowed.end(), path) != profile.devices_allowed.end()) {
        allowed_numbers.emplace_back(device.value("major", std::int64_t{-2}), device.value("minor", std::int64_t{-2}));
      } else {
        refused.push_back(path);
      }
    }
  }
  if (!refused.empty()) {
    const std::string flag = refused.size() == 1 ? "--device " + refused.front() : "those --device options";
    denials.push_back({"deny.devices", "refused by rule deny.devices: the container asks for host device" +
                                           std::string(refused.size() == 1 ? " " : "s ") + list_names(refused, 4) +
                                           " (docker run --device); remove " + flag +
                                           ", or select a profile that lists " + (refused.size() == 1 ? "it" : "them") +
                                           " in deny.devices_allowed"});
  }
  const json* rules = device_rules(spec);
  if (rules == nullptr) return;
  for (const auto& rule : *rules) {
    if (!rule.is_object() || rule.value("allow", false) != true) continue;
    const std::string access = rule.value("access", "rwm");
    if (access.find_first_of("rw") == std::string::npos) continue;  // mknod alone opens nothing
    const std::string type = rule.value("type", "a");
    if (type == "a" && any_number(rule, "major") && any_number(rule, "minor")) continue;  // deny.privileged's case
    const std::int64_t major = any_number(rule, "major") ? -1 : rule.value("major", std::int64_t{-1});
    const std::int64_t minor = any_number(rule, "minor") ? -1 : rule.value("minor", std::int64_t{-1});
    if (major >= 0 && minor >= 0 &&
        (is_default_device(type, major, minor) ||
         std::find(allowed_numbers.begin(), allowed_numbers.end(), std::pair{major, minor}) != allowed_numbers.end())) {
      continue;
    }
    if (type == "c" && major == 136) continue;  // the container's own ptys
    const auto number = [](std::int64_t n) { return n < 0 ? std::string("*") : std::to_string(n); };
    if (major >= 0 && minor >= 0 && !refused.empty()) continue;  // the node itself is already refused above
    denials.push_back({"deny.devices", "refused by rule deny.devices: the container's device cgroup allows " + type + " " +
                                           number(major) + ":" + number(minor) + " " + access +
                                           " (docker run --device-cgroup-rule); remove that rule, or select a profile "
                                           "whose deny.devices is false"});
    return;
  }
}

bool sysctl_allowed(const std::string& name, const std::vector<std::string>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& pattern) {
    return pattern.ends_with("*") ? name.starts_with(pattern.substr(0, pattern.size() - 1)) : name == pattern;
  });
}

void deny_sysctls(const json& spec, const Profile& profile, Findings& denials) {
  const json* sysctls = linux_member(spec, "sysctl");
  if (sysctls == nullptr || !sysctls->is_object()) return;
  for (const auto& [name, _] : sysctls->items()) {
    if (sysctl_allowed(name, profile.sysctls_allowed)) continue;
    denials.push_back({"deny.sysctls", "refused by rule deny.sysctls: the container sets sysctl " + name +
                                           " (docker run --sysctl), which is not in the profile's safe list; remove --sysctl " +
                                           name + ", or select a profile that lists it in deny.sysctls_allowed"});
  }
}

void deny_capabilities(const json& spec, const Profile& profile, Findings& denials) {
  const json* process = member(spec, "process");
  const json* caps = process != nullptr && process->is_object() ? member(*process, "capabilities") : nullptr;
  if (caps == nullptr || !caps->is_object()) return;
  std::vector<std::string> asked;
  for (const auto& [set, list] : caps->items()) {
    if (!list.is_array()) continue;
    for (const auto& cap : list) {
      if (!cap.is_string()) continue;
      const std::string& name = cap.get_ref<const std::string&>();
      if (std::find(profile.capabilities_deny.begin(), profile.capabilities_deny.end(), name) != profile.capabilities_deny.end() &&
          std::find(asked.begin(), asked.end(), name) == asked.end()) {
        asked.push_back(name);
      }
    }
  }
  if (asked.empty()) return;
  std::string flags;
  for (const auto& cap : asked) flags += (flags.empty() ? "--cap-add " : " --cap-add ") + cap.substr(4);
  const bool one = asked.size() == 1;
  denials.push_back({"capabilities.deny", "refused by rule capabilities.deny: the container asks for " + list_names(asked) +
                                              " (docker run " + flags + "), which " + (one ? "gives" : "give") +
                                              " control of the host; remove " + (one ? "it" : "them") +
                                              ", or select a profile that does not list " + (one ? "it" : "them") +
                                              " in capabilities.deny"});
}

// SELinux types its policy does not confine, or lets do what they like: a container in one of them is
// the host's equal (Fedora's spc_t is "super privileged container"). Only the type field counts, and
// an alias is the type it names (docker_t is container_runtime_t, unconfined_crontab_t unconfined_t).
// The names a container engine or Kubernetes user would write; a host policy has other unconfined
// domains (unconfined_domain()), which a name alone cannot tell.
constexpr std::string_view kUnconfinedSelinuxTypes[]{"spc_t",   "unconfined_t", "unconfined_service_t", "container_runtime_t", "docker_t",
                                                     "kubelet_t", "kernel_t",     "init_t",               "initrc_t",            "unconfined_crontab_t"};

// A label as the kernel reads what runc writes: a C string, ending at a NUL (which JSON can carry as
// \u0000).
std::string_view c_string(std::string_view text) { return text.substr(0, text.find('\0')); }

// That, trimmed (AppArmor strips blanks, SELinux a final newline).
std::string_view trimmed(std::string_view text) {
  constexpr std::string_view kBlank = " \t\n\r\f\v";
  text = c_string(text);
  const std::size_t first = text.find_first_not_of(kBlank);
  return first == std::string_view::npos ? std::string_view{} : text.substr(first, text.find_last_not_of(kBlank) - first + 1);
}

// The type of an SELinux label user:role:type[:level] ("" if it has fewer fields).
std::string_view selinux_type(std::string_view label) {
  label = c_string(label);
  const std::size_t role = label.find(':');
  const std::size_t type = role == std::string_view::npos ? role : label.find(':', role + 1);
  if (type == std::string_view::npos) return {};
  return trimmed(label.substr(type + 1, label.find(':', type + 1) - type - 1));
}

// A stack member's profile name: trimmed, without the "&" that stacks it on runc's own label.
std::string_view member_name(std::string_view part) {
  const std::string_view profile = trimmed(part);
  return profile.starts_with('&') ? trimmed(profile.substr(1)) : profile;
}

// One member of an AppArmor label as the kernel resolves it (aa_change_profile, aa_splitn_fqname,
// aa_lookupn_profile): "&NAME" stacks NAME on runc's own label, which is unconfined, so it is NAME;
// ":ns:NAME", ":ns//NAME" and ":ns://NAME" are NAME in namespace ns, and a namespace with no NAME
// (":ns", ":ns:") is that namespace's unconfined; and since Linux 4.13 a name that is a prefix of
// "unconfined" ("u", "unconf") finds unconfined when no profile of that very name is loaded.
bool unconfined_member(std::string_view part) {
  const bool stacked = trimmed(part).starts_with('&');
  std::string_view profile = member_name(part);
  if (profile.starts_with(':')) {
    profile.remove_prefix(1);
    const std::size_t colon = profile.find(':'), slashes = profile.find("//");
    const std::size_t ns_end = std::min(colon, slashes);
    if (ns_end == std::string_view::npos) return true;
    profile.remove_prefix(ns_end + (ns_end == colon ? 1 : 2));
    if (profile.starts_with("//")) profile.remove_prefix(2);
    profile = trimmed(profile);
    if (profile.empty()) return true;
  }
  if (profile.empty()) return stacked;
  return std::string_view("unconfined").starts_with(profile);
}

// The members of an AppArmor label as the kernel reads it (up to a NUL; "a//&b" is a stack of a and b).
std::vector<std::string_view> apparmor_members(std::string_view name) {
  name = c_string(name);
  std::vector<std::string_view> members;
  if (trimmed(name).empty()) return members;  // no profile: runc applies none
  for (std::size_t start = 0;;) {
    const std::size_t stack = name.find("//&", start);
    members.push_back(name.substr(start, stack == std::string_view::npos ? stack : stack - start));
    if (stack == std::string_view::npos) return members;
    start = stack + 3;
  }
}

// A member that names a profile this host has loaded in a mode that does not confine, and that mode.
std::optional<std::pair<std::string, std::string>> loaded_unconfining(std::string_view part, const HostFacts& facts) {
  const auto it = facts.apparmor_modes.find(std::string(member_name(part)));
  if (it == facts.apparmor_modes.end() || (it->second != "unconfined" && it->second != "complain")) return std::nullopt;
  return *it;
}

// SELinux reads a label that begins with a newline or a NUL as no label at all (selinux_setprocattr):
// the process stays in runc's own domain, or the policy moves it to spc_t.
bool clears_selinux_label(std::string_view label) { return !label.empty() && (label.front() == '\n' || label.front() == '\0'); }

// The container's process without confinement by the host's LSM. Docker, podman and containerd write
// these fields only when the host has that LSM, so on a host without one they are absent and this
// refuses nothing; runc, given them by hand, ignores them there. Either way the request is judged.
// An AppArmor profile is also judged by what it is on this host: loaded unconfined or in complain mode.
void deny_lsm_unconfined(const json& spec, const HostFacts& facts, Findings& denials) {
  const json* process = member(spec, "process");
  if (process == nullptr || !process->is_object()) return;
  const std::string way_out = "; remove that option, or select a profile whose deny.lsm_unconfined is false";
  if (const json* apparmor = member(*process, "apparmorProfile"); apparmor != nullptr && apparmor->is_string()) {
    const auto members = apparmor_members(apparmor->get_ref<const std::string&>());
    if (std::any_of(members.begin(), members.end(), unconfined_member)) {
      denials.push_back({"deny.lsm_unconfined", "refused by rule deny.lsm_unconfined: the container would run without AppArmor "
                                                "confinement (docker run --security-opt apparmor=unconfined)" + way_out});
    } else {
      for (const std::string_view part : members) {
        if (const auto loaded = loaded_unconfining(part, facts)) {
          denials.push_back({"deny.lsm_unconfined", "refused by rule deny.lsm_unconfined: the container would run under AppArmor profile " +
                                                        loaded->first + ", which this host has loaded in " + loaded->second +
                                                        " mode: it does not confine (docker run --security-opt apparmor=" + loaded->first + ")" +
                                                        way_out});
          break;
        }
      }
    }
  }
  if (const json* label = member(*process, "selinuxLabel"); label != nullptr && label->is_string()) {
    const std::string& text = label->get_ref<const std::string&>();
    const std::string_view type = selinux_type(text);
    if (clears_selinux_label(text)) {
      denials.push_back({"deny.lsm_unconfined", "refused by rule deny.lsm_unconfined: the container's SELinux label (process.selinuxLabel) "
                                                "begins with a newline or a NUL, which the kernel reads as no label: the container would "
                                                "run in the runtime's own SELinux domain; write the label without it, or select a profile "
                                                "whose deny.lsm_unconfined is false"});
    } else if (std::find(std::begin(kUnconfinedSelinuxTypes), std::end(kUnconfinedSelinuxTypes), type) != std::end(kUnconfinedSelinuxTypes)) {
      denials.push_back({"deny.lsm_unconfined", "refused by rule deny.lsm_unconfined: the container would run in SELinux type " +
                                                    std::string(type) + ", which SELinux does not confine (docker run --security-opt label=type:" +
                                                    std::string(type) + ")" + way_out});
    }
  }
}

// The fields the deny rules read with a default (json::value) must be of the default's kind where they
// are present: json::value throws on any other, and runc refuses such a spec anyway. Found by
// fuzz_spec: a device rule whose "type" was a number stopped hardened-runtime with an exception.
enum class Kind { text, boolean, number, number_or_null };

Result<void> expect_kinds(const json* list, const std::string& where, std::initializer_list<std::pair<const char*, Kind>> fields) {
  if (list == nullptr) return {};
  for (const auto& item : *list) {
    if (!item.is_object()) continue;  // the rules skip it
    for (const auto& [key, kind] : fields) {
      const auto found = item.find(key);  // not member(): json::value takes a null for present, and throws
      if (found == item.end()) continue;
      const json* value = &*found;
      const bool ok = kind == Kind::text      ? value->is_string()
                      : kind == Kind::boolean ? value->is_boolean()
                      : kind == Kind::number  ? value->is_number()
                                              : value->is_number() || value->is_null();
      if (!ok) {
        const char* what = kind == Kind::text ? "a string" : kind == Kind::boolean ? "true or false" : "a number";
        return fail(where + "[]." + key + " must be " + what);
      }
    }
  }
  return {};
}

// Annotations the runtime itself acts on: crun's run.oci.* (a seccomp filter of their own, a plugin
// crun loads into itself on the host, the caller's groups kept, hook output written to a host file,
// another handler such as a VM) and the systemd unit properties runc and crun give the container's
// scope under the systemd cgroup driver (limits past the profile's). Each changes what the container
// may do past the rules that judge the spec; podman's --annotation and a pod's annotations reach them.
// Kept: the ones that only make the container stricter or its stop slower.
void deny_runtime_annotations(const json& spec, Findings& denials) {
  const json* annotations = member(spec, "annotations");
  if (annotations == nullptr || !annotations->is_object()) return;
  static constexpr std::string_view kHarmless[] = {"run.oci.seccomp_fail_unknown_syscall", "org.systemd.property.TimeoutStopUSec",
                                                    "org.systemd.property.CollectMode"};
  for (const auto& [key, value] : annotations->get_ref<const json::object_t&>()) {
    const bool runtime_reads = key.starts_with("run.oci.") || key.starts_with("org.systemd.property.");
    if (!runtime_reads || std::find(std::begin(kHarmless), std::end(kHarmless), key) != std::end(kHarmless)) continue;
    std::string what = "changes what the runtime does for the container, which no rule of the profile judges";
    if (key == "run.oci.seccomp_bpf_data") what = "makes crun load a seccomp filter of the annotation's own in place of the profile's";
    if (key == "run.oci.seccomp.plugins") what = "makes crun load a shared library into itself, on the host, as root";
    if (key == "run.oci.keep_original_groups") what = "keeps the caller's supplementary groups in the container, past user.additional_gids (podman --group-add keep-groups)";
    if (key.starts_with("org.systemd.property.")) what = "sets a property of the container's systemd scope, past the profile's resources";
    denials.push_back({"deny.runtime_annotations", "refused by rule deny.runtime_annotations: the annotation " + key + " " + what +
                                                       "; remove it (podman run --annotation, a pod's annotations), or select a profile "
                                                       "whose deny.runtime_annotations is false"});
  }
}

}  // namespace

Result<void> deny(const json& spec, const Profile& profile, const HostFacts& facts, Findings& denials) {
  const json* mounts = member(spec, "mounts");
  if (mounts != nullptr && !mounts->is_array()) return fail("mounts must be a list");
  if (const json* namespaces = linux_member(spec, "namespaces"); namespaces != nullptr && !namespaces->is_array()) {
    return fail("linux.namespaces must be a list");
  }
  for (auto ok : {expect_kinds(mounts, "mounts", {{"destination", Kind::text}}),
                  expect_kinds(linux_list(spec, "namespaces"), "linux.namespaces", {{"type", Kind::text}}),
                  expect_kinds(linux_list(spec, "devices"), "linux.devices", {{"path", Kind::text}, {"major", Kind::number}, {"minor", Kind::number}}),
                  expect_kinds(device_rules(spec), "linux.resources.devices",
                               {{"allow", Kind::boolean}, {"type", Kind::text}, {"access", Kind::text}, {"major", Kind::number_or_null},
                                {"minor", Kind::number_or_null}})}) {
    if (!ok) return ok;
  }
  const std::size_t before = denials.size();
  if (profile.deny_privileged) deny_privileged(spec, denials);
  const bool privileged = denials.size() != before;
  deny_host_namespaces(spec, profile, facts, denials);
  mount_sources(spec, profile, facts, denials);
  // --privileged also brings every device and capability; saying so again would bury the one fix.
  if (profile.deny_devices && !privileged) deny_devices(spec, profile, denials);
  if (profile.deny_sysctls) deny_sysctls(spec, profile, denials);
  if (!privileged) deny_capabilities(spec, profile, denials);
  if (profile.deny_lsm_unconfined && !privileged) deny_lsm_unconfined(spec, facts, denials);  // --privileged is unconfined too
  if (profile.deny_runtime_annotations) deny_runtime_annotations(spec, denials);
  return {};
}

}  // namespace hardened::rules
