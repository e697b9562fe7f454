#pragma once
// Reading the host config and profiles from disk (the parsing itself is pure: host_config, profile).
#include <optional>
#include <string>
#include <vector>

#include "hardened/harden.hpp"
#include "hardened/host_config.hpp"
#include "hardened/profile.hpp"

namespace hardened {

// `explicit_path` true when the path came from --config or the environment: then it must exist.
// Otherwise a missing default file means the built-in defaults.
Result<HostConfig> load_host_config(const std::string& path, bool explicit_path);
// The host config a call uses: `option` (--config), else `env_value` ($HARDENED_RUNTIME_CONFIG),
// else the default path, which may be absent.
Result<HostConfig> load_host_config_for(const std::optional<std::string>& option, const char* env_value);
// A profile's extends chain as read, the named profile first, then what it extends, and so on: each
// file's text and document.
struct ProfileSource {
  std::string name;
  std::string text;
  json document;
};
// How a profile's seccomp filter is read: as a document, or kept as its text (raw_json) for a create,
// which needs it only when the seccomp memo has no meet for it (then expand_profile_filter).
enum class FilterForm { document, text };
Result<std::vector<ProfileSource>> read_profile_chain(const HostConfig& config, const std::string& name,
                                                      FilterForm form = FilterForm::document);

// The chain's documents merged into one, the farthest parent first (merge_profile_documents). The
// documents are moved out; the texts stay.
json merge_profile_chain(std::vector<ProfileSource>& chain);

Result<Profile> load_profile(const HostConfig& config, const std::string& name);

// A selected profile as a container gets it: loaded, with the container's relaxation annotations
// applied within the host's maxima (a refused relaxation goes to `denials`), and the mode it runs in.
struct EffectiveProfile {
  Profile profile;
  std::vector<std::string> relaxations;  // what the annotations moved
  Mode mode = Mode::enforce;
  std::vector<std::string> texts;  // the chain's files as read, the profile first (the seccomp memo's key)
};
EffectiveProfile effective_profile(Profile profile, const HostConfig& config, const json* annotations, Findings& denials);
Result<EffectiveProfile> load_effective_profile(const HostConfig& config, const std::string& name, const json* annotations,
                                                Findings& denials, FilterForm form = FilterForm::document);

}  // namespace hardened
