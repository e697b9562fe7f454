#pragma once
// The wrapper's own log (host config log_file): one JSON line per hardened container or process.
#include <string>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

// Appends `record` with "time" (now, RFC 3339 UTC) added, as one line. Called only on the rewrite
// paths, never on pass-through.
Result<void> write_audit_line(const std::string& log_file, json record);

}  // namespace hardened
