#pragma once
// A bundle's config.json read, its profile selected and the policy decided, nothing written yet:
// what `create` writes and what `explain` shows come from this one function, so the preview cannot
// differ from the real thing.
#include <optional>
#include <string>

#include "hardened/harden.hpp"
#include "hardened/host_config.hpp"
#include "hardened/json_file.hpp"
#include "hardened/selection.hpp"

namespace hardened {

struct BundlePlan {
  std::string path;  // the config.json
  JsonFile original;
  Selection selection;
  std::vector<std::string> relaxations;  // ceilings moved by annotations
  Mode mode = Mode::enforce;
  Hardened decision;  // denials include the selection's
  // Set when the seccomp meet was remembered (seccomp_memo.hpp): the filter's JSON text, which the
  // writer puts at linux.seccomp; the document holds an empty object there.
  std::optional<std::string> seccomp_filter;
};

// The hardened config.json as the plan writes it (the remembered filter put in place).
std::string hardened_text(const BundlePlan& plan);

// Fails when the file cannot be read or parsed, the selected profile cannot be loaded, or the spec is
// malformed; a policy refusal is a plan with denials.
Result<BundlePlan> plan_bundle(const std::string& config_json, const HostConfig& config, const std::optional<std::string>& runtime_profile);

}  // namespace hardened
