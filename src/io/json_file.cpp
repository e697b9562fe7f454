#include "hardened/json_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "hardened/fd.hpp"

namespace hardened {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

Result<std::string> read_all(int fd, const std::string& what, std::optional<std::size_t> regular_size) {
  // A regular file of the size fstat gave takes one read: one byte more is asked for, and a short read
  // of a regular file is its end. Anything else (a pipe, a /proc file) is read until read returns 0,
  // into a page that doubles as needed (a create reads two /proc files of a few hundred bytes; the
  // buffer is zeroed, so its size is pages touched).
  std::string text(regular_size.value_or(4095) + 1, '\0');
  std::size_t size = 0;
  for (;;) {
    if (size == text.size()) text.resize(text.size() * 2);
    const std::size_t asked = text.size() - size;
    const ssize_t n = ::read(fd, text.data() + size, asked);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot read " + what + ": " + errno_text(errno));
    size += static_cast<std::size_t>(n);
    if (n == 0 || (regular_size && static_cast<std::size_t>(n) < asked)) {
      text.resize(size);
      return text;
    }
  }
}

namespace {

Result<void> write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write " + path + ": " + errno_text(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

Result<std::string> read_text_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return fail("cannot open " + path + ": " + errno_text(errno));
  struct stat st {};
  const bool regular = ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  return read_all(fd.get(), path, regular ? std::optional<std::size_t>(static_cast<std::size_t>(st.st_size)) : std::nullopt);
}

Result<JsonFile> read_file_for_json(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return fail("cannot open " + path + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail("cannot stat " + path + ": " + errno_text(errno));
  if (!S_ISREG(st.st_mode)) return fail(path + " is not a regular file");
  // A size of 0 may be a /proc file that has content all the same: read that one to the end.
  auto text = read_all(fd.get(), path, st.st_size > 0 ? std::optional<std::size_t>(static_cast<std::size_t>(st.st_size)) : std::nullopt);
  if (!text) return tl::unexpected(text.error());
  if (text->empty()) return fail(path + " is empty");
  return JsonFile{json(), std::move(*text), static_cast<mode_t>(st.st_mode & 07777), st.st_uid, st.st_gid};
}

Result<JsonFile> read_json_file(const std::string& path) {
  auto file = read_file_for_json(path);
  if (!file) return file;
  auto document = parse_json(file->text, path);
  if (!document) return tl::unexpected(document.error());
  file->document = std::move(*document);
  return file;
}

Result<void> replace_file_atomically(const std::string& path, const std::string& text, const JsonFile& like, Durability durability) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  // An unnamed file (O_TMPFILE) is written, given its mode and owner and flushed before it gets a name,
  // so a writer killed on the way leaves nothing behind; then the name is renamed over `path`.
  // Filesystems without O_TMPFILE get a named temporary file from the start (removed on failure).
  // One fixed name per file: a complete one left by a writer killed between link and rename is simply
  // removed when it is in the way (one file has one writer: a bundle's create, an exec's process file,
  // a record; writers of a seccomp memo slot all write complete entries).
  const std::string temp = dir + "/." + base + ".hardened-tmp";
  Fd fd(::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600));
  const bool named = fd.get() < 0 && (errno == EOPNOTSUPP || errno == EISDIR);
  if (named) {
    ::unlink(temp.c_str());
    fd = Fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));  // the old fd (-1) closes nothing
  }
  if (fd.get() < 0) return fail("cannot create a temporary file in " + dir + ": " + errno_text(errno));
  auto discard = [&](Result<void> failure) {
    if (named) ::unlink(temp.c_str());
    return failure;
  };
  if (auto ok = write_all(fd.get(), text, path); !ok) return discard(ok);
  if (::fchmod(fd.get(), like.mode) != 0) return discard(fail("cannot set the mode of the new " + path + ": " + errno_text(errno)));
  if ((like.uid != ::geteuid() || like.gid != ::getegid()) && ::fchown(fd.get(), like.uid, like.gid) != 0) {
    return discard(fail("cannot keep the owner of " + path + ": " + errno_text(errno)));
  }
  const bool synced = durability == Durability::synced;
  if (synced && ::fsync(fd.get()) != 0) return discard(fail("cannot flush the new " + path + ": " + errno_text(errno)));
  // The unnamed file gets its name from its descriptor (AT_EMPTY_PATH: root's CAP_DAC_READ_SEARCH),
  // else through /proc (rootless runtimes), a path walk through procfs that costs more.
  auto link = [&] {
    if (::linkat(fd.get(), "", AT_FDCWD, temp.c_str(), AT_EMPTY_PATH) == 0) return true;
    if (errno == EEXIST) return false;
    const std::string proc_fd = "/proc/self/fd/" + std::to_string(fd.get());
    return ::linkat(AT_FDCWD, proc_fd.c_str(), AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) == 0;
  };
  if (!named && !link() && (errno != EEXIST || ::unlink(temp.c_str()) != 0 || !link())) {
    return fail("cannot name the new " + path + " in " + dir + ": " + errno_text(errno));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return fail("cannot replace " + path + ": " + errno_text(err));
  }
  // The rename itself must reach the disk too before runc reads the file.
  if (!synced) return {};
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
  return {};
}

}  // namespace hardened
