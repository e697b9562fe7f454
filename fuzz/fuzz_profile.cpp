// Any profile document, alone and as a child that extends the default: loading never crashes or
// throws, a profile that loads can be applied to a spec, and it comes back whole from what the seccomp
// memo keeps of it (profile_codec.hpp).
#include <cstdint>
#include <string_view>

#include "common.hpp"
#include "hardened/harden.hpp"
#include "hardened/profile_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hardened;
  auto document = parse_json(std::string_view(reinterpret_cast<const char*>(data), size), "input");
  if (!document) return 0;
  static const json spec = json::parse(R"({"process":{"user":{"uid":0},"args":["sh"],"env":["A=b"]},"root":{"path":"r"},
      "mounts":[{"destination":"/x","type":"bind","source":"/srv","options":["rbind"]}],"linux":{"namespaces":[{"type":"pid"}]}})");
  for (const json& candidate : {*document, merge_profile_documents(fuzz::default_profile_document(), *document)}) {
    auto profile = parse_profile(candidate, "fuzz");
    if (!profile) continue;
    (void)decide_spec(spec, *profile);
    auto decoded = decode_profile(encode_profile(*profile), "fuzz");
    if (!decoded) __builtin_trap();
    decoded->seccomp = profile->seccomp;  // not kept: a remembered meet stands in for it
    decoded->seccomp_docker_format = profile->seccomp_docker_format;
    if (!(*decoded == *profile)) __builtin_trap();
  }
  return 0;
}
