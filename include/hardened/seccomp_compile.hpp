#pragma once
// Compiles an OCI LinuxSeccomp with libseccomp for the host arch, as runc will, without loading it:
// proof that runc can install the filter we write (validate, tests).
#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

Result<void> compile_seccomp(const json& seccomp);

}  // namespace hardened
