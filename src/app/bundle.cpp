#include "hardened/bundle.hpp"

#include <algorithm>

#include "hardened/host_facts.hpp"
#include "hardened/host_identities.hpp"
#include "hardened/json_span.hpp"
#include "hardened/loading.hpp"
#include "hardened/profile_codec.hpp"
#include "hardened/seccomp_memo.hpp"

namespace hardened {
namespace {

SeccompMeetInputs meet_inputs(const std::vector<std::string>& profile_texts, std::string_view container_filter) {
  return SeccompMeetInputs{{profile_texts.begin(), profile_texts.end()}, container_filter};
}

// The meet the seccomp rule computed, to remember: the filter it left in the spec and its change.
std::optional<SeccompMeet> computed_meet(const Hardened& decision) {
  const json& spec = decision.document;
  const json* linux_section = member(spec, "linux");
  const json* filter = linux_section != nullptr && linux_section->is_object() ? member(*linux_section, "seccomp") : nullptr;
  if (filter == nullptr) return std::nullopt;
  SeccompMeet meet{dump_json(*filter), std::nullopt, {}};
  auto change = std::find_if(decision.changes.begin(), decision.changes.end(), [](const Change& c) { return c.rule == "seccomp"; });
  if (change != decision.changes.end()) meet.change = change->detail;
  return meet;
}

}  // namespace

std::string hardened_text(const BundlePlan& plan) {
  const json& document = plan.decision.document;
  if (!plan.seccomp_filter) return dump_json(document);
  return dump_json(document, &document["linux"]["seccomp"], *plan.seccomp_filter);
}

Result<BundlePlan> plan_bundle(const std::string& config_json, const HostConfig& config, const std::optional<std::string>& runtime_profile) {
  auto file = read_file_for_json(config_json);
  if (!file) return tl::unexpected(file.error());
  // The container's filter stays out of the document until we know whether its meet with the profile's
  // is remembered (seccomp_memo.hpp): then neither filter is ever parsed.
  std::optional<TextSpan> filter_span = find_member_span(file->text, {"linux", "seccomp"});
  auto spec = parse_json_around(file->text, filter_span, config_json);
  if (!spec) return tl::unexpected(spec.error());

  const json* annotations = spec->is_object() ? member(*spec, "annotations") : nullptr;
  Selection selection = select_profile(config, runtime_profile, annotations);
  Findings denials = selection.denials;

  // With no filter in the container (or no state_dir to remember meets in) there is nothing to look up.
  // A remembered meet brings the profile its texts make, already checked: then neither filter nor the
  // profile is parsed.
  const bool may_remember = filter_span && !config.state_dir.empty();
  std::optional<std::vector<std::string>> profile_texts = may_remember ? read_profile_texts(config, selection.profile) : std::nullopt;
  std::optional<SeccompMeet> meet;
  std::optional<Profile> profile;
  if (profile_texts) {
    meet = recall_seccomp_meet(config.state_dir, meet_inputs(*profile_texts, filter_span->of(file->text)));
    if (meet) profile = decode_profile(meet->profile, selection.profile);
    if (!profile) meet.reset();
  }
  if (!meet) {
    auto chain = read_profile_chain(config, selection.profile);
    if (!chain) return tl::unexpected(chain.error());
    profile_texts.emplace();
    for (auto& source : *chain) profile_texts->push_back(std::move(source.text));  // only the documents are merged
    auto parsed = parse_profile(merge_profile_chain(*chain), selection.profile);
    if (!parsed) return tl::unexpected(parsed.error());
    profile = std::move(*parsed);
    if (filter_span) {
      auto filter = parse_json_span(file->text, *filter_span, config_json);
      if (!filter) return tl::unexpected(filter.error());
      (*spec)["linux"]["seccomp"] = std::move(*filter);
    }
  }
  // A Docker-format profile's filter depends on the container's capabilities too: not remembered.
  const bool remember = may_remember && !meet && !profile->seccomp_docker_format;
  const std::string encoded_profile = remember ? encode_profile(*profile) : std::string();
  EffectiveProfile effective = effective_profile(std::move(*profile), config, annotations, denials);

  HostFacts facts = observe_host(*spec, effective.profile.seccomp_docker_format);
  if (const json* process = member(*spec, "process"); process != nullptr && user_needs_host_accounts(*process, effective.profile)) {
    auto identities = read_host_identities();
    if (!identities) return tl::unexpected(identities.error());
    facts.identities = std::move(*identities);
  }
  const KnownSeccompMeet known{meet ? meet->change : std::nullopt};
  auto decision = decide_spec(std::move(*spec), effective.profile, facts, meet ? &known : nullptr);
  if (!decision) return tl::unexpected(decision.error());
  if (remember) {
    if (auto computed = computed_meet(*decision)) {
      computed->profile = encoded_profile;
      remember_seccomp_meet(config.state_dir, meet_inputs(*profile_texts, filter_span->of(file->text)), *computed);
    }
  }
  decision->denials.insert(decision->denials.begin(), denials.begin(), denials.end());
  std::optional<std::string> filter_text;
  if (meet) filter_text = std::move(meet->filter);
  return BundlePlan{config_json, std::move(*file), std::move(selection), std::move(effective.relaxations), effective.mode,
                    std::move(*decision), std::move(filter_text)};
}

}  // namespace hardened
