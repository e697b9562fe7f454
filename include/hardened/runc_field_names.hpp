#pragma once
// What runc reads, whatever the spelling: runc decodes config.json, an exec's process file and an
// update's resources with Go's encoding/json, which matches an object key to a field without regard to
// ASCII case, and reads 'ſ' (U+017F) as 's' and 'K' (U+212A, Kelvin) as 'k'; when several keys match
// one field, the last one wins. A rule looking a field up by its own name would not see "Pids" (runc's
// own tests write update payloads so) or "proceſs" (which once replaced the hardened process: our sorted
// output wrote it last). So before anything is judged, a key that is a field spelled otherwise is
// renamed to the field's own name, and two keys that are one field are refused: the document keeps no
// order to tell which one runc would take.
#include <string_view>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

// The document runc decodes, by where its maps are: their keys are data (annotation names, sysctls,
// cgroup files), not fields.
enum class RuncDocument { spec, process, resources };

// Renames every key of `document` that Go reads as an OCI field spelled otherwise to that field's
// name; fails naming both keys and `what` the document is ("config.json") when two keys of one object
// are one field.
Result<void> canonical_field_names(json& document, RuncDocument kind, std::string_view what);

}  // namespace hardened
