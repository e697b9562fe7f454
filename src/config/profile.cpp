#include "hardened/profile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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

Result<void> check_seccomp_rule(const json& rule, const std::string& path) {
  if (!rule.is_object()) return fail(path + " must be an object");
  if (auto ok = only_keys(rule, {"names", "action", "errnoRet", "args", "comment"}, path); !ok) return ok;
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

Result<void> check_seccomp(const json& seccomp) {
  if (!seccomp.is_object()) return fail("seccomp must be an object (an OCI LinuxSeccomp)");
  if (auto ok = only_keys(seccomp, {"defaultAction", "defaultErrnoRet", "architectures", "flags", "syscalls"}, "seccomp");
      !ok) {
    return ok;
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
    if (auto ok = check_seccomp_rule((*syscalls)[i], "seccomp.syscalls[" + std::to_string(i) + "]"); !ok) return ok;
  }
  return {};
}

Result<std::vector<std::string>> absolute_paths(const json& value, const std::string& path) {
  auto list = as_string_list(value, path);
  if (!list) return list;
  for (const auto& p : *list) {
    if (p.empty() || p.front() != '/') return fail(path + ": '" + p + "' must be an absolute path");
  }
  return list;
}

// Reads the required member `key` of `object` with `read`, naming it in errors.
template <class Read>
auto required(const json& object, const std::string& parent, const char* key, Read read)
    -> decltype(read(object, std::string())) {
  const std::string path = join_path(parent, key);
  const json* value = member(object, key);
  if (value == nullptr) return fail(path + " is missing");
  return read(*value, path);
}

Result<std::int64_t> positive_int(const json& value, const std::string& path) {
  auto v = as_int64_saturating(value, path);
  if (v && *v <= 0) return fail(path + " must be a positive integer");
  return v;
}

}  // namespace

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

