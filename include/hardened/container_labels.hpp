#pragma once
#include <string>

namespace hardened {

// The confinement a container runs under, as runc or crun recorded it at create ("": none). An exec
// may name only these (rules::exec_labels).
struct ContainerLabels {
  std::string apparmor_profile;
  std::string selinux_label;
};

}  // namespace hardened
