#include "hardened/creation_record.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "hardened/json_file.hpp"

namespace hardened {
namespace {

bool valid_id(const std::string& id) { return !id.empty() && id.front() != '.' && id.find('/') == std::string::npos; }

}  // namespace

Result<void> write_creation_record(const std::string& state_dir, const std::string& id, const CreationRecord& record) {
  if (state_dir.empty() || !valid_id(id)) return {};
  const json document{{"profile", record.profile}, {"selected_by", record.selected_by}, {"mode", record.mode}};
  auto write = [&] {
    return replace_file_atomically(state_dir + "/" + id + ".json", dump_json(document) + "\n",
                                   JsonFile{json(), "", 0600, ::geteuid(), ::getegid()}, Durability::until_reboot);
  };
  if (auto ok = write(); ok) return ok;
  // The first record since boot: the state directory is made then, not looked for on every create.
  if (::mkdir(state_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return fail("cannot create the state directory " + state_dir + ": " + std::strerror(errno));
  }
  return write();
}

std::optional<CreationRecord> read_creation_record(const std::string& state_dir, const std::string& id) {
  if (state_dir.empty() || !valid_id(id)) return std::nullopt;
  auto file = read_json_file(state_dir + "/" + id + ".json");
  if (!file || !file->document.is_object()) return std::nullopt;
  const json& d = file->document;
  if (!d.contains("profile") || !d["profile"].is_string()) return std::nullopt;
  return CreationRecord{d["profile"], d.value("selected_by", ""), d.value("mode", "")};
}

}  // namespace hardened
