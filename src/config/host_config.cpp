#include "hardened/host_config.hpp"
#include "hardened/early_path.hpp"

namespace hardened {
namespace {

Result<void> read_rules(const json& value, std::vector<ProfileRule>& out) {
  if (!value.is_array()) return fail("rules must be a list of {\"annotations\": {...}, \"profile\": NAME}");
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string path = "rules[" + std::to_string(i) + "]";
    const json& rule = value[i];
    if (!rule.is_object()) return fail(path + " must be an object");
    if (auto ok = only_keys(rule, {"annotations", "profile"}, path); !ok) return ok;
    ProfileRule parsed;
    const json* annotations = member(rule, "annotations");
    if (annotations == nullptr || !annotations->is_object() || annotations->empty()) {
      return fail(path + ".annotations must be an object of annotation -> pattern, not empty");
    }
    for (const auto& [key, pattern] : annotations->items()) {
      if (!pattern.is_string()) return fail(path + ".annotations." + key + " must be a string pattern");
      parsed.annotations[key] = pattern.get<std::string>();
    }
    const json* profile = member(rule, "profile");
    if (profile == nullptr || !profile->is_string() || !is_valid_profile_name(profile->get<std::string>())) {
      return fail(path + ".profile must be a profile name");
    }
    parsed.profile = profile->get<std::string>();
    out.push_back(std::move(parsed));
  }
  return {};
}

Result<void> read_maxima(const json& value, RelaxationMaxima& out) {
  if (!value.is_object()) return fail("relaxation_maxima must be an object");
  if (auto ok = only_keys(value, {"pids_max", "memory_max_bytes", "cpus_max"}, "relaxation_maxima"); !ok) return ok;
  for (auto [key, target] : {std::pair{"pids_max", &out.pids_max}, std::pair{"memory_max_bytes", &out.memory_max_bytes}}) {
    if (const json* v = member(value, key)) {
      auto n = as_int64_saturating(*v, std::string("relaxation_maxima.") + key);
      if (!n) return tl::unexpected(n.error());
      if (*n <= 0) return fail(std::string("relaxation_maxima.") + key + " must be positive");
      *target = *n;
    }
  }
  if (const json* v = member(value, "cpus_max")) {
    auto n = as_number(*v, "relaxation_maxima.cpus_max");
    if (!n) return tl::unexpected(n.error());
    if (!(*n > 0)) return fail("relaxation_maxima.cpus_max must be positive");
    out.cpus_max = *n;
  }
  return {};
}

}  // namespace

HARDENED_EARLY_PATH HostConfigLocation host_config_location(std::optional<std::string_view> option, const char* env_value) {
  if (option) return {*option, true};
  if (env_value != nullptr && *env_value != '\0') return {env_value, true};
  return {kDefaultConfigPath, false};
}

Result<HostConfig> parse_host_config(const json& document, const std::string& source) {
  HostConfig config;
  config.source = source;
  auto wrap = [&](const Error& e) { return fail("host config " + source + ": " + e.message); };
  if (!document.is_object()) return wrap({"the top level must be an object"});
  if (auto ok = only_keys(document, {"runtime", "profiles_dir", "default_profile", "log_file", "mode", "annotation_profiles",
                                     "rules", "relaxation_maxima", "state_dir"},
                          "");
      !ok) {
    return wrap(ok.error());
  }
  struct Field {
    const char* key;
    std::string* target;
  };
  for (Field field : {Field{"runtime", &config.runtime}, Field{"profiles_dir", &config.profiles_dir},
                      Field{"default_profile", &config.default_profile}, Field{"log_file", &config.log_file},
                      Field{"state_dir", &config.state_dir}}) {
    const json* value = member(document, field.key);
    if (value == nullptr) continue;
    auto text = as_string(*value, field.key);
    if (!text) return wrap(text.error());
    *field.target = *text;
  }
  if (!config.runtime.empty() && config.runtime.front() != '/') {
    return wrap({"runtime must be an absolute path, got '" + config.runtime + "'"});
  }
  if (config.profiles_dir.empty() || config.profiles_dir.front() != '/') {
    return wrap({"profiles_dir must be an absolute path, got '" + config.profiles_dir + "'"});
  }
  if (!config.state_dir.empty() && config.state_dir.front() != '/') {
    return wrap({"state_dir must be an absolute path (or \"\" for none), got '" + config.state_dir + "'"});
  }
  if (const json* mode = member(document, "mode")) {
    const auto parsed = mode->is_string() ? parse_mode(mode->get<std::string>()) : std::nullopt;
    if (!parsed) return wrap({"mode must be \"enforce\" or \"audit\""});
    config.mode = *parsed;
  }
  if (const json* names = member(document, "annotation_profiles")) {
    auto list = as_string_list(*names, "annotation_profiles");
    if (!list) return wrap(list.error());
    for (const auto& name : *list) {
      if (!is_valid_profile_name(name)) return wrap({"annotation_profiles: '" + name + "' is not a profile name"});
    }
    config.annotation_profiles = std::move(*list);
  }
  if (const json* rules = member(document, "rules")) {
    if (auto ok = read_rules(*rules, config.rules); !ok) return wrap(ok.error());
  }
  if (const json* maxima = member(document, "relaxation_maxima")) {
    if (auto ok = read_maxima(*maxima, config.relaxation_maxima); !ok) return wrap(ok.error());
  }
  return config;
}

}  // namespace hardened
