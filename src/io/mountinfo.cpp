// No iostreams and one pass over the text: a create reads the whole table, and a busy Docker host has
// a few hundred lines (each container's rootfs, shm, netns).
#include "hardened/mountinfo.hpp"

#include <algorithm>
#include <charconv>

#include "hardened/json_file.hpp"
#include "hardened/lexical_path.hpp"
#include "hardened/split.hpp"

namespace hardened {
namespace {

// mountinfo escapes space, tab, newline and backslash in paths as \ooo.
std::string unescaped(std::string_view text) {
  if (text.find('\\') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto octal = [&](std::size_t at) { return at < text.size() && text[at] >= '0' && text[at] <= '7'; };
    if (text[i] == '\\' && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out += static_cast<char>(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0'));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
  std::vector<MountEntry> out;
  out.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::vector<std::string_view> fields;  // one line's, the storage reused for every line
  for (std::string_view line : split(text, '\n')) {
    // id parent major:minor root mount-point options [optional fields...] - type source super-options
    fields.clear();
    for (std::size_t start = 0;;) {
      const std::size_t end = line.find(' ', start);
      fields.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    std::size_t dash = 6;
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (dash + 2 >= fields.size()) continue;
    MountEntry entry;
    const auto id = std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), entry.id);
    if (id.ec != std::errc() || id.ptr != fields[0].data() + fields[0].size()) continue;
    entry.device = fields[2];
    entry.root = unescaped(fields[3]);
    entry.mount_point = unescaped(fields[4]);
    entry.options = fields[5];
    entry.fs_type = fields[dash + 1];
    entry.source = unescaped(fields[dash + 2]);
    if (dash + 3 < fields.size()) entry.super_options = fields[dash + 3];
    out.push_back(std::move(entry));
  }
  return out;
}

bool has_mount_option(const MountEntry& entry, std::string_view option) {
  for (std::string_view o : split(entry.options, ',')) {
    if (o == option) return true;
  }
  return false;
}

std::optional<std::string> visible_path_of(std::string_view device, const std::string& path_in_fs, const std::vector<MountEntry>& table) {
  const MountEntry* best = nullptr;
  for (const auto& entry : table) {
    if (entry.device != device || !same_or_under(path_in_fs, entry.root)) continue;
    if (best == nullptr || entry.root.size() < best->root.size()) best = &entry;
  }
  if (best == nullptr) return std::nullopt;
  const std::string rest = best->root == "/" ? path_in_fs : path_in_fs.substr(best->root.size());  // "" or "/..."
  if (rest.empty() || rest == "/") return best->mount_point;
  return (best->mount_point == "/" ? "" : best->mount_point) + rest;
}

std::vector<MountEntry> read_own_mount_table() {
  const auto text = read_text_file("/proc/self/mountinfo");
  return text ? parse_mountinfo(*text) : std::vector<MountEntry>{};
}

}  // namespace hardened
