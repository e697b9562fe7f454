#include "hardened/profile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hardened/docker_seccomp.hpp"
#include "hardened/known_names.hpp"

namespace hardened {
namespace {

constexpr std::string_view kDenyActions[]{"SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                                                               "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP"};
constexpr std::string_view kRuleActions[]{"SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
                                                               "SCMP_ACT_ERRNO",       "SCMP_ACT_KILL",
                                                               "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                                                               "SCMP_ACT_TRAP"};
constexpr std::string_view kCompareOps[]{"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
                                                              "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
                                                              "SCMP_CMP_MASKED_EQ"};

template <class Set>
bool one_of(std::string_view value, const Set& set) {
  return std::find(std::begin(set), std::end(set), value) != std::end(set);
}
bool one_of(std::string_view value, std::initializer_list<std::string_view> set) { return one_of<decltype(set)>(value, set); }
bool one_of(std::string_view value, const std::vector<std::string>& set) { return std::find(set.begin(), set.end(), value) != set.end(); }

// Docker's per-rule conditions: {"caps": [...], "arches": ["amd64", ...], "minKernel": "4.8"}.
Result<void> check_docker_condition(const json& condition, const std::string& path) {
  if (!condition.is_object()) return fail(path + " must be an object");
  if (auto ok = only_keys(condition, {"caps", "arches", "minKernel"}, path); !ok) return ok;
  if (const json* caps = member(condition, "caps")) {
    auto list = as_string_list(*caps, path + ".caps");
    if (!list) return tl::unexpected(list.error());
    for (const auto& cap : *list) {
      if (!is_known_capability(cap)) return fail(path + ".caps: '" + cap + "' is not a capability libcap-ng knows");
    }
  }
  if (const json* arches = member(condition, "arches")) {
    if (auto ok = as_string_list(*arches, path + ".arches"); !ok) return tl::unexpected(ok.error());
  }
  if (const json* min_kernel = member(condition, "minKernel")) {
    if (!min_kernel->is_string() || !parse_kernel_version(min_kernel->get<std::string>())) {
      return fail(path + ".minKernel must be a kernel version such as \"4.8\"");
    }
  }
  return {};
}

Result<void> check_seccomp_rule(const json& rule, const std::string& path, bool docker_format) {
  if (!rule.is_object()) return fail(path + " must be an object");
  if (auto ok = docker_format ? only_keys(rule, {"names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes"}, path)
                              : only_keys(rule, {"names", "action", "errnoRet", "args", "comment"}, path);
      !ok) {
    return ok;
  }
  if (docker_format) {
    for (const char* key : {"includes", "excludes"}) {
      if (const json* condition = member(rule, key)) {
        if (auto ok = check_docker_condition(*condition, path + "." + key); !ok) return ok;
      }
    }
    if (const json* name = member(rule, "name")) {
      if (!name->is_string() || !is_known_syscall(name->get<std::string>())) {
        return fail(path + ".name must be a syscall libseccomp knows on this host");
      }
      if (member(rule, "names") == nullptr) return {};
    }
  }
  const json* names = member(rule, "names");
  if (names == nullptr) return fail(path + ".names is missing");
  if (!names->is_array() || names->empty()) return fail(path + ".names must be a non-empty list of syscall names");
  for (const auto& name : *names) {
    if (!name.is_string()) return fail(path + ".names must be a non-empty list of syscall names");
    if (!is_known_syscall(name.get_ref<const std::string&>())) {
      return fail(path + ".names: '" + name.get<std::string>() + "' is not a syscall libseccomp knows on this host");
    }
  }
  const json* action = member(rule, "action");
  if (action == nullptr || !action->is_string() || !one_of(action->get<std::string>(), kRuleActions)) {
    return fail(path + ".action must be one of SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_ERRNO, SCMP_ACT_KILL*, SCMP_ACT_TRAP");
  }
  if (const json* errno_ret = member(rule, "errnoRet")) {
    if (auto ok = as_uint32(*errno_ret, path + ".errnoRet"); !ok) return tl::unexpected(ok.error());
  }
  if (const json* args = member(rule, "args")) {
    if (!args->is_array()) return fail(path + ".args must be a list");
    for (std::size_t i = 0; i < args->size(); ++i) {
      const json& arg = (*args)[i];
      const std::string arg_path = path + ".args[" + std::to_string(i) + "]";
      if (!arg.is_object()) return fail(arg_path + " must be an object");
      if (auto ok = only_keys(arg, {"index", "value", "valueTwo", "op"}, arg_path); !ok) return ok;
      const json* index = member(arg, "index");
      if (index == nullptr || !index->is_number_unsigned() || index->get<std::uint64_t>() > 5) {
        return fail(arg_path + ".index must be 0 to 5");
      }
      for (const char* key : {"value", "valueTwo"}) {
        const json* v = member(arg, key);
        if (v != nullptr && !v->is_number_unsigned()) return fail(arg_path + "." + key + " must be an unsigned integer");
      }
      const json* op = member(arg, "op");
      if (op == nullptr || !op->is_string() || !one_of(op->get<std::string>(), kCompareOps)) {
        return fail(arg_path + ".op must be one of SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT, _MASKED_EQ");
      }
    }
  }
  return {};
}

Result<void> check_seccomp(const json& seccomp, bool docker_format) {
  if (!seccomp.is_object()) return fail("seccomp must be an object (an OCI LinuxSeccomp, or Docker's seccomp profile format)");
  if (auto ok = only_keys(seccomp, {"defaultAction", "defaultErrnoRet", "architectures", "archMap", "flags", "syscalls"}, "seccomp");
      !ok) {
    return ok;
  }
  if (const json* arch_map = member(seccomp, "archMap")) {
    if (!arch_map->is_array()) return fail("seccomp.archMap must be a list");
    for (std::size_t i = 0; i < arch_map->size(); ++i) {
      const std::string path = "seccomp.archMap[" + std::to_string(i) + "]";
      const json& entry = (*arch_map)[i];
      if (!entry.is_object()) return fail(path + " must be an object");
      if (auto ok = only_keys(entry, {"architecture", "subArchitectures"}, path); !ok) return ok;
      std::vector<std::string> arches;
      if (const json* main = member(entry, "architecture"); main != nullptr && main->is_string()) arches.push_back(main->get<std::string>());
      else return fail(path + ".architecture must be a string");
      if (const json* subs = member(entry, "subArchitectures")) {
        auto list = as_string_list(*subs, path + ".subArchitectures");
        if (!list) return tl::unexpected(list.error());
        arches.insert(arches.end(), list->begin(), list->end());
      }
      for (const auto& arch : arches) {
        if (!is_known_seccomp_arch(arch)) return fail(path + ": '" + arch + "' is not an architecture libseccomp knows");
      }
    }
  }
  const json* action = member(seccomp, "defaultAction");
  if (action == nullptr || !action->is_string() || !one_of(action->get<std::string>(), kDenyActions)) {
    return fail("seccomp.defaultAction must deny (SCMP_ACT_ERRNO, SCMP_ACT_KILL*, SCMP_ACT_TRAP): profiles are allow-lists");
  }
  if (const json* errno_ret = member(seccomp, "defaultErrnoRet")) {
    if (auto ok = as_uint32(*errno_ret, "seccomp.defaultErrnoRet"); !ok) return tl::unexpected(ok.error());
  }
  if (const json* arches = member(seccomp, "architectures")) {
    auto list = as_string_list(*arches, "seccomp.architectures");
    if (!list) return tl::unexpected(list.error());
    for (const auto& arch : *list) {
      if (!is_known_seccomp_arch(arch)) return fail("seccomp.architectures: '" + arch + "' is not an architecture libseccomp knows");
    }
  }
  if (const json* flags = member(seccomp, "flags")) {
    if (auto ok = as_string_list(*flags, "seccomp.flags"); !ok) return tl::unexpected(ok.error());
  }
  const json* syscalls = member(seccomp, "syscalls");
  if (syscalls == nullptr || !syscalls->is_array()) return fail("seccomp.syscalls must be a list of rules");
  for (std::size_t i = 0; i < syscalls->size(); ++i) {
    if (auto ok = check_seccomp_rule((*syscalls)[i], "seccomp.syscalls[" + std::to_string(i) + "]", docker_format); !ok) {
      return ok;
    }
  }
  return {};
}

Result<std::vector<std::string>> absolute_paths(const json& value, std::string_view path) {
  auto list = as_string_list(value, path);
  if (!list) return list;
  for (const auto& p : *list) {
    if (p.empty() || p.front() != '/') return fail(std::string(path) + ": '" + p + "' must be an absolute path");
  }
  return list;
}

Result<std::vector<std::string>> capability_list(const json& value, std::string_view path) {
  auto list = as_string_list(value, path);
  if (!list) return list;
  for (const auto& cap : *list) {
    if (!is_known_capability(cap)) return fail(std::string(path) + ": '" + cap + "' is not a capability libcap-ng knows");
  }
  return list;
}

Result<std::int64_t> positive_int(const json& value, std::string_view path) {
  auto v = as_int64_saturating(value, path);
  if (v && *v <= 0) return fail(std::string(path) + " must be a positive integer");
  return v;
}

// Reads the members of one JSON object into a Profile, keeping the first error. Each read names the
// member's full path, so a message says exactly which key is wrong. A missing key is not an error: its
// path goes to `missing`, and the profile then takes that key from the built-in default profile.
class Section {
 public:
  Section(const json& object, std::string path, std::optional<Error>& error, std::vector<std::string>& missing)
      : object_(object), path_(std::move(path)), error_(error), missing_(missing) {}

  template <class Read, class T>
  void required(const char* key, Read read, T& out) const {
    const json* value = member(object_, key);
    if (value == nullptr) return missing(key);
    take(read(*value, join_path(path_, key)), out);
  }

  template <class Read, class T>
  void optional(const char* key, Read read, T& out) const {
    if (const json* value = member(object_, key)) take(read(*value, join_path(path_, key)), out);
  }

  // A nested object. A missing one reads as empty, so each of its keys is reported missing; one that is
  // not an object is an error, and reads as empty too.
  Section sub(const char* key) const {
    static const json kEmpty = json::object();
    const json* value = member(object_, key);
    if (value != nullptr && !value->is_object()) note({join_path(path_, key) + " must be an object"});
    return Section(value != nullptr && value->is_object() ? *value : kEmpty, join_path(path_, key), error_, missing_);
  }

  void keys(std::initializer_list<std::string_view> allowed) const {
    if (auto ok = only_keys(object_, allowed, path_); !ok) note(ok.error());
  }
  void note(Error e) const {
    if (!error_) error_ = std::move(e);
  }
  void missing(const char* key) const { missing_.push_back(join_path(path_, key)); }
  const json& value() const { return object_; }

 private:
  template <class T, class U>
  void take(Result<T> result, U& out) const {
    if (!result) return note(result.error());
    out = std::move(*result);
  }

  const json& object_;
  std::string path_;
  std::optional<Error>& error_;
  std::vector<std::string>& missing_;
};

void read_secrets(const Section& s, SecretsPolicy& out) {
  s.keys({"action", "names", "values", "entropy_min_length", "entropy_min_bits"});
  std::string action;
  s.required("action", as_string, action);
  if (action == "off") out.action = SecretsPolicy::Action::off;
  else if (action == "warn") out.action = SecretsPolicy::Action::warn;
  else if (action == "refuse") out.action = SecretsPolicy::Action::refuse;
  else if (!action.empty()) s.note({"secrets.action must be \"off\", \"warn\" or \"refuse\""});
  s.required("names", as_string_list, out.name_patterns);
  s.required("values", as_string_list, out.value_patterns);
  std::int64_t length = 0;
  s.required("entropy_min_length", as_int64_saturating, length);
  if (length < 0) s.note({"secrets.entropy_min_length must be 0 (off) or more"});
  out.entropy_min_length = static_cast<std::size_t>(std::max<std::int64_t>(0, length));
  s.required("entropy_min_bits", as_number, out.entropy_min_bits);
}

void check_tmpfs(const Section& rootfs, std::vector<json>& out) {
  const json* tmpfs = member(rootfs.value(), "tmpfs");
  if (tmpfs == nullptr) return rootfs.missing("tmpfs");
  if (!tmpfs->is_array()) return rootfs.note({"rootfs.tmpfs must be a list of mounts"});
  for (std::size_t i = 0; i < tmpfs->size(); ++i) {
    const std::string path = "rootfs.tmpfs[" + std::to_string(i) + "]";
    const json& m = (*tmpfs)[i];
    if (!m.is_object()) return rootfs.note({path + " must be an object"});
    std::optional<Error> error;
    std::vector<std::string> missing;
    const Section checked(m, path, error, missing);
    checked.keys({"destination", "options"});
    std::string dest;
    std::vector<std::string> options;
    checked.required("destination", as_string, dest);
    checked.required("options", as_string_list, options);
    for (const auto& key : missing) error = error.value_or(Error{key + " is missing"});
    if (!error && (dest.empty() || dest.front() != '/')) error = Error{path + ".destination must be an absolute path"};
    if (error) return rootfs.note(*error);
    out.push_back(json{{"destination", dest}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", options}});
  }
}

// hooks.allowed: [{"program": "/usr/sbin/dockerd", "args": ["libnetwork-setkey", "-exec-root=*", "<container-id>", "[0-9a-f]..."]}, ...].
Result<std::vector<Profile::HookProgram>> hook_programs(const json& value, std::string_view path) {
  const std::string shape = "{\"program\": ABSOLUTE_PATH, \"args\": [PATTERN, ...]}";
  if (!value.is_array()) return fail(std::string(path) + " must be a list of " + shape);
  std::vector<Profile::HookProgram> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = std::string(path) + "[" + std::to_string(i) + "]";
    const json& entry = value[i];
    if (!entry.is_object()) return fail(at + " must be an object " + shape);
    if (member(entry, "args0") != nullptr) {  // a profile written before "args": say what replaces it
      return fail("unknown key '" + at + ".args0': \"args\" lists the hook's whole arguments now, the first one included");
    }
    if (auto ok = only_keys(entry, {"program", "args"}, at); !ok) return tl::unexpected(ok.error());
    const json* program = member(entry, "program");
    if (program == nullptr || !program->is_string() || !program->get_ref<const std::string&>().starts_with("/")) {
      return fail(at + ".program must be an absolute path");
    }
    Profile::HookProgram listed{program->get<std::string>(), std::nullopt};
    // A null "args" is refused, not read as absent: allowing any arguments is said only by leaving it out.
    if (const auto args = entry.find("args"); args != entry.end()) {
      auto patterns = as_string_list(*args, at + ".args");
      if (!patterns) {
        return fail(at + ".args must be a list of patterns, one per argument of the hook (fnmatch, or \"" +
                    std::string(Profile::HookProgram::kContainerId) + "\" for the container's own id); leave it out to allow any");
      }
      listed.args = std::move(*patterns);
    }
    out.push_back(std::move(listed));
  }
  return out;
}

// One of `names` -> its index in `values` (a profile key whose value is a word).
template <class Enum>
void read_choice(const Section& s, const char* key, std::initializer_list<std::pair<std::string_view, Enum>> choices, Enum& out) {
  std::string word;
  s.required(key, as_string, word);
  if (word.empty()) return;
  std::string names;
  for (const auto& [name, value] : choices) {
    if (name == word) return void(out = value);
    names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  }
  s.note({"user." + std::string(key) + " must be one of " + names});
}

Result<std::vector<std::uint32_t>> id_list(const json& value, std::string_view path) {
  if (!value.is_array()) return fail(std::string(path) + " must be a list of uids/gids");
  std::vector<std::uint32_t> out;
  for (const auto& id : value) {
    auto parsed = as_uint32(id, path);
    if (!parsed) return tl::unexpected(parsed.error());
    if (*parsed == 0) return fail(std::string(path) + " must not list 0: root is always replaced by user.uid/user.gid");
    out.push_back(*parsed);
  }
  return out;
}

// user.ids_min ("host" or a number), user.host_accounts, user.ids_allowed, user.outside_range and
// user.additional_gids_outside_range: the range identity.hpp judges uids and gids by.
void read_identity_range(const Section& user, Profile& p) {
  if (const json* min = member(user.value(), "ids_min")) {
    if (min->is_string() && min->get_ref<const std::string&>() == "host") p.ids_min.reset();
    else if (auto n = as_uint32(*min, "user.ids_min"); n && *n > 0) p.ids_min = *n;
    else user.note({"user.ids_min must be \"host\" (the host's UID_MIN/GID_MIN from /etc/login.defs) or a uid/gid above 0"});
  } else {
    user.missing("ids_min");
  }
  read_choice<Profile::HostAccounts>(user, "host_accounts",
                                     {{"all", Profile::HostAccounts::all}, {"services", Profile::HostAccounts::services}, {"none", Profile::HostAccounts::none}},
                                     p.host_accounts);
  user.required("ids_allowed", id_list, p.ids_allowed);
  read_choice<Profile::Outside>(user, "outside_range", {{"refuse", Profile::Outside::refuse}, {"remap", Profile::Outside::remap}}, p.ids_outside);
  read_choice<Profile::ExtraGroups>(user, "additional_gids_outside_range",
                                    {{"remove", Profile::ExtraGroups::remove}, {"refuse", Profile::ExtraGroups::refuse}}, p.additional_gids_outside);
}

// resources.beyond_ceilings and resources.rlimits_max: {"RLIMIT_NOFILE": 1048576, ...}.
void read_resource_forms(const Section& res, Profile& p) {
  std::string beyond;
  res.required("beyond_ceilings", as_string, beyond);
  if (beyond == "clamp") p.beyond_ceilings = Profile::Excess::clamp;
  else if (beyond == "refuse") p.beyond_ceilings = Profile::Excess::refuse;
  else if (!beyond.empty()) res.note({"resources.beyond_ceilings must be \"clamp\" or \"refuse\""});
  const json* rlimits = member(res.value(), "rlimits_max");
  if (rlimits == nullptr) return;
  if (!rlimits->is_object()) return res.note({"resources.rlimits_max must be an object of RLIMIT_* names to ceilings"});
  static constexpr std::string_view kRlimits[]{"RLIMIT_AS",     "RLIMIT_CORE",   "RLIMIT_CPU",    "RLIMIT_DATA",   "RLIMIT_FSIZE",
                                               "RLIMIT_LOCKS",  "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE",
                                               "RLIMIT_NPROC",  "RLIMIT_RSS",    "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING",
                                               "RLIMIT_STACK"};
  p.rlimits_max.clear();
  for (const auto& [type, value] : rlimits->items()) {
    const std::string path = "resources.rlimits_max." + type;
    if (!one_of(type, kRlimits)) return res.note({path + ": '" + type + "' is not an rlimit runc knows (RLIMIT_NOFILE, RLIMIT_NPROC, ...)"});
    auto max = as_int64_saturating(value, path);
    if (!max || *max < 0) return res.note({path + " must be an unsigned integer"});
    p.rlimits_max.push_back({type, static_cast<std::uint64_t>(*max)});
  }
}

// mounts.exec_allowed (absolute destinations) and mounts.writable_exec ("noexec" or "refuse").
void read_writable_exec(const Section& mounts, Profile& p) {
  mounts.required("exec_allowed", absolute_paths, p.exec_allowed);
  std::string word;
  mounts.required("writable_exec", as_string, word);
  if (word == "noexec") p.writable_exec = Profile::WritableExec::noexec;
  else if (word == "refuse") p.writable_exec = Profile::WritableExec::refuse;
  else if (member(mounts.value(), "writable_exec") != nullptr) mounts.note({"mounts.writable_exec must be \"noexec\" or \"refuse\""});
}

}  // namespace

std::string_view mode_name(Mode mode) { return mode == Mode::audit ? "audit" : "enforce"; }

std::optional<Mode> parse_mode(std::string_view name) {
  if (name == "enforce") return Mode::enforce;
  if (name == "audit") return Mode::audit;
  return std::nullopt;
}

std::int64_t Profile::cpu_quota_max(std::int64_t period_us) const {
  const double quota = std::floor(cpus_max * static_cast<double>(period_us));
  return quota >= static_cast<double>(std::numeric_limits<std::int64_t>::max()) ? std::numeric_limits<std::int64_t>::max()
                                                                                : std::max<std::int64_t>(1000, static_cast<std::int64_t>(quota));
}

bool is_valid_profile_name(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

json merge_profile_documents(json parent, const json& child) {
  parent.merge_patch(child);
  if (parent.is_object()) parent.erase("extends");  // a child that is not an object replaced it whole
  return parent;
}

namespace {

// The profile's filter, as a document: its format, checked, less the names of seccomp_deny.
Result<void> read_filter(Profile& p) {
  p.seccomp_docker_format = is_docker_seccomp(p.seccomp);
  if (auto ok = check_seccomp(p.seccomp, p.seccomp_docker_format); !ok) return ok;
  if (!p.seccomp_docker_format) remove_syscalls(p.seccomp, p.seccomp_deny);
  return {};
}

// One pass over a profile document; the keys it lacks go to `missing`. The filter is moved out of `doc`
// unless a key is missing (then parse_profile reads `doc` again): copying the profile costs a create
// ~0.2 M instructions.
Result<Profile> read_profile(json& doc, const std::string& name, std::vector<std::string>& missing) {
  Profile p;
  p.name = name;
  auto wrap = [&](const Error& e) { return fail("profile '" + name + "': " + e.message); };
  if (!doc.is_object()) return wrap({"the top level must be an object"});
  std::optional<Error> error;
  const Section top(doc, "", error, missing);
  top.keys({"description", "mode", "capabilities", "no_new_privileges", "rootfs", "mounts", "user", "resources", "paths",
            "deny", "hooks", "secrets", "seccomp", "seccomp_deny"});
  top.optional("description", as_string, p.description);
  std::string mode;
  top.optional("mode", as_string, mode);
  if (!mode.empty()) p.mode = parse_mode(mode);
  if (!mode.empty() && !p.mode) top.note({"mode must be \"enforce\" or \"audit\" (or absent: the host config's mode)"});

  const Section caps = top.sub("capabilities");
  caps.keys({"allow", "ambient", "deny"});
  caps.required("allow", capability_list, p.capabilities_allow);
  caps.required("ambient", capability_list, p.capabilities_ambient);
  caps.required("deny", capability_list, p.capabilities_deny);
  for (const auto& cap : p.capabilities_ambient) {
    if (!one_of(cap, p.capabilities_allow)) caps.note({"capabilities.ambient: '" + cap + "' is not in capabilities.allow"});
  }
  for (const auto& cap : p.capabilities_deny) {
    if (one_of(cap, p.capabilities_allow)) caps.note({"capabilities.deny: '" + cap + "' is also in capabilities.allow"});
  }

  top.required("no_new_privileges", as_bool, p.no_new_privileges);

  const Section rootfs = top.sub("rootfs");
  rootfs.keys({"readonly", "tmpfs"});
  rootfs.required("readonly", as_bool, p.readonly_rootfs);
  check_tmpfs(rootfs, p.tmpfs);

  const Section mounts = top.sub("mounts");
  mounts.keys({"bind_options", "exec_allowed", "writable_exec"});
  mounts.required("bind_options", as_string_list, p.bind_options);
  for (const auto& option : p.bind_options) {
    if (!one_of(option, {"nosuid", "nodev", "noexec", "ro"})) {
      mounts.note({"mounts.bind_options: '" + option + "' is not one of nosuid, nodev, noexec, ro"});
    }
  }
  read_writable_exec(mounts, p);

  const Section user = top.sub("user");
  user.keys({"uid", "gid", "ids_min", "host_accounts", "ids_allowed", "outside_range", "additional_gids_outside_range"});
  user.required("uid", as_uint32, p.uid);
  user.required("gid", as_uint32, p.gid);
  if (p.uid == 0 || p.gid == 0) user.note({"user.uid and user.gid replace root, so they must not be 0"});
  read_identity_range(user, p);

  const Section res = top.sub("resources");
  res.keys({"pids_max", "memory_max_bytes", "cpus_max", "cpu_period_us", "beyond_ceilings", "rlimits_max"});
  read_resource_forms(res, p);
  res.required("pids_max", positive_int, p.pids_max);
  res.required("memory_max_bytes", positive_int, p.memory_max_bytes);
  res.required("cpus_max", as_number, p.cpus_max);
  res.required("cpu_period_us", positive_int, p.cpu_period_us);
  if (!(p.cpus_max > 0) || !std::isfinite(p.cpus_max)) res.note({"resources.cpus_max must be a positive number"});
  if (p.cpu_period_us < 1000 || p.cpu_period_us > 1000000) {
    res.note({"resources.cpu_period_us must be 1000 to 1000000 (the kernel's range)"});
  }

  const Section paths = top.sub("paths");
  paths.keys({"masked", "readonly"});
  paths.required("masked", absolute_paths, p.masked_paths);
  paths.required("readonly", absolute_paths, p.readonly_paths);

  const Section deny = top.sub("deny");
  deny.keys({"privileged", "host_namespaces", "bind_sources", "bind_sources_exact", "bind_sources_allowed", "devices",
             "devices_allowed", "sysctls", "sysctls_allowed", "device_nodes", "lsm_unconfined", "runtime_annotations"});
  deny.required("privileged", as_bool, p.deny_privileged);
  deny.required("host_namespaces", as_string_list, p.deny_host_namespaces);
  deny.required("bind_sources", absolute_paths, p.deny_bind_sources);
  deny.required("bind_sources_exact", absolute_paths, p.deny_bind_sources_exact);
  deny.required("bind_sources_allowed", absolute_paths, p.bind_sources_allowed);
  deny.required("devices", as_bool, p.deny_devices);
  deny.required("devices_allowed", absolute_paths, p.devices_allowed);
  deny.required("sysctls", as_bool, p.deny_sysctls);
  deny.required("sysctls_allowed", as_string_list, p.sysctls_allowed);
  deny.required("device_nodes", as_bool, p.deny_device_nodes);
  deny.required("lsm_unconfined", as_bool, p.deny_lsm_unconfined);
  deny.required("runtime_annotations", as_bool, p.deny_runtime_annotations);
  for (const auto& ns : p.deny_host_namespaces) {
    if (!one_of(ns, {"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"})) {
      deny.note({"deny.host_namespaces: '" + ns + "' is not an OCI namespace type"});
    }
  }

  const Section hooks = top.sub("hooks");
  hooks.keys({"allowed"});
  hooks.required("allowed", hook_programs, p.hooks_allowed);

  read_secrets(top.sub("secrets"), p.secrets);

  top.optional("seccomp_deny", as_string_list, p.seccomp_deny);
  for (const auto& syscall : p.seccomp_deny) {
    if (!is_known_syscall(syscall)) top.note({"seccomp_deny: '" + syscall + "' is not a syscall libseccomp knows on this host"});
  }
  if (error) return wrap(*error);

  json* seccomp = member(doc, "seccomp");
  if (seccomp == nullptr) {
    missing.push_back("seccomp");
    return p;
  }
  if (missing.empty()) {
    p.seccomp = std::move(*seccomp);
  } else {
    p.seccomp = *seccomp;
  }
  if (is_raw_json(p.seccomp)) return p;  // read when it is needed (expand_profile_filter)
  if (auto ok = read_filter(p); !ok) return wrap(ok.error());
  return p;
}

// `doc` with each of the `keys` ("resources.pids_max") it lacks taken from `defaults`.
void fill_missing(json& doc, const std::vector<std::string>& keys, const json& defaults) {
  for (const auto& key : keys) {
    std::string pointer = "/" + key;
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    const json::json_pointer at(pointer);
    if (defaults.contains(at)) doc[at] = defaults[at];
  }
}

}  // namespace

Result<void> expand_profile_filter(Profile& profile) {
  if (!is_raw_json(profile.seccomp)) return {};
  const std::string what = "profile '" + profile.name + "'";
  if (auto ok = expand_raw_json(profile.seccomp, what); !ok) return ok;
  if (auto ok = read_filter(profile); !ok) return fail(what + ": " + ok.error().message);
  return {};
}

Result<Profile> parse_profile(json doc, const std::string& name) {
  std::vector<std::string> missing;
  auto profile = read_profile(doc, name, missing);
  if (!profile || missing.empty()) return profile;  // a mistake is reported as it stands
  // A profile written for an older version lacks the keys added since: they take the built-in default
  // profile's (strict) values. Only then is that profile parsed, and the document read again whole.
  // Read by the one reader; nlohmann's own took 0.4 ms a create here.
  static const Result<json> kDefaults = parse_json(builtin_default_profile_text(), "the built-in default profile");
  if (!kDefaults) return tl::unexpected(kDefaults.error());
  fill_missing(doc, missing, *kDefaults);
  std::vector<std::string> still_missing;
  profile = read_profile(doc, name, still_missing);
  for (const auto& key : still_missing) {
    if (profile) profile = fail("profile '" + name + "': " + key + " is missing");
  }
  if (profile) profile->defaulted = std::move(missing);
  return profile;
}

}  // namespace hardened
