#pragma once
// JSON files replaced atomically: a temp file in the same directory, fsync, rename, fsync of the
// directory. A crash leaves the old file or the new one, never half of one.
#include <sys/types.h>

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

// Everything left to read on `fd`; `what` names it in errors.
Result<std::string> read_all(int fd, const std::string& what);
Result<std::string> read_text_file(const std::string& path);
Result<JsonFile> read_json_file(const std::string& path);
// Writes `text` over `path` keeping `like`'s mode and owner.
Result<void> replace_file_atomically(const std::string& path, const std::string& text, const JsonFile& like);

}  // namespace hardened
