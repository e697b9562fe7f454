#include "hardened/creation_record.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "hardened/json_file.hpp"

namespace hardened {
namespace {

bool valid_id(const std::string& id) { return !id.empty() && id.front() != '.' && id.find('/') == std::string::npos; }

std::string record_text(const CreationRecord& record) {
  json document{{"mode", record.mode}, {"profile", record.profile}, {"selected_by", record.selected_by}, {"runtime", record.runtime}};
  if (!record.root.empty()) document["root"] = record.root;
  if (!record.config.empty()) document["config"] = record.config;
  return dump_json(document) + "\n";
}

// A record is new: a container id names one container while the host is up (Docker's are random). So
// it is written under its name at once, in one write, with no temporary name or rename (a third of
// the cost on tmpfs): no reader looks for it before this create has exec'd runc, and a writer killed
// on the way leaves a record for a container that never started. Only a record in the way (an id
// used again after `delete`) is replaced atomically. Returns 0 or the errno of what failed.
int write_new_record(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  const ssize_t written = ::write(fd, text.data(), text.size());
  const int err = written < 0 ? errno : ENOSPC;  // a short write of a hundred bytes: the file system is full
  ::close(fd);
  if (written == static_cast<ssize_t>(text.size())) return 0;
  ::unlink(path.c_str());
  return err;
}

}  // namespace

Result<void> write_creation_record(const std::string& state_dir, const std::string& id, const CreationRecord& record) {
  if (state_dir.empty() || !valid_id(id)) return {};
  const std::string path = state_dir + "/" + id + ".json";
  const std::string text = record_text(record);
  auto write = [&]() -> Result<void> {
    const int err = write_new_record(path, text);
    if (err == 0) return {};
    if (err != EEXIST) return fail("cannot write " + path + ": " + std::strerror(err));
    return replace_file_atomically(path, text, JsonFile{json(), "", 0600, ::geteuid(), ::getegid()}, Durability::until_reboot);
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
  auto text = [&](const char* key) { return d.contains(key) && d[key].is_string() ? d[key].get<std::string>() : std::string(); };
  return CreationRecord{d["profile"], text("selected_by"), text("mode"), text("runtime"), text("root"), text("config")};
}

void remove_creation_record(const std::string& state_dir, const std::string& id) {
  if (!state_dir.empty() && valid_id(id)) ::unlink((state_dir + "/" + id + ".json").c_str());
}

}  // namespace hardened
