#include "hardened/seccomp_memo.hpp"

#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "hardened/json_file.hpp"
#include "hardened/whole_number.hpp"

namespace hardened {
namespace {

void append_hex(unsigned char byte, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

// This binary's GNU build id (from its own program headers: no system call): a new build may meet
// filters differently or know other syscall names, so it never uses an older build's meets.
std::string build_id() {
  std::string id;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* out) {
        auto& hex = *static_cast<std::string*>(out);
        for (int i = 0; i < info->dlpi_phnum && hex.empty(); ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          const auto* p = reinterpret_cast<const unsigned char*>(info->dlpi_addr + ph.p_vaddr);
          const auto* end = p + ph.p_memsz;
          while (p + sizeof(ElfW(Nhdr)) <= end) {
            const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
            const unsigned char* desc = p + sizeof(ElfW(Nhdr)) + ((note->n_namesz + 3) & ~3U);
            if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(p + sizeof(ElfW(Nhdr)), "GNU", 4) == 0) {
              for (std::size_t k = 0; k < note->n_descsz; ++k) append_hex(desc[k], hex);
              break;
            }
            p = desc + ((note->n_descsz + 3) & ~3U);
          }
        }
        return 1;  // the first object is the program itself
      },
      &id);
  return id.empty() ? "no-build-id" : id;
}

// An entry is two header lines, then the parts themselves: the profile texts, the container's filter,
// the met filter, the change and the encoded profile. Line 1: the format and the build; line 2: how
// many profile texts, then the length of each part in that order ('-' for no change).
std::string first_line() {
  static const std::string line = "hardened-runtime seccomp meet 2 " + build_id() + "\n";
  return line;
}

std::string lengths_line(const SeccompMeetInputs& inputs, const SeccompMeet& meet) {
  std::string out = std::to_string(inputs.profile_texts.size());
  for (std::string_view text : inputs.profile_texts) out += " " + std::to_string(text.size());
  out += " " + std::to_string(inputs.container_filter.size()) + " " + std::to_string(meet.filter.size()) + " " +
         (meet.change ? std::to_string(meet.change->size()) : "-") + " " + std::to_string(meet.profile.size()) + "\n";
  return out;
}

// Which of the 256 slots: a quick hash of the container's filter (what differs between containers)
// and of the profile texts' lengths and first bytes. It only picks the file; the entry is used only
// when every input byte matches.
std::string slot_path(const std::string& state_dir, const SeccompMeetInputs& inputs) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL;
  auto mix = [&](std::string_view text) {
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      h = (h ^ word) * 0xff51afd7ed558ccdULL;
      h ^= h >> 32;
    }
    for (; i < text.size(); ++i) h = (h ^ static_cast<unsigned char>(text[i])) * 0x100000001b3ULL;
    h ^= text.size();
  };
  for (std::string_view text : inputs.profile_texts) {
    mix(text.substr(0, 256));
    h ^= text.size();
  }
  mix(inputs.container_filter);
  std::string path = state_dir + "/seccomp-meets/";
  append_hex(static_cast<unsigned char>(h >> 56), path);
  return path + ".meet";
}

}  // namespace

std::optional<SeccompMeet> recall_seccomp_meet(const std::string& state_dir, const SeccompMeetInputs& inputs) {
  if (state_dir.empty()) return std::nullopt;
  auto entry = read_text_file(slot_path(state_dir, inputs));
  if (!entry) return std::nullopt;
  std::string_view rest = *entry;
  auto take = [&](std::size_t n) {
    const std::string_view part = rest.substr(0, n);
    rest.remove_prefix(part.size());
    return part;
  };
  if (take(first_line().size()) != first_line()) return std::nullopt;
  const std::size_t newline = rest.find('\n');
  if (newline == std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> lengths;
  for (std::string_view line = take(newline + 1).substr(0, newline); !line.empty();) {
    const std::size_t space = std::min(line.find(' '), line.size());
    lengths.push_back(line.substr(0, space));
    line.remove_prefix(std::min(space + 1, line.size()));
  }
  const std::size_t n = inputs.profile_texts.size();
  if (lengths.size() != n + 5 || whole_number<std::size_t>(lengths[0]) != n) return std::nullopt;
  for (std::size_t i = 0; i < n; ++i) {
    if (whole_number<std::size_t>(lengths[1 + i]) != inputs.profile_texts[i].size() || take(inputs.profile_texts[i].size()) != inputs.profile_texts[i]) {
      return std::nullopt;
    }
  }
  if (whole_number<std::size_t>(lengths[n + 1]) != inputs.container_filter.size() || take(inputs.container_filter.size()) != inputs.container_filter) {
    return std::nullopt;
  }
  const auto filter_size = whole_number<std::size_t>(lengths[n + 2]);
  const auto change_size = lengths[n + 3] == "-" ? std::optional<std::size_t>(0) : whole_number<std::size_t>(lengths[n + 3]);
  const auto profile_size = whole_number<std::size_t>(lengths[n + 4]);
  if (!filter_size || !change_size || !profile_size || rest.size() != *filter_size + *change_size + *profile_size) return std::nullopt;
  SeccompMeet meet;
  meet.filter = take(*filter_size);
  if (lengths[n + 3] != "-") meet.change = std::string(take(*change_size));
  meet.profile = rest;
  return meet;
}

void remember_seccomp_meet(const std::string& state_dir, const SeccompMeetInputs& inputs, const SeccompMeet& meet) {
  if (state_dir.empty()) return;
  const std::string dir = state_dir + "/seccomp-meets";
  if ((::mkdir(state_dir.c_str(), 0700) != 0 && errno != EEXIST) || (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)) return;
  std::string entry = first_line() + lengths_line(inputs, meet);
  for (std::string_view text : inputs.profile_texts) entry += text;
  entry += inputs.container_filter;
  entry += meet.filter;
  if (meet.change) entry += *meet.change;
  entry += meet.profile;
  // Concurrent creates may write the same slot: each entry is complete before it gets the name.
  (void)replace_file_atomically(slot_path(state_dir, inputs), entry, JsonFile{json(), "", 0600, ::geteuid(), ::getegid()},
                                Durability::until_reboot);
}

}  // namespace hardened
