#pragma once
// JSON files replaced atomically: a temp file in the same directory, fsync, rename, fsync of the
// directory. A crash leaves the old file or the new one, never half of one.
#include <sys/types.h>

#include <optional>
#include <string>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

struct JsonFile {
  json document;
  std::string text;  // the bytes as read, to tell whether anything changed
  mode_t mode = 0644;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Everything left to read on `fd`; `what` names it in errors. `regular_size`: fd is a regular file
// of that size (fstat), read in one go.
Result<std::string> read_all(int fd, const std::string& what, std::optional<std::size_t> regular_size = std::nullopt);
Result<std::string> read_text_file(const std::string& path);
Result<JsonFile> read_json_file(const std::string& path);
// What read_json_file reads (a regular, non-empty file), not parsed yet: `document` is null.
Result<JsonFile> read_file_for_json(const std::string& path);
// Whether a replaced file must survive a crash of the machine. Files in state_dir (/run: a tmpfs that a
// reboot empties anyway) only need to be whole, never half-written: their fsyncs are skipped.
enum class Durability { synced, until_reboot };

// Writes `text` over `path` keeping `like`'s mode and owner.
Result<void> replace_file_atomically(const std::string& path, const std::string& text, const JsonFile& like,
                                     Durability durability = Durability::synced);

}  // namespace hardened
