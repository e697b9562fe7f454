#pragma once
// A number read from text with nothing else in it (std::from_chars: no spaces, no '+', no sign for an
// unsigned type): argv values, annotations, lengths in our own files.
#include <charconv>
#include <optional>
#include <string_view>

namespace hardened {

template <typename Number>
std::optional<Number> whole_number(std::string_view text) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace hardened
