#include "hardened/host_config.hpp"

namespace hardened {

Result<HostConfig> parse_host_config(const json& document, const std::string& source) {
  HostConfig config;
  config.source = source;
  auto wrap = [&](const Error& e) { return fail("host config " + source + ": " + e.message); };
  if (!document.is_object()) return wrap({"the top level must be an object"});
  if (auto ok = only_keys(document, {"runtime", "profiles_dir", "default_profile", "log_file"}, ""); !ok) {
    return wrap(ok.error());
  }
  struct Field {
    const char* key;
    std::string* target;
  };
  for (Field field : {Field{"runtime", &config.runtime}, Field{"profiles_dir", &config.profiles_dir},
                      Field{"default_profile", &config.default_profile}, Field{"log_file", &config.log_file}}) {
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
  return config;
}

}  // namespace hardened
