#include "hardened/bundle.hpp"

#include "hardened/host_facts.hpp"
#include "hardened/loading.hpp"

namespace hardened {

Result<BundlePlan> plan_bundle(const std::string& config_json, const HostConfig& config, const std::optional<std::string>& runtime_profile) {
  auto file = read_json_file(config_json);
  if (!file) return tl::unexpected(file.error());
  const json* annotations = file->document.is_object() ? member(file->document, "annotations") : nullptr;
  Selection selection = select_profile(config, runtime_profile, annotations);
  auto profile = load_profile(config, selection.profile);
  if (!profile) return tl::unexpected(profile.error());
  Findings denials = selection.denials;
  std::vector<std::string> relaxations;
  const Profile relaxed = relax_profile(std::move(*profile), config, annotations, denials, relaxations);
  const HostFacts facts = observe_host(file->document);
  auto decision = decide_spec(std::move(file->document), relaxed, facts);  // file->text keeps the original
  if (!decision) return tl::unexpected(decision.error());
  decision->denials.insert(decision->denials.begin(), denials.begin(), denials.end());
  const Mode mode = relaxed.mode.value_or(config.mode);
  return BundlePlan{config_json, std::move(*file), std::move(selection), std::move(relaxations), mode, std::move(*decision)};
}

}  // namespace hardened
