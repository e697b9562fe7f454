#include "hardened/audit_log.hpp"

#include "hardened/runtime_log.hpp"

namespace hardened {

Result<void> write_audit_line(const std::string& log_file, json record) {
  if (log_file.empty()) return {};
  record["time"] = rfc3339_now();
  // One write(2) on an O_APPEND descriptor: concurrent creates each land a whole line. A stdio or
  // spdlog file sink may split a long line into two writes, which other processes can interleave.
  if (!append_line(log_file, dump_json(record) + "\n")) return fail("cannot append to the audit log " + log_file);
  return {};
}

}  // namespace hardened
