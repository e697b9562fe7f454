#include "hardened/bundle.hpp"

#include "hardened/host_facts.hpp"
#include "hardened/host_identities.hpp"
#include "hardened/loading.hpp"

namespace hardened {

std::string hardened_text(const BundlePlan& plan) { return dump_json(plan.decision.document); }

Result<BundlePlan> plan_bundle(const std::string& config_json, const HostConfig& config, const std::optional<std::string>& runtime_profile) {
  auto file = read_json_file(config_json);  // read and parse
  if (!file) return tl::unexpected(file.error());
  json spec = std::move(file->document);

  const json* annotations = spec.is_object() ? member(spec, "annotations") : nullptr;
  Selection selection = select_profile(config, runtime_profile, annotations);
  Findings denials = selection.denials;

  auto effective = load_effective_profile(config, selection.profile, annotations, denials);
  if (!effective) return tl::unexpected(effective.error());

  HostFacts facts = observe_host(spec, effective->profile.seccomp_docker_format);
  // The host's accounts are read only when an id needs judging (not root, not the profile's own).
  if (const json* process = member(spec, "process"); process != nullptr && user_needs_host_accounts(*process, effective->profile)) {
    auto identities = read_host_identities();
    if (!identities) return tl::unexpected(identities.error());
    facts.identities = std::move(*identities);
  }

  auto decision = decide_spec(std::move(spec), effective->profile, facts);
  if (!decision) return tl::unexpected(decision.error());
  decision->denials.insert(decision->denials.begin(), denials.begin(), denials.end());
  return BundlePlan{config_json, std::move(*file), std::move(selection), std::move(effective->relaxations), effective->mode,
                    std::move(*decision)};
}

}  // namespace hardened
