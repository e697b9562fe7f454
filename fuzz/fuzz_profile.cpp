// Any profile document, alone and as a child that extends the default: loading never crashes or
// throws, a profile that loads can be applied to a spec, and a profile missing keys reads as the same
// document with those keys written out from the built-in default.
#include <algorithm>
#include <cstdint>
#include <string_view>

#include "common.hpp"
#include "hardened/harden.hpp"
#include "hardened/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hardened;
  auto document = parse_json(std::string_view(reinterpret_cast<const char*>(data), size), "input");
  if (!document) return 0;
  static const json spec = json::parse(R"({"process":{"user":{"uid":0},"args":["sh"],"env":["A=b"]},"root":{"path":"r"},
      "mounts":[{"destination":"/x","type":"bind","source":"/srv","options":["rbind"]}],"linux":{"namespaces":[{"type":"pid"}]}})");
  // A create reads the filter later (FilterForm::text): the same profile, or a refusal as well.
  static const std::vector<std::string_view> kFilter{"seccomp"};
  auto with_text = parse_json(std::string_view(reinterpret_cast<const char*>(data), size), "input", kFilter);
  if (!with_text) __builtin_trap();
  auto later = parse_profile(*with_text, "fuzz").and_then([](Profile p) -> Result<Profile> {
    if (auto ok = expand_profile_filter(p); !ok) return tl::unexpected(ok.error());
    return p;
  });
  auto now = parse_profile(*document, "fuzz");
  if (later.has_value() != now.has_value() || (later && !(*later == *now))) __builtin_trap();
  for (const json& candidate : {*document, merge_profile_documents(fuzz::default_profile_document(), *document)}) {
    auto profile = parse_profile(candidate, "fuzz");
    if (!profile) continue;
    (void)decide_spec(spec, *profile);
    if (profile->defaulted.empty()) continue;
    json whole = candidate;
    const json defaults = json::parse(builtin_default_profile_text());
    for (const auto& key : profile->defaulted) {
      std::string pointer = "/" + key;
      std::replace(pointer.begin(), pointer.end(), '.', '/');
      whole[json::json_pointer(pointer)] = defaults[json::json_pointer(pointer)];
    }
    auto explicit_profile = parse_profile(whole, "fuzz");
    if (!explicit_profile || !explicit_profile->defaulted.empty()) __builtin_trap();
    explicit_profile->defaulted = profile->defaulted;
    if (!(*explicit_profile == *profile)) __builtin_trap();
  }
  return 0;
}
