#pragma once
// What runc reads that a rule looking a field up by its name would not: runc decodes config.json, an
// exec's process file and an update's resources with Go's encoding/json, which matches an object key to
// a field without regard to ASCII case, and reads 'ſ' (U+017F) as 's' and 'K' (U+212A, Kelvin) as 'k';
// when several keys match one field, the last one wins. {"process": {...}, "proceſs": {...}} is one
// process to runc (the second, which our sorted output writes last) and two keys to the rules. Real
// clients (Docker, containerd, podman, kubelet) write every field with its own name; a key that only
// folds to one is refused, never renamed.
#include <string_view>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

// The document runc decodes, by where its maps are: their keys are data (annotation names, sysctls,
// cgroup files), not fields.
enum class RuncDocument { spec, process, resources };

// Fails when a key of `document` is one Go would read as an OCI field spelled otherwise, naming it
// ("linux.Devices, which runc reads as linux.devices") and `what` the document is ("config.json").
Result<void> check_field_spelling(const json& document, RuncDocument kind, std::string_view what);

}  // namespace hardened
