#pragma once
// Docker's seccomp profile format (the one `docker run --security-opt seccomp=FILE` reads): an
// `archMap`, and rules with `includes`/`excludes` by capabilities, architectures and kernel version.
// A profile may hold its filter in this format; it is resolved per container, against the container's
// *final* bounding capabilities, into the OCI LinuxSeccomp that runc reads, the way dockerd does.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hardened/json_fields.hpp"

namespace hardened {

struct KernelVersion {
  int major = 0;
  int minor = 0;
  auto operator<=>(const KernelVersion&) const = default;
};

// "5.10.0-23-amd64" -> 5.10; nullopt when it does not start with two numbers.
std::optional<KernelVersion> parse_kernel_version(std::string_view text);

// True for Docker's format: an archMap, or a rule with includes, excludes or a single "name".
bool is_docker_seccomp(const json& seccomp);

// The filter for one container on this host's architecture: architectures from the archMap entry of
// the host's, and the rules whose `includes` all hold and whose `excludes` none hold. An unknown
// kernel (0.0) satisfies no minKernel include and no minKernel exclude.
// Takes `profile` apart: what the filter keeps is moved out of it.
json resolve_docker_seccomp(json profile, const std::vector<std::string>& bounding_caps, KernelVersion kernel);

// Removes `names` from every allow rule of an OCI filter (dropping rules left with no names), so
// they fall to the default action.
void remove_syscalls(json& seccomp, const std::vector<std::string>& names);

}  // namespace hardened
