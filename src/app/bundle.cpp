#include "hardened/bundle.hpp"

#include "hardened/host_facts.hpp"
#include "hardened/loading.hpp"

namespace hardened {

Result<BundlePlan> plan_bundle(const std::string& config_json, const HostConfig& config, const std::optional<std::string>& runtime_profile) {
  auto file = read_json_file(config_json);
  if (!file) return tl::unexpected(file.error());
  const json* annotations = file->document.is_object() ? member(file->document, "annotations") : nullptr;
  Selection selection = select_profile(config, runtime_profile, annotations);
  Findings denials = selection.denials;
  auto effective = load_effective_profile(config, selection.profile, annotations, denials);
  if (!effective) return tl::unexpected(effective.error());
  const HostFacts facts = observe_host(file->document);
  auto decision = decide_spec(std::move(file->document), effective->profile, facts);  // file->text keeps the original
  if (!decision) return tl::unexpected(decision.error());
  decision->denials.insert(decision->denials.begin(), denials.begin(), denials.end());
  return BundlePlan{config_json, std::move(*file), std::move(selection), std::move(effective->relaxations), effective->mode,
                    std::move(*decision)};
}

}  // namespace hardened
