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

constexpr std::size_t kMaxExtendsDepth = 8;

std::string profile_path(const HostConfig& config, const std::string& name) { return config.profiles_dir + "/" + name + ".json"; }

// The error for a profile file that cannot be read or parsed; `extended_by` is the profile naming it.
Error cannot_load(const HostConfig& config, const std::string& name, const std::string* extended_by, const std::string& why) {
  const std::string who = extended_by == nullptr ? "" : " (extended by '" + *extended_by + "')";
  return Error{"cannot load profile '" + name + "'" + who + ": " + why +
               "; install the shipped profiles (cmake --install) or set profiles_dir/default_profile in " + config.source};
}

// What every reader of a chain checks before reading the next profile: a valid name, not seen before
// (a circle), not too deep. The message, or nothing.
std::optional<std::string> chain_problem(const HostConfig& config, const std::vector<std::string>& names, const std::string& next) {
  if (!is_valid_profile_name(next)) {
    return "'" + next + "' is not a valid profile name (letters, digits, '-', '_', '.'; a file name in " + config.profiles_dir + ")";
  }
  if (std::find(names.begin(), names.end(), next) != names.end() || names.size() >= kMaxExtendsDepth) {
    std::string path;
    for (const auto& name : names) path += name + " -> ";
    return "profile '" + names.front() + "': extends goes round in a circle or too deep: " + path + next;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<ProfileSource>> read_profile_chain(const HostConfig& config, const std::string& name, FilterForm form) {
  static const std::vector<std::string_view> kNothing;
  static const std::vector<std::string_view> kFilter{"seccomp"};
  std::vector<ProfileSource> chain;
  std::vector<std::string> names;
  for (std::string next = name;;) {
    if (auto problem = chain_problem(config, names, next)) return fail(*problem);
    const std::string path = profile_path(config, next);
    const std::string* extended_by = chain.empty() ? nullptr : &chain.back().name;
    auto file = read_file_for_json(path);
    if (!file) return tl::unexpected(cannot_load(config, next, extended_by, file.error().message));
    auto document = parse_json(file->text, path, form == FilterForm::text ? kFilter : kNothing);
    if (!document) return tl::unexpected(cannot_load(config, next, extended_by, document.error().message));
    ProfileSource source{next, std::move(file->text), std::move(*document)};
    const json* extends = source.document.is_object() ? member(source.document, "extends") : nullptr;
    if (extends != nullptr && !extends->is_string()) return fail("profile '" + next + "': extends must be the name of another profile");
    next = extends != nullptr ? extends->get<std::string>() : "";
    names.push_back(source.name);
    chain.push_back(std::move(source));
    if (next.empty()) return chain;
  }
}

json merge_profile_chain(std::vector<ProfileSource>& chain) {
  json merged = std::move(chain.back().document);
  for (auto it = chain.rbegin() + 1; it != chain.rend(); ++it) merged = merge_profile_documents(std::move(merged), it->document);
  return merged;
}

Result<Profile> load_profile(const HostConfig& config, const std::string& name) {
  auto chain = read_profile_chain(config, name);
  if (!chain) return tl::unexpected(chain.error());
  return parse_profile(merge_profile_chain(*chain), name);
}

EffectiveProfile effective_profile(Profile profile, const HostConfig& config, const json* annotations, Findings& denials) {
  EffectiveProfile out;
  out.profile = relax_profile(std::move(profile), config, annotations, denials, out.relaxations);
  out.mode = out.profile.mode.value_or(config.mode);
  return out;
}

Result<EffectiveProfile> load_effective_profile(const HostConfig& config, const std::string& name, const json* annotations,
                                                Findings& denials, FilterForm form) {
  auto chain = read_profile_chain(config, name, form);
  if (!chain) return tl::unexpected(chain.error());
  // A child's filter is merged into its parent's key by key: both are read as documents first.
  const auto has_filter = [](const ProfileSource& source) { return source.document.is_object() && source.document.contains("seccomp"); };
  if (std::count_if(chain->begin(), chain->end(), has_filter) > 1) {
    for (auto& source : *chain) {
      if (!has_filter(source)) continue;
      if (auto ok = expand_raw_json(source.document["seccomp"], "profile '" + source.name + "'"); !ok) return tl::unexpected(ok.error());
    }
  }
  auto profile = parse_profile(merge_profile_chain(*chain), name);
  if (!profile) return tl::unexpected(profile.error());
  EffectiveProfile out = effective_profile(std::move(*profile), config, annotations, denials);
  for (auto& source : *chain) out.texts.push_back(std::move(source.text));
  return out;
}

}  // namespace hardened
