// The seccomp filter becomes the meet of the container's filter and the profile's allow-list:
// a syscall (with its argument conditions) is allowed only when both allow it.
//  - no filter in the container (unconfined, --privileged): the profile's filter as it is;
//  - a name the container allows outright: the profile's rule stands;
//  - a name the container allows only under argument conditions: the container's conditions, unless
//    the profile's rule has exactly the same conditions;
//  - a name the container denies outright, or never allows: dropped from the profile's allow rules;
//  - the container's conditional deny rules for names still allowed are kept beside them (a notify
//    rule as a plain EPERM: its listener agent is not kept).
// The profile's default action, errno, deny rules and flags always stand; architectures are the
// intersection (a filter that names fewer ABIs kills the others).
// This runs on every create, so it works on views into the two filters and copies only the output.
#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "rules.hpp"

namespace hardened::rules {
namespace {

bool is_allow(const json& action) { return action == "SCMP_ACT_ALLOW" || action == "SCMP_ACT_LOG"; }

const json& args_of(const json& rule) {
  static const json kNone = json::array();
  const json* args = member(rule, "args");
  return args != nullptr && args->is_array() ? *args : kNone;
}

// A checked number field as runc reads it: absent or null is the default (Go leaves a number alone on
// a null). Not json::value, which takes a null for present and throws.
template <class Number>
Number number_or(const json& object, const char* key, Number fallback) {
  const json* value = member(object, key);
  return value != nullptr ? value->get<Number>() : fallback;
}

// Equal argument conditions, reading an absent valueTwo as 0 (as runc does).
bool same_args(const json& a, const json& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (const char* key : {"index", "value", "valueTwo"}) {
      if (number_or(a[i], key, std::uint64_t{0}) != number_or(b[i], key, std::uint64_t{0})) return false;
    }
    auto op = [](const json& arg) { const json* o = member(arg, "op"); return o != nullptr ? *o : json(""); };
    if (op(a[i]) != op(b[i])) return false;
  }
  return true;
}

// Argument conditions as runc reads them: {index, value, valueTwo: unsigned integers; op: a string}.
// Checked before any comparison reads them as numbers.
Result<void> check_args(const json& args) {
  for (const auto& arg : args) {
    if (!arg.is_object()) return fail("linux.seccomp.syscalls[].args must be a list of objects");
    for (const char* key : {"index", "value", "valueTwo"}) {
      const json* v = member(arg, key);
      if (v != nullptr && !v->is_number_unsigned()) return fail(std::string("linux.seccomp.syscalls[].args[].") + key + " must be an unsigned integer");
    }
    const json* op = member(arg, "op");
    if (op != nullptr && !op->is_string()) return fail("linux.seccomp.syscalls[].args[].op must be a string");
  }
  return {};
}

struct Allowance {
  bool denied_outright = false;
  bool unconditional = false;
  std::vector<const json*> conditions;  // args of the container's conditional allow rules
  bool still_allowed = false;           // by the meet (set as it is computed)
  bool reported = false;                // named among the newly denied
};

// The container's filter, indexed by syscall name. Views point into the container's JSON.
class ContainerFilter {
 public:
  static Result<ContainerFilter> read(const json& seccomp) {
    ContainerFilter f;
    if (!seccomp.is_object()) return fail("linux.seccomp must be an object");
    const json* action = member(seccomp, "defaultAction");
    if (action == nullptr || !action->is_string()) return fail("linux.seccomp.defaultAction must be a string");
    f.default_allows_ = is_allow(*action);
    const json* syscalls = member(seccomp, "syscalls");
    if (syscalls == nullptr) return f;
    if (!syscalls->is_array()) return fail("linux.seccomp.syscalls must be a list");
    for (const auto& rule : *syscalls) {
      const json* names = rule.is_object() ? member(rule, "names") : nullptr;
      if (names == nullptr || !names->is_array()) return fail("linux.seccomp.syscalls[].names must be a list of syscall names");
      if (const json* a = member(rule, "args"); a != nullptr && !a->is_array()) return fail("linux.seccomp.syscalls[].args must be a list");
      if (const json* e = member(rule, "errnoRet"); e != nullptr && !e->is_number_unsigned()) {
        return fail("linux.seccomp.syscalls[].errnoRet must be an unsigned integer");
      }
      const json& args = args_of(rule);
      if (auto ok = check_args(args); !ok) return tl::unexpected(ok.error());
      const json* rule_action = member(rule, "action");
      if (rule_action == nullptr || !rule_action->is_string()) return fail("linux.seccomp.syscalls[].action must be a string");
      const bool allow = is_allow(*rule_action);
      for (const auto& name : *names) {
        if (!name.is_string()) return fail("linux.seccomp.syscalls[].names must be a list of syscall names");
        const std::string_view view = name.get_ref<const std::string&>();
        Allowance& a = f.by_name_[view];
        if (allow && args.empty()) {
          a.unconditional = true;
        } else if (allow) {
          a.conditions.push_back(&args);
        } else if (args.empty()) {
          a.denied_outright = true;
        } else {
          f.conditional_denies_.push_back({view, &rule});
        }
        if (allow) f.explicitly_allowed_.push_back(view);
      }
    }
    return f;
  }

