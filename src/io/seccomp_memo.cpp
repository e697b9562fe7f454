#include "hardened/seccomp_memo.hpp"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <tuple>
#include <utility>
#include <vector>

#include "hardened/fd.hpp"
#include "hardened/json_file.hpp"

namespace hardened {
namespace {

// An entry: this header line, then the key, the filter and the change, back to back.
//   hardened-runtime seccomp memo 1 <key bytes> <filter bytes> <change bytes> <checksum of filter+change>\n
constexpr std::string_view kMagic = "hardened-runtime seccomp memo 1 ";
constexpr std::size_t kMaxEntryBytes = 1 << 20;  // key, filter and change; the header line comes on top
constexpr std::size_t kMaxHeaderBytes = 128;

// Not a cryptographic hash, and it need not be: the whole key is compared, byte for byte, before an
// entry is believed. It names the file and catches a damaged filter; only root can write either.
std::string hex64(std::size_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016zx", value);
  return text;
}

std::size_t checksum(std::string_view filter, std::string_view change) {
  return std::hash<std::string_view>{}(filter) * 31 + std::hash<std::string_view>{}(change);
}

// The key's parts in order; an entry writes each as "<size>:<bytes>". The build id makes the code one
// of the inputs. A create that finds its entry compares these where they lie, never joined (~20 KB).
template <class Visit>
void each_key_part(std::string_view build_id, const SeccompMeetInputs& inputs, Visit&& visit) {
  char count[24];
  const char* count_end = std::to_chars(count, count + sizeof count, inputs.profile_texts.size()).ptr;
  visit(build_id);
  visit(std::string_view(count, static_cast<std::size_t>(count_end - count)));
  for (const auto text : inputs.profile_texts) visit(text);
  visit(inputs.container_filter ? "filter" : "no filter");
  visit(inputs.container_filter.value_or(""));
  visit(std::string_view(inputs.bounding));
  visit(std::string_view(inputs.kernel));
}

std::string size_text(std::size_t size) {
  char text[24];
  return std::string(text, std::to_chars(text, text + sizeof text, size).ptr);
}

// Why the open `fd` (the memo's directory, or one entry) cannot be believed, or "".
std::string untrusted(int fd, bool directory, struct stat& st) {
  if (::fstat(fd, &st) != 0) return std::string("cannot stat it: ") + std::strerror(errno);
  if (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) return directory ? "not a directory" : "not a regular file";
  if (st.st_uid != 0) return "owned by uid " + std::to_string(st.st_uid) + ", not root";
  const mode_t mode = st.st_mode & 07777;
  if (directory ? mode != 0700 : (mode & (S_IWGRP | S_IWOTH)) != 0) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    return std::string("mode ") + octal + (directory ? ", not 0700" : ", writable by others");
  }
  return "";
}

// The memo's directory, opened without following a link, or -1 with `why` set ("" when it is absent).
Fd open_directory(const std::string& dir, std::string& why) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    why = errno == ENOENT ? "" : std::string("cannot open it: ") + std::strerror(errno);
    return fd;
  }
  struct stat st {};
  why = untrusted(fd.get(), true, st);
  return why.empty() ? std::move(fd) : Fd(-1);
}

// Reads an open entry front to back through a buffer on the stack, so its key is compared where it
// lies and only the filter and the change are copied.
class EntryReader {
 public:
  explicit EntryReader(int fd) : fd_(fd) {}

  // The header line's text (without its newline), when the first bytes hold one.
  std::optional<std::string_view> header() {
    if (!fill()) return std::nullopt;
    const std::string_view buffered(buffer_, end_);
    const std::size_t newline = buffered.find('\n');
    if (newline == std::string_view::npos) return std::nullopt;
    at_ = newline + 1;
    return buffered.substr(0, newline);
  }
  // Whether the next bytes are `text` (consumed).
  bool next_is(std::string_view text) {
    while (!text.empty()) {
      if (at_ == end_ && !fill()) return false;
      const std::size_t n = std::min(text.size(), end_ - at_);
      if (std::memcmp(buffer_ + at_, text.data(), n) != 0) return false;
      at_ += n;
      text.remove_prefix(n);
    }
    return true;
  }
  // The next `size` bytes, or nothing at the end of the file.
  std::optional<std::string> take(std::size_t size) {
    std::string out;
    out.reserve(size);
    while (out.size() < size) {
      if (at_ == end_ && !fill()) return std::nullopt;
      const std::size_t n = std::min(size - out.size(), end_ - at_);
      out.append(buffer_ + at_, n);
      at_ += n;
    }
    return out;
  }

