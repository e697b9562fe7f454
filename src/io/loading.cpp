#include "hardened/loading.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "hardened/json_file.hpp"
#include "hardened/selection.hpp"

namespace hardened {

Result<HostConfig> load_host_config(const std::string& path, bool explicit_path) {
  struct stat st {};
  if (!explicit_path && ::stat(path.c_str(), &st) != 0 && errno == ENOENT) return HostConfig{};
  auto file = read_json_file(path);
  if (!file) return fail("cannot load the host config: " + file.error().message);
  return parse_host_config(file->document, path);
}

Result<HostConfig> load_host_config_for(const std::optional<std::string>& option, const char* env_value) {
  const HostConfigLocation location = host_config_location(option ? std::optional<std::string_view>(*option) : std::nullopt, env_value);
  return load_host_config(std::string(location.path), location.must_exist);
}

namespace {

constexpr int kMaxExtendsDepth = 8;

// <name>.json with its `extends` chain merged in, parent first.
Result<json> load_profile_document(const HostConfig& config, const std::string& name, std::vector<std::string>& chain) {
  if (!is_valid_profile_name(name)) {
    return fail("'" + name + "' is not a valid profile name (letters, digits, '-', '_', '.'; a file name in " +
                config.profiles_dir + ")");
  }
  if (std::find(chain.begin(), chain.end(), name) != chain.end() || chain.size() >= kMaxExtendsDepth) {
    std::string path;
    for (const auto& n : chain) path += n + " -> ";
    return fail("profile '" + chain.front() + "': extends goes round in a circle or too deep: " + path + name);
  }
  chain.push_back(name);
  const std::string path = config.profiles_dir + "/" + name + ".json";
  auto file = read_json_file(path);
  if (!file) {
    const std::string who = chain.size() == 1 ? "" : " (extended by '" + chain[chain.size() - 2] + "')";
    return fail("cannot load profile '" + name + "'" + who + ": " + file.error().message +
                "; install the shipped profiles (cmake --install) or set profiles_dir/default_profile in " + config.source);
  }
  json document = std::move(file->document);
  const json* extends = document.is_object() ? member(document, "extends") : nullptr;
  if (extends == nullptr) return document;
  if (!extends->is_string()) return fail("profile '" + name + "': extends must be the name of another profile");
  auto parent = load_profile_document(config, extends->get<std::string>(), chain);
  if (!parent) return parent;
  return merge_profile_documents(std::move(*parent), document);
}

}  // namespace

Result<Profile> load_profile(const HostConfig& config, const std::string& name) {
  std::vector<std::string> chain;
  auto document = load_profile_document(config, name, chain);
  if (!document) return tl::unexpected(document.error());
  return parse_profile(std::move(*document), name);
}

Result<EffectiveProfile> load_effective_profile(const HostConfig& config, const std::string& name, const json* annotations,
                                                Findings& denials) {
  auto profile = load_profile(config, name);
  if (!profile) return tl::unexpected(profile.error());
  EffectiveProfile out;
  out.profile = relax_profile(std::move(*profile), config, annotations, denials, out.relaxations);
  out.mode = out.profile.mode.value_or(config.mode);
  return out;
}

}  // namespace hardened
