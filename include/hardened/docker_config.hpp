#pragma once
// `hardened-runtime configure docker`: the change to dockerd's daemon.json, as a pure function.
#include <optional>
#include <string>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

struct DockerRegistration {
  std::string name = "hardened";  // the runtime name users pass to --runtime
  std::string binary;              // absolute path of hardened-runtime
  std::optional<std::string> profile;
  std::optional<std::string> config;  // a host config other than the default, passed as --config
  bool make_default = false;  // also "default-runtime"
  bool remove = false;        // take the registration (and a default-runtime naming it) out instead
};

// Every other key of daemon.json is kept as it is.
Result<json> apply_docker_registration(json daemon, const DockerRegistration& registration);

}  // namespace hardened
