#pragma once
// Names checked against the host's own libraries: syscalls and architectures with libseccomp,
// capabilities with libcap-ng's table (capability_names.hpp). A name they do not know is a typo or a
// newer kernel's, and is refused.
#include <string_view>

namespace hardened {

bool is_known_capability(std::string_view name);   // "CAP_CHOWN"
bool is_known_syscall(std::string_view name);      // "openat", resolved for the host arch
bool is_known_seccomp_arch(std::string_view name); // "SCMP_ARCH_X86_64"

}  // namespace hardened
