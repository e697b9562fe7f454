#pragma once
// The host's configuration (/etc/hardened-runtime/config.json): where runc and the profiles are, the
// mode, and how a profile is selected for a container (see selection.hpp).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hardened/error.hpp"
#include "hardened/json_fields.hpp"
#include "hardened/profile.hpp"

namespace hardened {

inline constexpr const char* kDefaultConfigPath = "/etc/hardened-runtime/config.json";
inline constexpr const char* kConfigEnv = "HARDENED_RUNTIME_CONFIG";

// A host rule: when every annotation glob matches the container's annotation, `profile` is used.
struct ProfileRule {
  std::map<std::string, std::string> annotations;  // key -> glob ('*' any characters)
  std::string profile;
};

// The most a container may raise a profile's ceilings with annotations; unset: no raising at all.
struct RelaxationMaxima {
  std::optional<std::int64_t> pids_max;
  std::optional<std::int64_t> memory_max_bytes;
  std::optional<double> cpus_max;
};

struct HostConfig {
  std::string runtime;  // absolute path of the real runc; empty = search PATH, then the usual places
  std::string profiles_dir = "/etc/hardened-runtime/profiles";
  std::string default_profile = "default";
  std::string log_file = "/var/log/hardened-runtime.log";
  std::string state_dir = "/run/hardened-runtime";  // creation records, seccomp meets; "" = none
  Mode mode = Mode::enforce;                    // a profile's own "mode" overrides it
  std::vector<std::string> annotation_profiles;  // profiles a container may pick by annotation
  std::vector<ProfileRule> rules;                // first match wins, over everything else
  RelaxationMaxima relaxation_maxima;
  std::string source = "built-in defaults";  // where the values came from, for messages
};

Result<HostConfig> parse_host_config(const json& document, const std::string& source);

// Which host config file a call uses: `option` (--config), else `env_value` ($HARDENED_RUNTIME_CONFIG),
// both of which must exist, else the default path, which may be absent (then: built-in defaults).
// The path is a view of `option`, `env_value` or a literal: NUL-terminated, as the early pass-through path
// needs (it opens it without allocating).
struct HostConfigLocation {
  std::string_view path;
  bool must_exist = false;
};
HostConfigLocation host_config_location(std::optional<std::string_view> option, const char* env_value);

}  // namespace hardened