Result<Profile> parse_profile(json doc, const std::string& name) {
  Profile p;
  p.name = name;
  auto wrap = [&](const Error& e) { return fail("profile '" + name + "': " + e.message); };
  if (!doc.is_object()) return wrap({"the top level must be an object"});
  if (auto ok = only_keys(doc, {"description", "capabilities", "no_new_privileges", "rootfs", "user", "resources", "paths",
                                "deny", "seccomp"},
                          "");
      !ok) {
    return wrap(ok.error());
  }
  auto object = [](const json& v, const std::string& path) { return as_object(v, path); };

  if (const json* d = member(doc, "description")) {
    auto text = as_string(*d, "description");
    if (!text) return wrap(text.error());
    p.description = *text;
  }

  auto caps = required(doc, "", "capabilities", object);
  if (!caps) return wrap(caps.error());
  if (auto ok = only_keys(**caps, {"allow"}, "capabilities"); !ok) return wrap(ok.error());
  auto allow = required(**caps, "capabilities", "allow", as_string_list);
  if (!allow) return wrap(allow.error());
  for (const auto& cap : *allow) {
    if (!is_known_capability(cap)) return wrap({"capabilities.allow: '" + cap + "' is not a capability libcap-ng knows"});
  }
  p.capabilities_allow = *allow;

  auto nnp = required(doc, "", "no_new_privileges", as_bool);
  if (!nnp) return wrap(nnp.error());
  p.no_new_privileges = *nnp;

  auto rootfs = required(doc, "", "rootfs", object);
  if (!rootfs) return wrap(rootfs.error());
  if (auto ok = only_keys(**rootfs, {"readonly", "tmpfs"}, "rootfs"); !ok) return wrap(ok.error());
  auto readonly = required(**rootfs, "rootfs", "readonly", as_bool);
  if (!readonly) return wrap(readonly.error());
  p.readonly_rootfs = *readonly;
  if (const json* tmpfs = member(**rootfs, "tmpfs")) {
    if (!tmpfs->is_array()) return wrap({"rootfs.tmpfs must be a list of mounts"});
    for (std::size_t i = 0; i < tmpfs->size(); ++i) {
      const std::string path = "rootfs.tmpfs[" + std::to_string(i) + "]";
      const json& m = (*tmpfs)[i];
      if (!m.is_object()) return wrap({path + " must be an object"});
      if (auto ok = only_keys(m, {"destination", "options"}, path); !ok) return wrap(ok.error());
      auto dest = required(m, path, "destination", as_string);
      if (!dest) return wrap(dest.error());
      if (dest->empty() || dest->front() != '/') return wrap({path + ".destination must be an absolute path"});
      auto options = required(m, path, "options", as_string_list);
      if (!options) return wrap(options.error());
      p.tmpfs.push_back(json{{"destination", *dest}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", *options}});
    }
  }

  auto user = required(doc, "", "user", object);
  if (!user) return wrap(user.error());
  if (auto ok = only_keys(**user, {"uid", "gid"}, "user"); !ok) return wrap(ok.error());
  auto uid = required(**user, "user", "uid", as_uint32);
  auto gid = required(**user, "user", "gid", as_uint32);
  if (!uid) return wrap(uid.error());
  if (!gid) return wrap(gid.error());
  if (*uid == 0 || *gid == 0) return wrap({"user.uid and user.gid replace root, so they must not be 0"});
  p.uid = *uid;
  p.gid = *gid;

  auto res = required(doc, "", "resources", object);
  if (!res) return wrap(res.error());
  if (auto ok = only_keys(**res, {"pids_max", "memory_max_bytes", "cpus_max", "cpu_period_us"}, "resources"); !ok) {
    return wrap(ok.error());
  }
  auto pids = required(**res, "resources", "pids_max", positive_int);
  auto memory = required(**res, "resources", "memory_max_bytes", positive_int);
  auto cpus = required(**res, "resources", "cpus_max", as_number);
  auto period = required(**res, "resources", "cpu_period_us", positive_int);
  for (const auto* r : {&pids, &memory, &period}) {
    if (!*r) return wrap(r->error());
  }
  if (!cpus) return wrap(cpus.error());
  if (!(*cpus > 0) || !std::isfinite(*cpus)) return wrap({"resources.cpus_max must be a positive number"});
  if (*period < 1000 || *period > 1000000) return wrap({"resources.cpu_period_us must be 1000 to 1000000 (the kernel's range)"});
  p.pids_max = *pids;
  p.memory_max_bytes = *memory;
  p.cpus_max = *cpus;
  p.cpu_period_us = *period;

  auto paths = required(doc, "", "paths", object);
  if (!paths) return wrap(paths.error());
  if (auto ok = only_keys(**paths, {"masked", "readonly"}, "paths"); !ok) return wrap(ok.error());
  auto masked = required(**paths, "paths", "masked", absolute_paths);
  auto ro = required(**paths, "paths", "readonly", absolute_paths);
  if (!masked) return wrap(masked.error());
  if (!ro) return wrap(ro.error());
  p.masked_paths = *masked;
  p.readonly_paths = *ro;

  auto deny = required(doc, "", "deny", object);
  if (!deny) return wrap(deny.error());
  if (auto ok = only_keys(**deny, {"privileged", "host_namespaces", "bind_sources"}, "deny"); !ok) return wrap(ok.error());
  auto privileged = required(**deny, "deny", "privileged", as_bool);
  auto namespaces = required(**deny, "deny", "host_namespaces", as_string_list);
  auto binds = required(**deny, "deny", "bind_sources", absolute_paths);
  if (!privileged) return wrap(privileged.error());
  if (!namespaces) return wrap(namespaces.error());
  if (!binds) return wrap(binds.error());
  for (const auto& ns : *namespaces) {
    if (!one_of(ns, {"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"})) {
      return wrap({"deny.host_namespaces: '" + ns + "' is not an OCI namespace type"});
    }
  }
  p.deny_privileged = *privileged;
  p.deny_host_namespaces = *namespaces;
  p.deny_bind_sources = *binds;

  json* seccomp = member(doc, "seccomp");
  if (seccomp == nullptr) return wrap({"seccomp is missing"});
  if (auto ok = check_seccomp(*seccomp); !ok) return wrap(ok.error());
  p.seccomp = std::move(*seccomp);
  return p;
}

}  // namespace hardened
