#include "hardened/loading.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "hardened/json_file.hpp"
#include "hardened/json_span.hpp"
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

}  // namespace

Result<std::vector<ProfileSource>> read_profile_chain(const HostConfig& config, const std::string& name, bool leave_out_seccomp) {
  std::vector<ProfileSource> chain;
  for (std::string next = name;;) {
    if (!is_valid_profile_name(next)) {
      return fail("'" + next + "' is not a valid profile name (letters, digits, '-', '_', '.'; a file name in " +
                  config.profiles_dir + ")");
    }
    const bool seen = std::any_of(chain.begin(), chain.end(), [&](const ProfileSource& s) { return s.name == next; });
    if (seen || chain.size() >= kMaxExtendsDepth) {
      std::string path;
      for (const auto& s : chain) path += s.name + " -> ";
      return fail("profile '" + chain.front().name + "': extends goes round in a circle or too deep: " + path + next);
    }
    const std::string path = profile_path(config, next);
    const std::string* extended_by = chain.empty() ? nullptr : &chain.back().name;
    auto file = read_file_for_json(path);
    if (!file) return tl::unexpected(cannot_load(config, next, extended_by, file.error().message));
    ProfileSource source{next, std::move(file->text), json(), std::nullopt};
    if (leave_out_seccomp) source.seccomp = find_member_span(source.text, {"seccomp"});
    auto document = parse_json_around(source.text, source.seccomp, path);
    if (!document) return tl::unexpected(cannot_load(config, next, extended_by, document.error().message));
    source.document = std::move(*document);
    const json* extends = source.document.is_object() ? member(source.document, "extends") : nullptr;
    if (extends != nullptr && !extends->is_string()) return fail("profile '" + next + "': extends must be the name of another profile");
    next = extends != nullptr ? extends->get<std::string>() : "";
    chain.push_back(std::move(source));
    if (next.empty()) return chain;
  }
}

Result<void> fill_seccomp_holes(const HostConfig& config, std::vector<ProfileSource>& chain) {
  for (std::size_t i = 0; i < chain.size(); ++i) {
    ProfileSource& source = chain[i];
    if (!source.seccomp) continue;
    auto filter = parse_json_span(source.text, *source.seccomp, profile_path(config, source.name));
    if (!filter) return tl::unexpected(cannot_load(config, source.name, i == 0 ? nullptr : &chain[i - 1].name, filter.error().message));
    source.document["seccomp"] = std::move(*filter);
    source.seccomp.reset();
  }
  return {};
}

json merge_profile_chain(std::vector<ProfileSource>& chain) {
  json merged = std::move(chain.back().document);
  for (auto it = chain.rbegin() + 1; it != chain.rend(); ++it) merged = merge_profile_documents(std::move(merged), it->document);
  return merged;
}

Result<Profile> load_profile(const HostConfig& config, const std::string& name) {
  auto chain = read_profile_chain(config, name, false);
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
                                                Findings& denials) {
  auto profile = load_profile(config, name);
  if (!profile) return tl::unexpected(profile.error());
  return effective_profile(std::move(*profile), config, annotations, denials);
}

}  // namespace hardened
