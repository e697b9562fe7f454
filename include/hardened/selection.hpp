#pragma once
// Which profile a container gets, and how far it may relax it. Pure: the inputs are the host config,
// the runtime's --profile argument and the container's OCI annotations.
//
// Authority, from least to most:
//   1. the host config's default_profile;
//   2. --profile in the runtime's arguments (daemon.json runtimes.<name>.runtimeArgs);
//   3. the annotation org.hardened-runtime.profile, only naming a profile listed in the host config's
//      annotation_profiles (anything else is refused);
//   4. the host config's rules, matching annotations (image name, Kubernetes namespace, sandbox or
//      container); the first rule that matches decides, whatever the container asked for.
// Relaxation annotations (org.hardened-runtime.pids-max, .memory-max-bytes, .cpus-max) may move the
// chosen profile's ceilings up to the host config's relaxation_maxima, never past them.
#include <optional>
#include <string>
#include <vector>

#include "hardened/harden.hpp"
#include "hardened/host_config.hpp"

namespace hardened {

inline constexpr std::string_view kAnnotationPrefix = "org.hardened-runtime.";
inline constexpr const char* kProfileAnnotation = "org.hardened-runtime.profile";

struct Selection {
  std::string profile;
  std::string why;   // for the audit trail: "host rule 1 (...)", "annotation ...", "--profile", "default_profile of ..."
  Findings denials;  // a pick or an annotation the host does not allow: the container is refused
};

// `annotations` is the spec's "annotations" object, or nullptr.
Selection select_profile(const HostConfig& config, const std::optional<std::string>& runtime_profile, const json* annotations);

// `profile` with the container's relaxation annotations applied within the host's maxima. A value
// past a maximum, or for a ceiling the host lets nobody raise, is a denial; `applied` says what moved.
Profile relax_profile(Profile profile, const HostConfig& config, const json* annotations, Findings& denials,
                      std::vector<std::string>& applied);

}  // namespace hardened
