// Any seccomp filter in a profile (Docker's format or OCI's): checked when the profile loads, then
// resolved against several capability sets and kernels and met with a container's filter, never
// crashing or throwing.
#include <cstdint>
#include <string_view>

#include "common.hpp"
#include "hardened/docker_seccomp.hpp"
#include "hardened/harden.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hardened;
  auto document = parse_json(std::string_view(reinterpret_cast<const char*>(data), size), "input");
  if (!document) return 0;
  json profile_document = fuzz::default_profile_document();
  profile_document["seccomp"] = *document;
  auto profile = parse_profile(profile_document, "fuzz");
  if (!profile) return 0;
  for (const auto& caps : {std::vector<std::string>{}, std::vector<std::string>{"CAP_SYS_ADMIN", "CAP_SYS_PTRACE"}}) {
    for (KernelVersion kernel : {KernelVersion{}, KernelVersion{6, 1}}) {
      if (profile->seccomp_docker_format) {
        json resolved = resolve_docker_seccomp(profile->seccomp, caps, kernel);
        remove_syscalls(resolved, {"read", "chroot"});
      }
      json spec = json::parse(R"({"process":{"args":["sh"]},"root":{"path":"r"},"linux":{"namespaces":[{"type":"pid"},{"type":"ipc"},
        {"type":"uts"},{"type":"network"}],"seccomp":{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],
        "action":"SCMP_ACT_ALLOW"},{"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"op":"SCMP_CMP_MASKED_EQ"}]}]}}})");
      spec["process"]["capabilities"]["bounding"] = caps;
      HostFacts facts;
      facts.kernel = kernel;
      (void)decide_spec(spec, *profile, facts);
    }
  }
  return 0;
}
