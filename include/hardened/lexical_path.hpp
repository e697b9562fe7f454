#pragma once
// Paths compared as text, after the edge has resolved what it can: "//a/./b/../c/" -> "/a/c". Symlinks
// are never followed here (the host facts carry what they point at); this only gives one spelling to
// the policy's lists, the spec's destinations and the mount table's paths.
#include <algorithm>
#include <string>
#include <vector>

namespace hardened {

inline std::string lexical_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

// `path` is `dir` or inside it (both lexical).
inline bool same_or_under(const std::string& path, const std::string& dir) {
  return path == dir || dir == "/" || path.starts_with(dir + "/");
}

}  // namespace hardened
