#pragma once
// Paths compared as text, after the edge has resolved what it can: "//a/./b/../c/" -> "/a/c". Symlinks
// are never followed here (the host facts carry what they point at); this only gives one spelling to
// the policy's lists, the spec's destinations and the mount table's paths.
#include <algorithm>
#include <string>
#include <string_view>

namespace hardened {

// One pass into one string: a create spells some 60 paths this way, and splitting each into a vector of
// component strings was ~240 allocations of them.
inline std::string lexical_path(std::string_view path) {
  std::string out;
  out.reserve(path.size() + 1);
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      const std::size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
    } else if (!part.empty() && part != ".") {
      out += '/';
      out += part;
    }
    start = end + 1;
  }
  if (out.empty()) out = "/";
  return out;
}

// `path` is `dir` or inside it (both lexical).
inline bool same_or_under(std::string_view path, std::string_view dir) {
  return path == dir || dir == "/" || (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/');
}

}  // namespace hardened
