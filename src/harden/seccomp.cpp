// The seccomp filter becomes the meet of the container's filter and the profile's allow-list:
// a syscall (with its argument conditions) is allowed only when both allow it.
//  - no filter in the container (unconfined, --privileged): the profile's filter as it is;
//  - a name the container allows outright: the profile's rule stands;
//  - a name the container allows only under argument conditions: the container's conditions, unless
//    the profile's rule has exactly the same conditions;
//  - a name the container denies outright, or never allows: dropped from the profile's allow rules;
//  - the container's conditional deny rules for names still allowed are kept beside them.
// The profile's default action, errno, deny rules and flags always stand; architectures are the
// intersection (a filter that names fewer ABIs kills the others).
#include <algorithm>
#include <map>
#include <set>

#include "rules.hpp"

namespace hardened::rules {
namespace {

bool is_allow(const json& action) { return action == "SCMP_ACT_ALLOW" || action == "SCMP_ACT_LOG"; }

// Argument conditions in one canonical form, so equal conditions compare equal.
json canonical_args(const json& rule) {
  json out = json::array();
  if (const json* args = member(rule, "args"); args != nullptr && args->is_array()) {
    for (const auto& a : *args) {
      out.push_back(json{{"index", a.value("index", 0)},
                         {"value", a.value("value", std::uint64_t{0})},
                         {"valueTwo", a.value("valueTwo", std::uint64_t{0})},
                         {"op", a.value("op", "")}});
    }
  }
  return out;
}

struct Allowance {
  bool denied_outright = false;
  bool unconditional = false;
  std::vector<json> conditions;  // canonical args of conditional allow rules
};

class ContainerFilter {
 public:
  static Result<ContainerFilter> read(const json& seccomp) {
    ContainerFilter f;
    if (!seccomp.is_object()) return fail("linux.seccomp must be an object");
    const json* action = member(seccomp, "defaultAction");
    if (action == nullptr || !action->is_string()) return fail("linux.seccomp.defaultAction must be a string");
    f.default_allows_ = is_allow(*action);
    const json* syscalls = member(seccomp, "syscalls");
    if (syscalls != nullptr && !syscalls->is_array()) return fail("linux.seccomp.syscalls must be a list");
    if (syscalls == nullptr) return f;
    for (const auto& rule : *syscalls) {
      if (!rule.is_object()) return fail("linux.seccomp.syscalls entries must be objects");
      auto names = as_string_list(rule.contains("names") ? rule["names"] : json::array(), "linux.seccomp.syscalls[].names");
      if (!names) return tl::unexpected(names.error());
      const json args = canonical_args(rule);
      const bool allow = is_allow(rule.value("action", ""));
      for (const auto& name : *names) {
        Allowance& a = f.by_name_[name];
        if (allow && args.empty()) a.unconditional = true;
        else if (allow) a.conditions.push_back(args);
        else if (args.empty()) a.denied_outright = true;
        else f.conditional_denies_.push_back({name, rule});
      }
    }
    return f;
  }

  // What the container allows for `name`: outright, under conditions, or not at all (empty result).
  Allowance allowance(const std::string& name) const {
    auto it = by_name_.find(name);
    Allowance a = it == by_name_.end() ? Allowance{} : it->second;
    if (a.denied_outright) return Allowance{true, false, {}};
    if (!a.unconditional && a.conditions.empty() && default_allows_) a.unconditional = true;
    return a;
  }

  const std::vector<std::pair<std::string, json>>& conditional_denies() const { return conditional_denies_; }

  std::set<std::string> allowed_names(const std::set<std::string>& candidates) const {
    std::set<std::string> out;
    for (const auto& name : candidates) {
      const Allowance a = allowance(name);
      if (a.unconditional || !a.conditions.empty()) out.insert(name);
    }
    return out;
  }

