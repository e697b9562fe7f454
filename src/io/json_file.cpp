#include "hardened/json_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hardened {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

Result<std::string> read_all(int fd, const std::string& what) {
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot read " + what + ": " + errno_text(errno));
    }
    text.append(buffer, static_cast<std::size_t>(n));
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
  return read_all(fd.get(), path);
}

Result<JsonFile> read_json_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return fail("cannot open " + path + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail("cannot stat " + path + ": " + errno_text(errno));
  if (!S_ISREG(st.st_mode)) return fail(path + " is not a regular file");
  auto text = read_all(fd.get(), path);
  if (!text) return tl::unexpected(text.error());
  if (text->empty()) return fail(path + " is empty");
  auto document = parse_json(*text, path);
  if (!document) return tl::unexpected(document.error());
  return JsonFile{std::move(*document), std::move(*text), static_cast<mode_t>(st.st_mode & 07777), st.st_uid, st.st_gid};
}

Result<void> replace_file_atomically(const std::string& path, const std::string& text, const JsonFile& like) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  // An unnamed file (O_TMPFILE) is written, given its mode and owner and flushed before it gets a name,
  // so a writer killed on the way leaves nothing behind; then the name is renamed over `path`.
  // Filesystems without O_TMPFILE get a named temporary file from the start (removed on failure).
  // One fixed name per file: a complete one left by a writer killed between link and rename is simply
  // removed here (one file has one writer: a bundle's create, an exec's process file, a record).
  const std::string temp = dir + "/." + base + ".hardened-tmp";
  ::unlink(temp.c_str());
  Fd fd(::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600));
  const bool named = fd.get() < 0 && (errno == EOPNOTSUPP || errno == EISDIR);
  if (named) fd = Fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));  // the old fd (-1) closes nothing
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
  if (::fsync(fd.get()) != 0) return discard(fail("cannot flush the new " + path + ": " + errno_text(errno)));
  const std::string proc_fd = "/proc/self/fd/" + std::to_string(fd.get());
  if (!named && ::linkat(AT_FDCWD, proc_fd.c_str(), AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) != 0) {
    return fail("cannot name the new " + path + " in " + dir + ": " + errno_text(errno));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return fail("cannot replace " + path + ": " + errno_text(err));
  }
  // The rename itself must reach the disk too before runc reads the file.
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
  return {};
}

}  // namespace hardened
