// Any profile document, alone and as a child that extends the default: loading never crashes or
// throws, and a profile that loads can be applied to a spec.
#include <cstdint>
#include <string_view>

#include "common.hpp"
#include "hardened/harden.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hardened;
  auto document = parse_json(std::string_view(reinterpret_cast<const char*>(data), size), "input");
  if (!document) return 0;
  static const json spec = json::parse(R"({"process":{"user":{"uid":0},"args":["sh"],"env":["A=b"]},"root":{"path":"r"},
      "mounts":[{"destination":"/x","type":"bind","source":"/srv","options":["rbind"]}],"linux":{"namespaces":[{"type":"pid"}]}})");
  for (const json& candidate : {*document, merge_profile_documents(fuzz::default_profile_document(), *document)}) {
    if (auto profile = parse_profile(candidate, "fuzz")) (void)decide_spec(spec, *profile);
  }
  return 0;
}
