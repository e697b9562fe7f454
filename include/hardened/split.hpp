#pragma once
// Splitting the text of a host file (/proc/<pid>/status, /etc/passwd) into its fields.
#include <algorithm>
#include <string_view>
#include <vector>

namespace hardened {

// `text` cut at every `separator`: n separators give n + 1 parts, empty ones included.
inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace hardened
