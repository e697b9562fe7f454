#include "hardened/seccomp_compile.hpp"

#include <seccomp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace hardened {
namespace {

Result<std::uint32_t> action_of(const json& rule, const char* action_key, const char* errno_key) {
  const std::string action = rule.value(action_key, "");
  const auto errno_ret = static_cast<std::uint16_t>(rule.value(errno_key, EPERM));
  if (action == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (action == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  if (action == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(errno_ret);
  if (action == "SCMP_ACT_KILL" || action == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (action == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (action == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  return fail("seccomp action '" + action + "' cannot be compiled");
}

scmp_compare op_of(const std::string& op) {
  if (op == "SCMP_CMP_NE") return SCMP_CMP_NE;
  if (op == "SCMP_CMP_LT") return SCMP_CMP_LT;
  if (op == "SCMP_CMP_LE") return SCMP_CMP_LE;
  if (op == "SCMP_CMP_EQ") return SCMP_CMP_EQ;
  if (op == "SCMP_CMP_GE") return SCMP_CMP_GE;
  if (op == "SCMP_CMP_GT") return SCMP_CMP_GT;
  return SCMP_CMP_MASKED_EQ;
}

}  // namespace

Result<void> compile_seccomp(const json& seccomp) {
  auto default_action = action_of(seccomp, "defaultAction", "defaultErrnoRet");
  if (!default_action) return tl::unexpected(default_action.error());
  std::unique_ptr<void, void (*)(scmp_filter_ctx)> ctx(seccomp_init(*default_action), seccomp_release);
  if (!ctx) return fail("libseccomp cannot create a filter with that default action");
  for (const auto& arch : seccomp.value("architectures", json::array())) {
    std::string name = arch.get<std::string>().substr(10);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::uint32_t token = seccomp_arch_resolve_name(name.c_str());
    if (token == 0) return fail("libseccomp does not know the architecture " + arch.get<std::string>());
    if (const int rc = seccomp_arch_add(ctx.get(), token); rc != 0 && rc != -EEXIST) {
      return fail("libseccomp cannot add " + arch.get<std::string>() + ": " + std::strerror(-rc));
    }
  }
  for (const auto& rule : seccomp.value("syscalls", json::array())) {
    auto action = action_of(rule, "action", "errnoRet");
    if (!action) return tl::unexpected(action.error());
    std::vector<scmp_arg_cmp> args;
    for (const auto& a : rule.value("args", json::array())) {
      args.push_back(scmp_arg_cmp{a.value("index", 0u), op_of(a.value("op", "")), a.value("value", std::uint64_t{0}),
                                  a.value("valueTwo", std::uint64_t{0})});
    }
    for (const auto& name : rule["names"]) {
      const int nr = seccomp_syscall_resolve_name(name.get<std::string>().c_str());
      if (nr < 0) continue;  // not a syscall of the host's native ABI: runc skips it too
      const int rc = seccomp_rule_add_array(ctx.get(), *action, nr, static_cast<unsigned>(args.size()), args.data());
      if (rc != 0) {
        return fail("libseccomp refuses the rule for " + name.get<std::string>() + " (" + rule.value("action", "") +
                    "): " + std::strerror(-rc));
      }
    }
  }
  return {};
}

}  // namespace hardened
