// noNewPrivileges stops setuid binaries and file capabilities from raising privileges after exec.
#include "rules.hpp"

namespace hardened::rules {

Result<void> no_new_privileges(json& process, const Profile& profile, Changes& changes) {
  bool current = false;
  if (const json* value = member(process, "noNewPrivileges")) {
    auto flag = as_bool(*value, "process.noNewPrivileges");
    if (!flag) return tl::unexpected(flag.error());
    current = *flag;
  }
  if (profile.no_new_privileges && !current) {
    process["noNewPrivileges"] = true;
    changes.push_back({"no_new_privileges", "set process.noNewPrivileges to true"});
  }
  return {};
}

}  // namespace hardened::rules