 private:
  bool fill() {
    ssize_t n;
    do n = ::read(fd_, buffer_, sizeof buffer_);
    while (n < 0 && errno == EINTR);
    at_ = 0;
    end_ = n > 0 ? static_cast<std::size_t>(n) : 0;
    return end_ > 0;
  }

  int fd_;
  char buffer_[8192];
  std::size_t at_ = 0, end_ = 0;
};

// The sizes an entry's header line gives (key, filter, change) and its checksum, when it is one.
std::optional<std::array<std::size_t, 4>> entry_sizes(std::string_view header) {
  if (!header.starts_with(kMagic)) return std::nullopt;
  std::array<std::size_t, 4> sizes{};
  const char* at = header.data() + kMagic.size();
  const char* end = header.data() + header.size();
  for (std::size_t i = 0; i < 4; ++i) {
    const auto [next, ec] = std::from_chars(at, end, sizes[i], i == 3 ? 16 : 10);
    if (ec != std::errc() || (i < 3 ? next == end || *next != ' ' : next != end)) return std::nullopt;
    at = next + 1;
  }
  return sizes;
}

// Past `max` entries, the ones written longest ago go: a host whose containers bring many different
// filters keeps a bounded memo in /run, and an entry still in use is met and kept again.
void prune(int dir, std::size_t max) {
  const int listing = ::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* stream = listing < 0 ? nullptr : ::fdopendir(listing);
  if (stream == nullptr) {
    if (listing >= 0) ::close(listing);
    return;
  }
  std::vector<std::pair<timespec, std::string>> entries;  // (written, name)
  while (const dirent* entry = ::readdir(stream)) {
    const std::string_view name = entry->d_name;
    struct stat st {};
    if (name.ends_with(".meet") && ::fstatat(dir, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) entries.emplace_back(st.st_mtim, name);
  }
  ::closedir(stream);
  if (entries.size() <= max) return;
  const auto older = [](const auto& a, const auto& b) {
    return std::tie(a.first.tv_sec, a.first.tv_nsec, a.second) < std::tie(b.first.tv_sec, b.first.tv_nsec, b.second);
  };
  std::sort(entries.begin(), entries.end(), older);
  for (std::size_t i = 0; i < entries.size() - max; ++i) ::unlinkat(dir, entries[i].second.c_str(), 0);
}

Finding note(const std::string& what) { return {"seccomp", "the seccomp memo " + what + "; the filter was met afresh"}; }

}  // namespace

SeccompMemo::SeccompMemo(std::string state_dir, std::string build_id, std::size_t max_entries)
    : build_id_(std::move(build_id)), max_entries_(max_entries) {
  if (!state_dir.empty() && !build_id_.empty() && ::geteuid() == 0) dir_ = state_dir + "/seccomp";
}

std::string SeccompMemo::entry_name(const SeccompMeetInputs& inputs) const {
  std::size_t hash = 14695981039346656037u;
  each_key_part(build_id_, inputs, [&](std::string_view part) { hash = (hash ^ std::hash<std::string_view>{}(part)) * 1099511628211u; });
  return hex64(hash) + ".meet";
}

std::string SeccompMemo::key(const SeccompMeetInputs& inputs) const {
  std::string key;
  each_key_part(build_id_, inputs, [&](std::string_view part) {
    key += size_text(part.size());
    key += ':';
    key += part;
  });
  return key;
}

