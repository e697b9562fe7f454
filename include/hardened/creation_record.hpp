#pragma once
// What hardened-runtime decided when it created a container, kept in the host config's state_dir
// (/run/hardened-runtime/<id>.json, root's; removed by runc's `delete`, gone at reboot with the
// containers). exec and update use it to apply the profile create applied, and `audit` to know which
// containers came through hardened-runtime and which profile each must meet; a container cannot forge it.
#include <optional>
#include <string>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

struct CreationRecord {
  std::string profile;
  std::string selected_by;
  std::string mode;
  std::string runtime;  // the real runtime's absolute path; "" in a record older than this field
  std::string root;     // the runtime's --root at create; "" when none was given (its default)
  std::string config;   // the host config file create read; "" for the built-in defaults
};

Result<void> write_creation_record(const std::string& state_dir, const std::string& id, const CreationRecord& record);
std::optional<CreationRecord> read_creation_record(const std::string& state_dir, const std::string& id);
// At `delete`: a node that runs containers for weeks would otherwise keep one file (and its inode in
// kernel memory) per container it ever ran, in /run, until reboot.
void remove_creation_record(const std::string& state_dir, const std::string& id);

}  // namespace hardened
