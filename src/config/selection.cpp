#include "hardened/selection.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>

#include "hardened/whole_number.hpp"

namespace hardened {
namespace {

const std::string* annotation(const json* annotations, const std::string& key) {
  if (annotations == nullptr || !annotations->is_object()) return nullptr;
  const json* value = member(*annotations, key);
  return value != nullptr && value->is_string() ? &value->get_ref<const std::string&>() : nullptr;
}

bool rule_matches(const ProfileRule& rule, const json* annotations) {
  return std::all_of(rule.annotations.begin(), rule.annotations.end(), [&](const auto& entry) {
    const std::string* value = annotation(annotations, entry.first);
    return value != nullptr && ::fnmatch(entry.second.c_str(), value->c_str(), 0) == 0;
  });
}

std::string describe(const ProfileRule& rule) {
  std::string out;
  for (const auto& [key, pattern] : rule.annotations) out += (out.empty() ? "" : ", ") + key + "=" + pattern;
  return out;
}

// A ceiling a container may move with an annotation, read and written as a double.
struct Relaxable {
  const char* suffix;   // after kAnnotationPrefix
  const char* ceiling;  // the profile key, for messages
  bool integer;
  double (*get)(const Profile&);
  void (*set)(Profile&, double);
  std::optional<double> (*maximum)(const RelaxationMaxima&);
};
template <class T>
std::optional<double> as_double(const std::optional<T>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}
constexpr Relaxable kRelaxable[]{
    {"pids-max", "resources.pids_max", true, [](const Profile& p) { return static_cast<double>(p.pids_max); },
     [](Profile& p, double v) { p.pids_max = static_cast<std::int64_t>(v); }, [](const RelaxationMaxima& m) { return as_double(m.pids_max); }},
    {"memory-max-bytes", "resources.memory_max_bytes", true, [](const Profile& p) { return static_cast<double>(p.memory_max_bytes); },
     [](Profile& p, double v) { p.memory_max_bytes = static_cast<std::int64_t>(v); },
     [](const RelaxationMaxima& m) { return as_double(m.memory_max_bytes); }},
    {"cpus-max", "resources.cpus_max", false, [](const Profile& p) { return p.cpus_max; }, [](Profile& p, double v) { p.cpus_max = v; },
     [](const RelaxationMaxima& m) { return m.cpus_max; }},
};

std::string show(double value, bool integer) {
  if (integer) return std::to_string(static_cast<std::int64_t>(value));
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

std::optional<double> number(const std::string& text) {
  const auto value = whole_number<double>(text);
  if (!value || !std::isfinite(*value) || *value <= 0) return std::nullopt;
  return value;
}

}  // namespace

Selection select_profile(const HostConfig& config, const std::optional<std::string>& runtime_profile, const json* annotations) {
  Selection s{config.default_profile, "default_profile of " + config.source, {}};
  if (runtime_profile) s = {*runtime_profile, "--profile in the runtime's arguments", {}};
  if (const std::string* asked = annotation(annotations, kProfileAnnotation)) {
    const auto& allowed = config.annotation_profiles;
    if (std::find(allowed.begin(), allowed.end(), *asked) != allowed.end()) {
      s = {*asked, std::string("annotation ") + kProfileAnnotation, {}};
    } else {
      s.denials.push_back({"selection", "refused by rule selection: the container asks for profile '" + *asked + "' (annotation " +
                                            kProfileAnnotation + "), which " + config.source +
                                            " does not let containers choose; remove the annotation, or have the "
                                            "administrator add '" + *asked + "' to annotation_profiles"});
    }
  }
  for (std::size_t i = 0; i < config.rules.size(); ++i) {
    if (rule_matches(config.rules[i], annotations)) {
      s.profile = config.rules[i].profile;
      s.why = "host rule " + std::to_string(i + 1) + " (" + describe(config.rules[i]) + ")";
      s.denials.clear();  // the host decided; what the container asked for no longer matters
      break;
    }
  }
  if (annotations != nullptr && annotations->is_object()) {
    for (const auto& [key, _] : annotations->items()) {
      if (!key.starts_with(kAnnotationPrefix) || key == kProfileAnnotation) continue;
      const std::string suffix = key.substr(kAnnotationPrefix.size());
      if (std::none_of(std::begin(kRelaxable), std::end(kRelaxable), [&](const Relaxable& r) { return suffix == r.suffix; })) {
        s.denials.push_back({"selection", "refused by rule selection: unknown annotation " + key +
                                              " (known: org.hardened-runtime.profile, .pids-max, .memory-max-bytes, .cpus-max); "
                                              "a misspelt one would silently do nothing"});
      }
    }
  }
  return s;
}

Profile relax_profile(Profile profile, const HostConfig& config, const json* annotations, Findings& denials,
                      std::vector<std::string>& applied) {
  for (const Relaxable& r : kRelaxable) {
    const std::string key = std::string(kAnnotationPrefix) + r.suffix;
    const std::string* text = annotation(annotations, key);
    if (text == nullptr) continue;
    const auto value = number(*text);
    if (!value || (r.integer && *value != std::floor(*value))) {
      denials.push_back({"selection", "refused by rule selection: annotation " + key + "=\"" + *text + "\" must be a positive " +
                                          (r.integer ? "integer" : "number")});
      continue;
    }
    const double current = r.get(profile);
    const auto limit = r.maximum(config.relaxation_maxima);
    if (*value > current && (!limit || *value > *limit)) {
      const std::string bound = limit ? "the host's maximum " + show(*limit, r.integer)
                                      : "what the host allows (" + config.source + " sets no relaxation_maxima for it)";
      denials.push_back({"selection", "refused by rule selection: annotation " + key + "=" + *text + " would raise " + r.ceiling +
                                          " of profile '" + profile.name + "' past " + bound +
                                          "; ask for less, or have the administrator raise relaxation_maxima"});
      continue;
    }
    if (*value == current) continue;
    applied.push_back(std::string(r.ceiling) + " " + show(current, r.integer) + " -> " + show(*value, r.integer) + " by annotation " + key);
    r.set(profile, *value);
  }
  return profile;
}

}  // namespace hardened
