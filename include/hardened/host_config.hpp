#pragma once
// The host's configuration (/etc/hardened-runtime/config.json): where runc and the profiles are.
#include <optional>
#include <string>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"

namespace hardened {

inline constexpr const char* kDefaultConfigPath = "/etc/hardened-runtime/config.json";
inline constexpr const char* kConfigEnv = "HARDENED_RUNTIME_CONFIG";

struct HostConfig {
  std::string runtime;  // absolute path of the real runc; empty = search PATH, then the usual places
  std::string profiles_dir = "/etc/hardened-runtime/profiles";
  std::string default_profile = "default";
  std::string log_file = "/var/log/hardened-runtime.log";
  std::string source = "built-in defaults";  // where the values came from, for messages
};

Result<HostConfig> parse_host_config(const json& document, const std::string& source);

}  // namespace hardened
