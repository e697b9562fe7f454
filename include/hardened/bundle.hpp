#pragma once
// A bundle's config.json read, its profile selected and the policy decided, nothing written yet:
// what `create` writes and what `explain` shows come from this one function, so the preview cannot
// differ from the real thing.
#include <memory>
#include <optional>
#include <string>

#include "hardened/harden.hpp"
#include "hardened/host_config.hpp"
#include "hardened/json_file.hpp"
#include "hardened/mount_facts.hpp"
#include "hardened/selection.hpp"

namespace hardened {

struct BundlePlan {
  std::string path;  // the config.json
  JsonFile original;  // as read: its text tells whether anything changed, its mode and owner are kept
  Selection selection;
  std::vector<std::string> relaxations;  // ceilings moved by annotations
  Mode mode = Mode::enforce;
  Hardened decision;  // denials include the selection's
  std::shared_ptr<OpenSources> sources;  // the bind sources as judged, still open: what stage_sources mounts
};

// The runtime's own files, which no container may mount: the host config, profiles_dir, state_dir, the audit log.
std::vector<std::string> runtime_paths(const HostConfig& config);

// The hardened config.json's text.
std::string hardened_text(const BundlePlan& plan);

// read -> parse -> select -> load profile -> observe host -> decide. Fails when the file cannot be read
// or parsed, the selected profile cannot be loaded, or the spec is malformed; a policy refusal is a plan
// with denials. `container_id`: the id runc create is given ("" if not known: HostFacts::container_id).
Result<BundlePlan> plan_bundle(const std::string& config_json, const HostConfig& config, const std::optional<std::string>& runtime_profile,
                               const std::string& container_id);

}  // namespace hardened