  // Outright, under conditions, or not at all (neither flag set, no conditions).
  const Allowance& allowance(std::string_view name) const {
    static const Allowance kNothing{};
    static const Allowance kEverything{false, true, {}};
    const Allowance* a = find(name);
    if (a == nullptr) return default_allows_ ? kEverything : kNothing;
    if (a->denied_outright) return kNothing;
    if (!a->unconditional && a->conditions.empty() && default_allows_) return kEverything;
    return *a;
  }

  // What the meet keeps allowed, for the names this filter mentions (the only ones asked about): a flag
  // on the name's entry, not a set of its own (~330 names a create).
  void mark_still_allowed(std::string_view name) {
    if (Allowance* a = find(name)) a->still_allowed = true;
  }
  bool still_allowed(std::string_view name) const {
    const Allowance* a = find(name);
    return a != nullptr && a->still_allowed;
  }

  // The names this filter allowed by a rule of its own and the meet denies, each once, in its order.
  std::vector<std::string> newly_denied() {
    std::vector<std::string> out;
    for (const std::string_view name : explicitly_allowed_) {
      Allowance* a = find(name);
      if (!a->still_allowed && !a->reported) out.emplace_back(name);
      a->reported = true;
    }
    return out;
  }

  const std::vector<std::pair<std::string_view, const json*>>& conditional_denies() const { return conditional_denies_; }

 private:
  const Allowance* find(std::string_view name) const {
    auto it = by_name_.find(name);
    return it != by_name_.end() ? &it->second : nullptr;
  }
  Allowance* find(std::string_view name) { return const_cast<Allowance*>(std::as_const(*this).find(name)); }

  bool default_allows_ = false;
  std::unordered_map<std::string_view, Allowance> by_name_;
  std::vector<std::pair<std::string_view, const json*>> conditional_denies_;
  std::vector<std::string_view> explicitly_allowed_;
};

// A copy of `like` (action, errnoRet, comment, ...) for other names and argument conditions.
json rule_like(const json& like, json names, const json& args) {
  json rule = json::object();
  for (const auto& [key, value] : like.items()) {
    if (key != "names" && key != "args") rule[key] = value;
  }
  rule["names"] = std::move(names);
  if (!args.empty()) rule["args"] = args;
  return rule;
}

json single_rule(const json& like, std::string_view name, const json& args) {
  return rule_like(like, json::array({name}), args);
}

bool has_rule_for(const json& rules, std::string_view name, const json& like) {
  return std::any_of(rules.begin(), rules.end(), [&](const json& r) {
    return r.value("action", "") == like.value("action", "") &&
           number_or(r, "errnoRet", std::int64_t{-1}) == number_or(like, "errnoRet", std::int64_t{-1}) &&
           same_args(args_of(r), args_of(like)) &&
           std::find(r["names"].begin(), r["names"].end(), name) != r["names"].end();
  });
}

// A profile in Docker's format is resolved against the capabilities the container ends up with.
json resolved_profile_filter(const json& spec, json filter, const Profile& profile, const HostFacts& facts) {
  std::vector<std::string> bounding;
  const json* process = member(spec, "process");
  const json* caps = process != nullptr ? member(*process, "capabilities") : nullptr;
  if (const json* set = caps != nullptr ? member(*caps, "bounding") : nullptr; set != nullptr && set->is_array()) {
    for (const auto& cap : *set) {
      if (cap.is_string()) bounding.push_back(cap.get<std::string>());
    }
  }
  json resolved = resolve_docker_seccomp(std::move(filter), bounding, facts.kernel);
  remove_syscalls(resolved, profile.seccomp_deny);
  return resolved;
}

}  // namespace

