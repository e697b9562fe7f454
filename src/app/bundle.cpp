#include "hardened/bundle.hpp"

#include "hardened/host_facts.hpp"

namespace hardened {

Result<BundlePlan> plan_bundle(const std::string& config_json, const Profile& profile) {
  auto file = read_json_file(config_json);
  if (!file) return tl::unexpected(file.error());
  const HostFacts facts = observe_host(file->document);
  auto hardened = harden_spec(std::move(file->document), profile, facts);
  if (!hardened) return tl::unexpected(hardened.error());
  return BundlePlan{config_json, std::move(*file), std::move(*hardened)};
}

}  // namespace hardened