std::optional<MetFilter> SeccompMemo::find(const SeccompMeetInputs& inputs, Findings& notes) const {
  if (dir_.empty()) return std::nullopt;
  std::string why;
  const Fd dir(open_directory(dir_, why));
  if (dir.get() < 0) {
    if (!why.empty()) notes.push_back(note("directory " + dir_ + " is not used: " + why + " (it must be root's, 0700)"));
    return std::nullopt;
  }
  const std::string name = entry_name(inputs);
  const Fd entry(::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (entry.get() < 0) {
    if (errno != ENOENT) notes.push_back(note("entry " + dir_ + "/" + name + " was ignored: cannot open it: " + std::strerror(errno)));
    return std::nullopt;
  }
  struct stat st {};
  if (const std::string bad = untrusted(entry.get(), false, st); !bad.empty()) {
    notes.push_back(note("entry " + dir_ + "/" + name + " was ignored: " + bad));
    return std::nullopt;
  }
  const auto ignored = [&](const char* damage) {
    notes.push_back(note("entry " + dir_ + "/" + name + " was ignored: " + damage));
    return std::nullopt;
  };
  // None is written larger (keep): a larger one is not read, whatever its header claims.
  const auto file_size = static_cast<std::size_t>(st.st_size);
  if (file_size > kMaxEntryBytes + kMaxHeaderBytes) return ignored("larger than any entry the memo writes");
  EntryReader reader(entry.get());
  const auto header = reader.header();
  const auto sizes = header ? entry_sizes(*header) : std::nullopt;
  if (!sizes || (*sizes)[0] > file_size || (*sizes)[1] > file_size || (*sizes)[2] > file_size ||
      header->size() + 1 + (*sizes)[0] + (*sizes)[1] + (*sizes)[2] != file_size) {
    return ignored("damaged (not a whole entry)");
  }
  std::size_t key_size = 0;
  each_key_part(build_id_, inputs, [&](std::string_view part) { key_size += size_text(part.size()).size() + 1 + part.size(); });
  bool same = key_size == (*sizes)[0];  // else another key under this name (or another build's layout)
  each_key_part(build_id_, inputs, [&](std::string_view part) {
    same = same && reader.next_is(size_text(part.size())) && reader.next_is(":") && reader.next_is(part);
  });
  if (!same) return std::nullopt;
  auto filter = reader.take((*sizes)[1]);
  auto change = filter ? reader.take((*sizes)[2]) : std::nullopt;
  if (!change) return ignored("damaged (not a whole entry)");
  if (checksum(*filter, *change) != (*sizes)[3]) return ignored("damaged (its checksum does not match)");
  return MetFilter{std::move(*filter), std::move(*change)};
}

void SeccompMemo::keep(const SeccompMeetInputs& inputs, const MetFilter& met, Findings& notes) const {
  // The memo is bounded twice: one for a filter of unusual size is not kept, and past max_entries_ the
  // oldest go (prune), so containers that each bring a filter of their own cannot fill the tmpfs
  // through it. Docker's default filter makes a key of ~20 KB.
  if (dir_.empty()) return;
  const std::string k = key(inputs);
  if (k.size() + met.filter.size() + met.change.size() > kMaxEntryBytes) return;
  const std::string state_dir = dir_.substr(0, dir_.rfind('/'));
  for (const auto& path : {state_dir, dir_}) {
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
      notes.push_back(note("directory " + path + " cannot be created: " + std::strerror(errno) + "; nothing was kept"));
      return;
    }
  }
  std::string why;
  const Fd dir(open_directory(dir_, why));
  if (dir.get() < 0) {
    notes.push_back(note("directory " + dir_ + " is not used: " + why + " (it must be root's, 0700); nothing was kept"));
    return;
  }
  std::string text(kMagic);
  text += std::to_string(k.size()) + ' ' + std::to_string(met.filter.size()) + ' ' + std::to_string(met.change.size()) + ' ';
  char sum[17];
  std::snprintf(sum, sizeof sum, "%zx", checksum(met.filter, met.change));
  text += sum;
  text += '\n';
  text += k;
  text += met.filter;
  text += met.change;
  const JsonFile like{json(), "", 0600, 0, 0};
  if (auto ok = replace_file_atomically(dir_ + "/" + entry_name(inputs), text, like, Durability::until_reboot); !ok) {
    notes.push_back(note("entry was not kept: " + ok.error().message));
  }
  prune(dir.get(), max_entries_);
}

std::string own_build_id() {
  std::string id;
  // The first object dl_iterate_phdr reports is the program itself (also when linked statically).
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* out) {
        auto& hex = *static_cast<std::string*>(out);
        for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& segment = info->dlpi_phdr[i];
          if (segment.p_type != PT_NOTE) continue;
          const char* at = reinterpret_cast<const char*>(info->dlpi_addr + segment.p_vaddr);
          const char* end = at + segment.p_memsz;
          while (at + sizeof(ElfW(Nhdr)) <= end) {
            const auto* header = reinterpret_cast<const ElfW(Nhdr)*>(at);
            const char* name = at + sizeof(ElfW(Nhdr));
            const char* desc = name + ((header->n_namesz + 3) & ~3u);
            if (header->n_type == NT_GNU_BUILD_ID && header->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0 &&
                desc + header->n_descsz <= end) {
              for (ElfW(Word) k = 0; k < header->n_descsz; ++k) {
                char byte[3];
                std::snprintf(byte, sizeof byte, "%02x", static_cast<unsigned char>(desc[k]));
                hex += byte;
              }
              return 1;
            }
            at = desc + ((header->n_descsz + 3) & ~3u);
          }
        }
        return 1;  // only the program's own notes count
      },
      &id);
  return id;
}

}  // namespace hardened