Result<void> seccomp(json& spec, json profile_filter, const Profile& profile, const HostFacts& facts, Changes& changes) {
  // The profile's filter for this container, ours to take apart: what is kept is moved, not copied.
  json filter = profile.seccomp_docker_format ? resolved_profile_filter(spec, std::move(profile_filter), profile, facts) : std::move(profile_filter);
  auto linux_section = object_member(spec, "linux", "");
  if (!linux_section) return tl::unexpected(linux_section.error());
  const json* current = member(**linux_section, "seccomp");
  if (current == nullptr) {
    (**linux_section)["seccomp"] = std::move(filter);
    changes.push_back({"seccomp", "the container had no seccomp filter; applied the profile's"});
    return {};
  }
  auto container = ContainerFilter::read(*current);
  if (!container) return tl::unexpected(container.error());

  json rules = json::array();
  // Views of names stay valid when a rule moves: a json string lives on the heap, and moving its array
  // moves only the pointers.
  for (auto& rule : filter["syscalls"]) {
    if (!is_allow(rule["action"])) {
      rules.push_back(std::move(rule));
      continue;
    }
    const json& args = args_of(rule);
    std::vector<const json*> kept;  // names copied only when the rule has to be rewritten
    json narrowed = json::array();
    for (const auto& name_json : rule["names"]) {
      const std::string_view name = name_json.get_ref<const std::string&>();
      const Allowance& a = container->allowance(name);
      const bool same_conditions =
          std::any_of(a.conditions.begin(), a.conditions.end(), [&](const json* c) { return same_args(*c, args); });
      if (a.unconditional || (!args.empty() && same_conditions)) {
        kept.push_back(&name_json);
      } else if (args.empty()) {
        for (const json* condition : a.conditions) narrowed.push_back(single_rule(rule, name, *condition));
      }
      if (a.unconditional || same_conditions || (args.empty() && !a.conditions.empty())) container->mark_still_allowed(name);
    }
    if (kept.size() == rule["names"].size()) {
      rules.push_back(std::move(rule));
    } else if (!kept.empty()) {
      json names = json::array();
      for (const json* name : kept) names.push_back(*name);
      rules.push_back(rule_like(rule, std::move(names), args));
    }
    for (auto& r : narrowed) rules.push_back(std::move(r));
  }
  std::vector<std::string> unnotified;
  for (const auto& [name, deny_rule] : container->conditional_denies()) {
    if (container->still_allowed(name) && !has_rule_for(rules, name, *deny_rule)) {
      json kept = single_rule(*deny_rule, name, args_of(*deny_rule));
      // SCMP_ACT_NOTIFY hands the call to an agent on listenerPath, which the met filter does not keep
      // (runc then refuses to start, and an agent outside the container could answer it with the host's
      // privileges): the call is denied instead, with EPERM.
      if (kept.value("action", "") == "SCMP_ACT_NOTIFY") {
        kept["action"] = "SCMP_ACT_ERRNO";
        kept["errnoRet"] = 1u;  // EPERM
        unnotified.emplace_back(name);
      }
      rules.push_back(std::move(kept));
    }
  }

  json result = json::object();
  for (auto& [key, value] : filter.items()) {
    if (key == "syscalls") {
      result[key] = std::move(rules);
    } else if (key == "architectures") {
      const json* theirs = member(*current, "architectures");
      json arches = json::array();
      for (const auto& arch : value) {
        if (theirs != nullptr && theirs->is_array() && std::find(theirs->begin(), theirs->end(), arch) != theirs->end()) {
          arches.push_back(arch);
        }
      }
      result[key] = std::move(arches);
    } else {
      result[key] = std::move(value);
    }
  }
  if (result == *current) return {};

  const std::vector<std::string> newly_denied = container->newly_denied();
  std::string detail = "replaced the container's filter by the meet with the profile's";
  if (!newly_denied.empty()) {
    detail += "; denied " + std::to_string(newly_denied.size()) + " syscalls it allowed: " + list_names(newly_denied);
  }
  if (!unnotified.empty()) {
    detail += "; its SCMP_ACT_NOTIFY rules for " + list_names(unnotified) + " deny with EPERM (no listener agent is kept)";
  }
  changes.push_back({"seccomp", detail});
  (**linux_section)["seccomp"] = std::move(result);  // the views above die here
  return {};
}

void place_met_filter(json& spec, const MetFilter& met, Changes& changes) {
  spec["linux"]["seccomp"] = raw_json(met.filter);  // decide_spec has checked that linux is an object
  if (!met.change.empty()) changes.push_back({"seccomp", met.change});
}

}  // namespace hardened::rules
