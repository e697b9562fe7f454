// process.env entries that look like secrets. The Docker security guides: secrets in the environment
// are readable by anyone with `docker inspect` or /proc/<pid>/environ. A finding names the variable
// and why it looks like a secret, never its value.
#include <fnmatch.h>

#include <array>
#include <cmath>

#include "rules.hpp"

namespace hardened::rules {
namespace {

// Shannon entropy in bits per character: random keys and tokens score high, words and paths low.
double bits_per_char(std::string_view value) {
  std::array<std::size_t, 256> counts{};
  for (char c : value) ++counts[static_cast<unsigned char>(c)];
  double bits = 0;
  for (std::size_t n : counts) {
    if (n == 0) continue;
    const double p = static_cast<double>(n) / static_cast<double>(value.size());
    bits -= p * std::log2(p);
  }
  return bits;
}

bool glob(const std::string& pattern, const std::string& text, int flags) { return ::fnmatch(pattern.c_str(), text.c_str(), flags) == 0; }

// Why `name=value` looks like a secret, or "" when it does not.
std::string why_secret(const std::string& name, const std::string& value, const SecretsPolicy& policy) {
  for (const auto& pattern : policy.name_patterns) {
    if (glob(pattern, name, FNM_CASEFOLD)) return "its name matches " + pattern;
  }
  if (value.empty()) return "";
  for (const auto& pattern : policy.value_patterns) {
    if (glob(pattern, value, 0)) return "its value matches " + pattern;
  }
  // Paths and lists of paths are long and varied but not secret.
  const bool path_like = value.front() == '/' || value.find(":/") != std::string::npos;
  if (policy.entropy_min_length != 0 && value.size() >= policy.entropy_min_length && !path_like &&
      value.find(' ') == std::string::npos && bits_per_char(value) >= policy.entropy_min_bits) {
    return "its value is a long random-looking string";
  }
  return "";
}

}  // namespace

Result<void> secrets(const json& process, const Profile& profile, Findings& denials, Findings& warnings) {
  const SecretsPolicy& policy = profile.secrets;
  const json* env = member(process, "env");
  if (policy.action == SecretsPolicy::Action::off || env == nullptr) return {};
  if (!env->is_array()) return fail("process.env must be a list of NAME=value strings");
  for (const auto& entry : *env) {
    if (!entry.is_string()) return fail("process.env must be a list of NAME=value strings");
    const std::string& text = entry.get_ref<const std::string&>();
    const std::size_t eq = text.find('=');
    const std::string name = text.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : text.substr(eq + 1);
    const std::string why = why_secret(name, value, policy);
    if (why.empty()) continue;
    if (policy.action == SecretsPolicy::Action::refuse) {
      denials.push_back({"secrets", "refused by rule secrets: environment variable " + name + " looks like a secret (" + why +
                                        "), and the environment is readable with docker inspect and /proc; pass it as a "
                                        "file (a docker secret or a read-only -v mount) instead, or select a profile whose "
                                        "secrets.action is \"warn\""});
    } else {
      warnings.push_back({"secrets", "environment variable " + name + " looks like a secret (" + why +
                                         "); anyone with docker inspect or /proc/<pid>/environ can read it: pass it as a file instead"});
    }
  }
  return {};
}

}  // namespace hardened::rules