 private:
  bool default_allows_ = false;
  std::map<std::string, Allowance> by_name_;
  std::vector<std::pair<std::string, json>> conditional_denies_;
};

json single_rule(const json& like, const std::string& name, const json& args) {
  json rule = like;
  rule["names"] = json::array({name});
  if (args.empty()) rule.erase("args");
  else rule["args"] = args;
  return rule;
}

bool same_rule(const json& a, const json& b) {
  return a.value("action", "") == b.value("action", "") && a.value("errnoRet", -1) == b.value("errnoRet", -1) &&
         canonical_args(a) == canonical_args(b);
}

std::set<std::string> names_allowed_by(const json& syscalls) {
  std::set<std::string> out;
  for (const auto& rule : syscalls) {
    if (!is_allow(rule.value("action", ""))) continue;
    for (const auto& name : rule["names"]) out.insert(name.get<std::string>());
  }
  return out;
}

}  // namespace

Result<void> seccomp(json& spec, const Profile& profile, Changes& changes) {
  auto linux_section = object_member(spec, "linux", "");
  if (!linux_section) return tl::unexpected(linux_section.error());
  const json* current = member(**linux_section, "seccomp");
  if (current == nullptr) {
    (**linux_section)["seccomp"] = profile.seccomp;
    changes.push_back({"seccomp", "the container had no seccomp filter; applied the profile's"});
    return {};
  }
  auto container = ContainerFilter::read(*current);
  if (!container) return tl::unexpected(container.error());

  json result = profile.seccomp;
  json rules = json::array();
  std::set<std::string> still_allowed;
  for (const auto& rule : profile.seccomp["syscalls"]) {
    if (!is_allow(rule["action"])) {
      rules.push_back(rule);
      continue;
    }
    const json args = canonical_args(rule);
    json kept = json::array();
    json narrowed = json::array();
    for (const auto& name_json : rule["names"]) {
      const std::string name = name_json.get<std::string>();
      const Allowance a = container->allowance(name);
      const bool same_conditions = std::find(a.conditions.begin(), a.conditions.end(), args) != a.conditions.end();
      if (a.unconditional || (!args.empty() && same_conditions)) {
        kept.push_back(name);
      } else if (args.empty()) {
        for (const auto& condition : a.conditions) narrowed.push_back(single_rule(rule, name, condition));
      }
      if (a.unconditional || same_conditions || (args.empty() && !a.conditions.empty())) still_allowed.insert(name);
    }
    if (!kept.empty()) {
      json copy = rule;
      copy["names"] = kept;
      rules.push_back(copy);
    }
    for (auto& r : narrowed) rules.push_back(std::move(r));
  }
  for (const auto& [name, deny_rule] : container->conditional_denies()) {
    if (!still_allowed.contains(name)) continue;
    const json candidate = single_rule(deny_rule, name, canonical_args(deny_rule));
    const bool present = std::any_of(rules.begin(), rules.end(), [&](const json& r) {
      return same_rule(r, candidate) && std::find(r["names"].begin(), r["names"].end(), name) != r["names"].end();
    });
    if (!present) rules.push_back(candidate);
  }
  result["syscalls"] = rules;

  std::vector<std::string> arches;
  const json* theirs = member(*current, "architectures");
  if (const json* ours = member(profile.seccomp, "architectures")) {
    for (const auto& arch : *ours) {
      if (theirs != nullptr && theirs->is_array() && std::find(theirs->begin(), theirs->end(), arch) != theirs->end()) {
        arches.push_back(arch.get<std::string>());
      }
    }
    result["architectures"] = arches;
  }

  if (result == *current) return {};
  std::set<std::string> candidates = names_allowed_by(profile.seccomp["syscalls"]);
  if (const json* their_rules = member(*current, "syscalls"); their_rules != nullptr) {
    for (const auto& name : names_allowed_by(*their_rules)) candidates.insert(name);
  }
  std::vector<std::string> newly_denied;
  for (const auto& name : container->allowed_names(candidates)) {
    if (!still_allowed.contains(name)) newly_denied.push_back(name);
  }
  (**linux_section)["seccomp"] = std::move(result);
  changes.push_back({"seccomp", "replaced the container's filter by the meet with the profile's; denied " +
                                    std::to_string(newly_denied.size()) + " syscalls it allowed: " + list_names(newly_denied)});
  return {};
}

}  // namespace hardened::rules
