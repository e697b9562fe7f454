#include "hardened/seccomp_memo.hpp"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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
constexpr std::size_t kMaxEntryBytes = 1 << 20;

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

void add_part(std::string& key, std::string_view part) {
  key += std::to_string(part.size());
  key += ':';
  key += part;
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

// The filter and the change of a whole entry for `key`; nothing when it is for another key (a
// different build, or two keys with one name); `damage` says what is wrong with a damaged one.
std::optional<MetFilter> read_entry(std::string_view text, std::string_view key, std::string& damage) {
  damage = "damaged (not a whole entry)";
  if (!text.starts_with(kMagic)) return std::nullopt;
  std::size_t sizes[4] = {};
  const char* at = text.data() + kMagic.size();
  const char* end = text.data() + text.size();
  for (std::size_t i = 0; i < 4; ++i) {
    const auto [next, ec] = std::from_chars(at, end, sizes[i], i == 3 ? 16 : 10);
    if (ec != std::errc() || next == end || *next != (i == 3 ? '\n' : ' ')) return std::nullopt;
    at = next + 1;
  }
  const std::size_t body = static_cast<std::size_t>(end - at);
  if (sizes[0] > body || sizes[1] > body - sizes[0] || sizes[2] != body - sizes[0] - sizes[1]) return std::nullopt;
  const std::string_view entry_key(at, sizes[0]);
  const std::string_view filter(at + sizes[0], sizes[1]);
  const std::string_view change(at + sizes[0] + sizes[1], sizes[2]);
  if (checksum(filter, change) != sizes[3]) {
    damage = "damaged (its checksum does not match)";
    return std::nullopt;
  }
  damage.clear();
  if (entry_key != key) return std::nullopt;
  return MetFilter{std::string(filter), std::string(change)};
}

std::string entry_name(std::string_view key) { return hex64(std::hash<std::string_view>{}(key)) + ".meet"; }

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

std::string SeccompMemo::key(const SeccompMeetInputs& inputs) const {
  std::string key;
  std::size_t size = build_id_.size() + inputs.bounding.size() + inputs.kernel.size() + 64;
  for (const auto text : inputs.profile_texts) size += text.size() + 12;
  if (inputs.container_filter) size += inputs.container_filter->size();
  key.reserve(size);
  add_part(key, build_id_);
  add_part(key, std::to_string(inputs.profile_texts.size()));
  for (const auto text : inputs.profile_texts) add_part(key, text);
  add_part(key, inputs.container_filter ? "filter" : "no filter");
  add_part(key, inputs.container_filter.value_or(""));
  add_part(key, inputs.bounding);
  add_part(key, inputs.kernel);
  return key;
}

std::optional<MetFilter> SeccompMemo::find(const std::string& k, Findings& notes) const {
  if (dir_.empty()) return std::nullopt;
  std::string why;
  const Fd dir(open_directory(dir_, why));
  if (dir.get() < 0) {
    if (!why.empty()) notes.push_back(note("directory " + dir_ + " is not used: " + why + " (it must be root's, 0700)"));
    return std::nullopt;
  }
  const std::string name = entry_name(k);
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
  auto text = read_all(entry.get(), dir_ + "/" + name, static_cast<std::size_t>(st.st_size));
  if (!text) {
    notes.push_back(note("entry " + dir_ + "/" + name + " was ignored: " + text.error().message));
    return std::nullopt;
  }
  std::string damage;
  auto met = read_entry(*text, k, damage);
  if (!damage.empty()) notes.push_back(note("entry " + dir_ + "/" + name + " was ignored: " + damage));
  return met;
}

void SeccompMemo::keep(const std::string& k, const MetFilter& met, Findings& notes) const {
  // The memo is bounded twice: one for a filter of unusual size is not kept, and past max_entries_ the
  // oldest go (prune), so containers that each bring a filter of their own cannot fill the tmpfs
  // through it. Docker's default filter makes a key of ~20 KB.
  if (dir_.empty() || k.size() + met.filter.size() > kMaxEntryBytes) return;
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
  if (auto ok = replace_file_atomically(dir_ + "/" + entry_name(k), text, like, Durability::until_reboot); !ok) {
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
