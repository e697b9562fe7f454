// Any config.json: the transform never crashes or throws, and applying it to its own output changes
// nothing. The same bytes as an exec process and as update resources. Our reader (RapidJSON building
// nlohmann documents) and writer answer as nlohmann's own parse() and dump() do. Read around the
// seccomp filter (find_member_span, parse_json_around), the text gives the same document or fails as
// the whole text does: a create never takes a different filter than the one runc would read.
#include <cstdint>
#include <string_view>

#include "common.hpp"
#include "hardened/harden.hpp"
#include "hardened/json_span.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hardened;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto document = parse_json(text, "input");
  if (!json::accept(text)) fuzz::require(!document);
  std::optional<TextSpan> span = find_member_span(text, {"linux", "seccomp"});
  if (span) {
    fuzz::require(span->begin < span->end && span->end <= text.size());
    const TextSpan found = *span;
    auto around = parse_json_around(text, span, "input");
    auto filter = parse_json_span(text, found, "input");
    if (document) fuzz::require(around.has_value());
    if (around && span) {
      // the hole held: the document with the filter's own parse put back is the whole text's
      fuzz::require(document.has_value() == filter.has_value());
      if (filter) {
        (*around)["linux"]["seccomp"] = std::move(*filter);
        fuzz::require(*around == *document);
      }
    } else if (around) {
      fuzz::require(document && *around == *document);  // given up: the whole text, parsed as such
    }
  }
  if (!document) return 0;
  fuzz::require(dump_json(*document) == json::parse(text).dump());
  const Profile& profile = fuzz::default_profile();
  if (auto once = decide_spec(*document, profile)) {
    auto twice = decide_spec(once->document, profile);
    fuzz::require(twice.has_value());
    fuzz::require(twice->changes.empty() && twice->document == once->document);
  }
  if (auto process = harden_process(*document, profile)) {
    auto twice = harden_process(process->document, profile);
    fuzz::require(twice && twice->document == process->document);
  }
  (void)clamp_update_resources(*document, profile);
  return 0;
}
