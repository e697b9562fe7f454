#include "hardened/known_names.hpp"

#include <seccomp.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "hardened/capability_names.hpp"

namespace hardened {

bool is_known_capability(std::string_view name) {
  if (!name.starts_with("CAP_")) return false;
  const std::string_view bare = name.substr(4);
  // libcap-ng compares case-insensitively; the OCI spec spells capabilities in upper case only.
  if (std::any_of(bare.begin(), bare.end(), [](unsigned char c) { return std::islower(c) != 0; })) return false;
  return capability_number(bare).has_value();
}

bool is_known_syscall(std::string_view name) {
  const std::string copy(name);
  // Names of other ABIs of this host (chown32 on x86_64) resolve to negative pseudo numbers; only
  // __NR_SCMP_ERROR means libseccomp has never heard of the name.
  return seccomp_syscall_resolve_name(copy.c_str()) != __NR_SCMP_ERROR;
}

bool is_known_seccomp_arch(std::string_view name) {
  if (!name.starts_with("SCMP_ARCH_")) return false;
  std::string arch(name.substr(10));
  std::transform(arch.begin(), arch.end(), arch.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return seccomp_arch_resolve_name(arch.c_str()) != 0;
}

}  // namespace hardened
