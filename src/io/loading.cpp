#include "hardened/loading.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "hardened/json_file.hpp"

namespace hardened {

Result<HostConfig> load_host_config(const std::string& path, bool explicit_path) {
  struct stat st {};
  if (!explicit_path && ::stat(path.c_str(), &st) != 0 && errno == ENOENT) return HostConfig{};
  auto file = read_json_file(path);
  if (!file) return fail("cannot load the host config: " + file.error().message);
  return parse_host_config(file->document, path);
}

Result<HostConfig> load_host_config_for(const std::optional<std::string>& option, const char* env_value) {
  if (option) return load_host_config(*option, true);
  if (env_value != nullptr && *env_value != '\0') return load_host_config(env_value, true);
  return load_host_config(kDefaultConfigPath, false);
}

Result<Profile> load_profile(const HostConfig& config, const std::string& name) {
  if (!is_valid_profile_name(name)) {
    return fail("'" + name + "' is not a valid profile name (letters, digits, '-', '_', '.'; a file name in " +
                config.profiles_dir + ")");
  }
  const std::string path = config.profiles_dir + "/" + name + ".json";
  auto file = read_json_file(path);
  if (!file) {
    return fail("cannot load profile '" + name + "': " + file.error().message +
                "; install the shipped profiles (cmake --install) or set profiles_dir/default_profile in " + config.source);
  }
  return parse_profile(std::move(file->document), name);
}

}  // namespace hardened
