// process.env entries that look like secrets. The Docker security guides: secrets in the environment
// are readable by anyone with `docker inspect` or /proc/<pid>/environ. A finding names the variable
// and why it looks like a secret, never its value.
#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

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

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

// A glob, the plain characters it starts with (which any text it matches starts with) and the longest
// run of plain characters (which such a text contains): fnmatch costs ~400 instructions a call, and a
// spec may carry 10,000 variables, nearly none of which passes these two checks. The run is sought only
// in a pattern without brackets or escapes; the start is read up to the first of them.
struct Glob {
  std::string pattern;
  std::string start;  // both upper-cased for a case-blind pattern
  std::string run;

  Glob(const std::string& p, bool caseless) : pattern(p) {
    start = p.substr(0, std::min(p.find_first_of("*?[\\"), p.size()));
    if (p.find_first_of("[\\") == std::string::npos) {
      for (std::size_t at = 0; at < p.size();) {
        const std::size_t end = std::min(p.find_first_of("*?", at), p.size());
        if (end - at > run.size()) run = p.substr(at, end - at);
        at = end + 1;
      }
    }
    if (caseless) {
      start = upper(start);
      run = upper(run);
    }
  }

  // `folded`: the text upper-cased when the pattern is case-blind.
  bool matches(const std::string& text, std::string_view folded, int flags) const {
    if (!folded.starts_with(start) || (!run.empty() && folded.find(run) == std::string_view::npos)) return false;
    return ::fnmatch(pattern.c_str(), text.c_str(), flags) == 0;
  }
};

struct Globs {
  std::vector<Glob> names;
  std::vector<Glob> values;

  explicit Globs(const SecretsPolicy& policy) {
    for (const auto& p : policy.name_patterns) names.emplace_back(p, true);
    for (const auto& p : policy.value_patterns) values.emplace_back(p, false);
  }
};

// Why `name=value` looks like a secret, or "" when it does not.
std::string why_secret(const std::string& name, const std::string& value, const SecretsPolicy& policy, const Globs& globs) {
  const std::string folded = upper(name);
  for (const auto& glob : globs.names) {
    if (glob.matches(name, folded, FNM_CASEFOLD)) return "its name matches " + glob.pattern;
  }
  if (value.empty()) return "";
  for (const auto& glob : globs.values) {
    if (glob.matches(value, value, 0)) return "its value matches " + glob.pattern;
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
  const Globs globs(policy);
  for (const auto& entry : *env) {
    if (!entry.is_string()) return fail("process.env must be a list of NAME=value strings");
    const std::string& text = entry.get_ref<const std::string&>();
    const std::size_t eq = text.find('=');
    const std::string name = text.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : text.substr(eq + 1);
    const std::string why = why_secret(name, value, policy, globs);
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
