#include "hardened/audit_log.hpp"

#include "hardened/json_fields.hpp"
#include "hardened/runtime_log.hpp"

namespace hardened {

void AuditRecord::add_key(std::string_view key) {
  if (!members_.empty()) members_ += ',';
  append_json_string(key, members_);
  members_ += ':';
}

void AuditRecord::text(std::string_view key, std::string_view value) {
  add_key(key);
  append_json_string(value, members_);
}

void AuditRecord::texts(std::string_view key, const std::vector<std::string>& values) {
  open_list(key);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i != 0) members_ += ',';
    append_json_string(values[i], members_);
  }
  members_ += ']';
}

void AuditRecord::open_list(std::string_view key) {
  add_key(key);
  members_ += '[';
}

void AuditRecord::add_object(std::string_view first_key, std::string_view first, std::string_view second_key, std::string_view second) {
  if (members_.back() != '[') members_ += ',';
  members_ += '{';
  append_json_string(first_key, members_);
  members_ += ':';
  append_json_string(first, members_);
  members_ += ',';
  append_json_string(second_key, members_);
  members_ += ':';
  append_json_string(second, members_);
  members_ += '}';
}

Result<void> write_audit_line(const std::string& log_file, const AuditRecord& record) {
  if (log_file.empty()) return {};
  std::string line = "{\"time\":";
  append_json_string(rfc3339_now(), line);
  if (!record.members().empty()) line += ',';
  line += record.members();
  line += "}\n";
  // One write(2) on an O_APPEND descriptor: concurrent creates each land a whole line. A stdio or
  // spdlog file sink may split a long line into two writes, which other processes can interleave.
  if (!append_line(log_file, line)) return fail("cannot append to the audit log " + log_file);
  return {};
}

}  // namespace hardened
