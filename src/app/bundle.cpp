#include "hardened/bundle.hpp"

#include <unistd.h>

#include "hardened/host_facts.hpp"
#include "hardened/host_identities.hpp"
#include "hardened/loading.hpp"
#include "hardened/mount_destinations.hpp"
#include "hardened/mount_facts.hpp"
#include "hardened/runc_field_names.hpp"
#include "hardened/seccomp_memo.hpp"

namespace hardened {

std::string hardened_text(const BundlePlan& plan) { return dump_json(plan.decision.document); }

std::vector<std::string> runtime_paths(const HostConfig& config) {
  std::vector<std::string> out{config.source.starts_with("/") ? config.source : std::string(kDefaultConfigPath), config.profiles_dir};
  for (const auto* path : {&config.state_dir, &config.log_file}) {
    if (!path->empty()) out.push_back(*path);
  }
  return out;
}

namespace {

json* linux_filter(json& spec) {
  json* linux_section = spec.is_object() ? member(spec, "linux") : nullptr;
  return linux_section != nullptr && linux_section->is_object() ? member(*linux_section, "seccomp") : nullptr;
}

// The seccomp rule's inputs, each as read (views into `spec` and `profile`); none without a memo, or
// when the filter is not an object kept as text (a malformed one, which the rule reports).
std::optional<SeccompMeetInputs> memo_inputs(const SeccompMemo& memo, json& spec, const EffectiveProfile& profile, const HostFacts& facts) {
  if (memo.directory().empty()) return std::nullopt;
  SeccompMeetInputs inputs;
  if (const json* filter = linux_filter(spec)) {
    if (!is_raw_json(*filter)) return std::nullopt;
    inputs.container_filter = raw_json_text(*filter);
  }
  for (const auto& text : profile.texts) inputs.profile_texts.emplace_back(text);
  const json* process = member(spec, "process");
  const json* caps = process != nullptr && process->is_object() ? member(*process, "capabilities") : nullptr;
  const json* bounding = caps != nullptr && caps->is_object() ? member(*caps, "bounding") : nullptr;
  inputs.bounding = bounding != nullptr ? dump_json(*bounding) : "";
  inputs.kernel = std::to_string(facts.kernel.major) + "." + std::to_string(facts.kernel.minor);
  return inputs;
}

std::string seccomp_change(const Changes& changes) {
  for (const auto& change : changes) {
    if (change.rule == "seccomp") return change.detail;
  }
  return "";
}

}  // namespace

Result<BundlePlan> plan_bundle(const std::string& config_json, const HostConfig& config, const std::optional<std::string>& runtime_profile,
                               const std::string& container_id) {
  auto file = read_file_for_json(config_json);
  if (!file) return tl::unexpected(file.error());
  // The container's seccomp filter stays text until the memo has been asked for its meet.
  static const std::vector<std::string_view> kFilter{"linux", "seccomp"};
  auto parsed = parse_json(file->text, config_json, kFilter);
  if (!parsed) return tl::unexpected(parsed.error());
  json spec = std::move(*parsed);
  if (auto named = canonical_field_names(spec, RuncDocument::spec, config_json); !named) return tl::unexpected(named.error());

  const json* annotations = spec.is_object() ? member(spec, "annotations") : nullptr;
  Selection selection = select_profile(config, runtime_profile, annotations);
  Findings denials = selection.denials;

  auto effective = load_effective_profile(config, selection.profile, annotations, denials, FilterForm::text);
  if (!effective) return tl::unexpected(effective.error());

  const std::vector<MountEntry> mounts = read_own_mount_table();  // read once: both observations need it
  HostFacts facts = observe_host(spec, mounts);
  // What every bind source really is, and the paths the rules compare it with (mount_sources.cpp).
  facts.runtime_paths = runtime_paths(config);
  facts.sources_staged = !config.state_dir.empty();
  facts.container_id = container_id;  // the only one hooks.allowed's "<container-id>" matches
  const auto slash = config_json.rfind('/');
  const std::string bundle_dir = slash == std::string::npos ? "." : config_json.substr(0, slash);
  auto sources = observe_mount_sources(spec, bundle_dir, facts, mounts);
  // Then the paths the rules will compare those with: the deny lists only for a source not let through
  // by bind_sources_allowed (Docker's three are), ~26 path walks fewer on Docker's common create.
  observe_named_paths(named_paths_to_observe(spec, effective->profile, facts), facts, mounts);
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

  Findings memo_notes;
  const SeccompMemo memo(config.state_dir, own_build_id());
  std::optional<SeccompMeetInputs> inputs = memo_inputs(memo, spec, *effective, facts);
  const std::optional<MetFilter> known = inputs ? memo.find(*inputs, memo_notes) : std::nullopt;
  std::string filter_as_read;  // a miss keeps its meet under the container's filter as read, which the meet replaces
  if (inputs && !known && inputs->container_filter) inputs->container_filter = filter_as_read = *inputs->container_filter;
  if (!known) {
    // The filters are read as documents after all, the container's field names checked like the others.
    if (auto ok = expand_profile_filter(effective->profile); !ok) return tl::unexpected(ok.error());
    json* filter = linux_filter(spec);
    if (filter != nullptr && is_raw_json(*filter)) {
      if (auto ok = expand_raw_json(*filter, config_json); !ok) return tl::unexpected(ok.error());
      if (auto checked = canonical_field_names(spec, RuncDocument::spec, config_json); !checked) return tl::unexpected(checked.error());
    }
  }

  auto decision = decide_spec(std::move(spec), std::move(effective->profile), facts, known ? &*known : nullptr);
  if (!decision) return fail(config_json + ": " + decision.error().message);  // the spec is malformed: say which file
  if (inputs && !known) {
    // Kept as the text it is written as, so the filter is written once.
    json* met = linux_filter(decision->document);
    const MetFilter kept{met != nullptr ? dump_json(*met) : "", seccomp_change(decision->changes)};
    if (met != nullptr) {
      memo.keep(*inputs, kept, memo_notes);
      *met = raw_json(kept.filter);
    }
  }
  decision->denials.insert(decision->denials.begin(), denials.begin(), denials.end());
  decision->warnings.insert(decision->warnings.end(), memo_notes.begin(), memo_notes.end());
  return BundlePlan{config_json, std::move(*file), std::move(selection), std::move(effective->relaxations), effective->mode,
                    std::move(*decision), std::move(sources)};
}

}  // namespace hardened
