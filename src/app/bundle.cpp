#include "hardened/bundle.hpp"

#include <unistd.h>

#include "hardened/host_facts.hpp"
#include "hardened/host_identities.hpp"
#include "hardened/loading.hpp"
#include "hardened/mount_destinations.hpp"
#include "hardened/mount_facts.hpp"
#include "hardened/runc_field_names.hpp"

namespace hardened {

std::string hardened_text(const BundlePlan& plan) { return dump_json(plan.decision.document); }

std::vector<std::string> runtime_paths(const HostConfig& config) {
  std::vector<std::string> out{config.source.starts_with("/") ? config.source : std::string(kDefaultConfigPath), config.profiles_dir};
  for (const auto* path : {&config.state_dir, &config.log_file}) {
    if (!path->empty()) out.push_back(*path);
  }
  return out;
}

Result<BundlePlan> plan_bundle(const std::string& config_json, const HostConfig& config, const std::optional<std::string>& runtime_profile,
                               const std::string& container_id) {
  auto file = read_json_file(config_json);  // read and parse
  if (!file) return tl::unexpected(file.error());
  json spec = std::move(file->document);
  if (auto named = canonical_field_names(spec, RuncDocument::spec, config_json); !named) return tl::unexpected(named.error());

  const json* annotations = spec.is_object() ? member(spec, "annotations") : nullptr;
  Selection selection = select_profile(config, runtime_profile, annotations);
  Findings denials = selection.denials;

  auto effective = load_effective_profile(config, selection.profile, annotations, denials);
  if (!effective) return tl::unexpected(effective.error());

  HostFacts facts = observe_host(spec);
  // What every bind source really is, and the paths the rules compare it with (mount_sources.cpp).
  facts.runtime_paths = runtime_paths(config);
  facts.sources_staged = !config.state_dir.empty();
  facts.container_id = container_id;  // the only one hooks.allowed's "<container-id>" matches
  std::vector<std::string> named = facts.runtime_paths;
  for (const auto* list : {&effective->profile.deny_bind_sources, &effective->profile.deny_bind_sources_exact}) {
    named.insert(named.end(), list->begin(), list->end());
  }
  for (const auto& allowed : effective->profile.hooks_allowed) named.push_back(allowed.program);
  const auto slash = config_json.rfind('/');
  const std::string bundle_dir = slash == std::string::npos ? "." : config_json.substr(0, slash);
  auto sources = observe_mount_sources(spec, bundle_dir, named, facts);
  // Where each mount lands, the image's symlinks followed as runc follows them (rule deny.device_nodes).
  facts.resolved_destinations = resolve_mount_destinations(spec, bundle_dir, facts.resolved_sources);
  // The host's accounts are read only when an id needs judging (not root, not the profile's own),
  // and for a user namespace's mappings, whose host ids are judged the same way (id_mappings.cpp).
  facts.caller_uid = ::geteuid();
  const json* process = member(spec, "process");
  if ((process != nullptr && user_needs_host_accounts(*process, effective->profile)) || has_id_mappings(spec)) {
    auto identities = read_host_identities();
    if (!identities) return tl::unexpected(identities.error());
    facts.identities = std::move(*identities);
  }

  auto decision = decide_spec(std::move(spec), std::move(effective->profile), facts);
  if (!decision) return fail(config_json + ": " + decision.error().message);  // the spec is malformed: say which file
  decision->denials.insert(decision->denials.begin(), denials.begin(), denials.end());
  return BundlePlan{config_json, std::move(*file), std::move(selection), std::move(effective->relaxations), effective->mode,
                    std::move(*decision), std::move(sources)};
}

}  // namespace hardened
