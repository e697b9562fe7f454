// An exec's process file may name its own AppArmor profile or SELinux label, and runc and crun then
// run the process under it instead of the container's: `"apparmorProfile": "unconfined"` would undo
// the container's confinement. One profile cannot be judged stricter than another, so the process may
// name only the container's own (Docker names it on every exec on an AppArmor host); anything else is
// refused, as `runc exec --apparmor`/`--process-label` are (flag_policy.cpp).
#include "rules.hpp"

namespace hardened::rules {

Result<void> exec_labels(const json& process, const ContainerLabels& container, Findings& denials) {
  struct Field {
    const char* key;
    const char* what;
    const std::string& container_value;
  };
  for (const Field& field : {Field{"apparmorProfile", "AppArmor profile", container.apparmor_profile},
                             Field{"selinuxLabel", "SELinux label", container.selinux_label}}) {
    const json* value = member(process, field.key);
    if (value == nullptr || value->is_null()) continue;
    if (!value->is_string()) return fail(std::string("process.") + field.key + " must be a string");
    const std::string& requested = value->get_ref<const std::string&>();
    if (requested.empty() || requested == field.container_value) continue;
    const std::string runs_under = field.container_value.empty() ? "none" : "'" + field.container_value + "'";
    denials.push_back({"exec_labels", std::string("refused by rule exec_labels: the exec's process.") + field.key + " '" + requested +
                                          "' runs the new process under another " + field.what + " than the container's (" + runs_under +
                                          "), which hardened-runtime does not judge; leave it out and the process runs confined as "
                                          "the container is"});
  }
  return {};
}

}  // namespace hardened::rules
