#include "hardened/harden.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "hardened/client_spelling.hpp"
#include "hardened/lexical_path.hpp"
#include "rules.hpp"

namespace hardened {
namespace rules {

Result<json*> object_member(json& parent, const char* key, const std::string& path) {
  json* value = member(parent, key);
  if (value == nullptr) {
    parent[key] = json::object();
    return &parent[key];
  }
  if (!value->is_object()) return fail(join_path(path, key) + " must be an object");
  return value;
}

const json* linux_member(const json& spec, const char* key) {
  const json* linux_section = member(spec, "linux");
  return linux_section != nullptr && linux_section->is_object() ? member(*linux_section, key) : nullptr;
}

std::string landing(const json& mount, const HostFacts& facts) {
  const json* destination = member(mount, "destination");
  const std::string written = destination != nullptr && destination->is_string() ? destination->get<std::string>() : "";
  const auto resolved = facts.resolved_destinations.find(written);
  return resolved != facts.resolved_destinations.end() ? resolved->second : lexical_path(written);
}

bool read_only(const json& mount) {
  const json* options = member(mount, "options");
  if (options == nullptr || !options->is_array()) return false;
  bool ro = false;
  for (const auto& o : *options) {
    if (!o.is_string()) continue;
    const std::string& word = o.get_ref<const std::string&>();
    if (word == "rrw") return false;
    if (word == "ro") ro = true;
    if (word == "rw") ro = false;
  }
  return ro;
}

bool remove_opposites(json& options, std::string_view no_word) {
  if (!no_word.starts_with("no")) return false;
  const std::string_view opposite = no_word.substr(2);
  const auto before = options.size();
  // Compared as strings: json == std::string would build a json of the string for every element.
  auto& words = options.get_ref<json::array_t&>();
  std::erase_if(words, [&](const json& o) {
    if (!o.is_string()) return false;
    const std::string_view word = o.get_ref<const std::string&>();
    return word == opposite || (word.size() == opposite.size() + 1 && word[0] == 'r' && word.substr(1) == opposite);
  });
  return options.size() != before;
}

bool recursive_flags(const json& mount, const HostFacts& facts) {
  if (facts.kernel < KernelVersion{5, 12} || !is_bind(mount)) return false;
  const json* source = member(mount, "source");
  if (source == nullptr || !source->is_string()) return false;
  const auto found = facts.bind_objects.find(source->get_ref<const std::string&>());
  return found != facts.bind_objects.end() && S_ISDIR(found->second.mode);
}

bool ensure_option(json& options, std::string_view word, bool recursive) {
  auto ensure = [&](std::string_view w) {
    const bool missing = std::none_of(options.begin(), options.end(), [&](const json& o) {
      return o.is_string() && o.get_ref<const std::string&>() == w;
    });
    if (missing) options.push_back(std::string(w));
    return missing;
  };
  bool added = ensure(word);
  if (recursive && (word == "ro" || word == "nosuid" || word == "nodev" || word == "noexec")) added |= ensure("r" + std::string(word));
  return added;
}

bool same_object(const MountedObject& a, const MountedObject& b) { return a.dev == b.dev && a.ino == b.ino; }

std::string list_names(const std::vector<std::string>& names, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
    if (i != 0) out += ", ";
    out += names[i];
  }
  if (names.size() > limit) out += " (+" + std::to_string(names.size() - limit) + " more)";
  return out;
}

}  // namespace rules

bool is_bind(const json& mount) {
  // Compared as strings in place: `json == "bind"` would build a json of "bind" for every option.
  auto is = [](const json& value, std::string_view text) { return value.is_string() && value.get_ref<const std::string&>() == text; };
  if (const json* type = member(mount, "type"); type != nullptr && is(*type, "bind")) return true;
  if (const json* options = member(mount, "options"); options != nullptr && options->is_array()) {
    return std::any_of(options->begin(), options->end(), [&](const json& o) { return is(o, "bind") || is(o, "rbind"); });
  }
  return false;
}

namespace {

Result<void> harden_process_in_place(json& process, const std::string& path, const Profile& profile, const HostIdentities& host,
                                     Changes& changes, Findings& denials) {
  if (!process.is_object()) return fail(path + " must be an object");
  for (auto rule : {rules::capabilities, rules::no_new_privileges}) {
    if (auto ok = rule(process, profile, changes); !ok) return ok;
  }
  if (auto ok = rules::user(process, profile, host, changes, denials); !ok) return ok;
  for (auto rule : {rules::oom_score_adj, rules::rlimits}) {
    if (auto ok = rule(process, profile, changes, denials); !ok) return ok;
  }
  return {};
}

// The forms of a resource request beyond the typed limits, judged the same at create and update.
Result<void> other_resource_forms(json& resources, const std::string& path, const Profile& profile, Changes& changes, Findings& denials) {
  for (auto rule : {rules::unified, rules::oom_killer}) {
    if (auto ok = rule(resources, path, profile, changes, denials); !ok) return ok;
  }
  return {};
}

}  // namespace

Result<Hardened> decide_spec(json spec, Profile profile, const HostFacts& facts, const MetFilter* known) {
  if (!spec.is_object()) return fail("config.json must hold a JSON object");
  for (const char* section : {"linux", "root"}) {
    if (const json* value = member(spec, section); value != nullptr && !value->is_object()) {
      return fail(std::string(section) + " must be an object");
    }
  }
  Hardened out;
  json* process = member(spec, "process");
  if (process == nullptr) return fail("config.json has no process: there is nothing to run");
  if (!process->is_object()) return fail("process must be an object");
  if (auto ok = rules::deny(spec, profile, facts, out.denials); !ok) return tl::unexpected(ok.error());
  if (auto ok = rules::mount_namespace(spec, out.denials); !ok) return tl::unexpected(ok.error());
  if (auto ok = rules::id_mappings(spec, profile, facts, out.denials); !ok) return tl::unexpected(ok.error());
  rules::device_nodes(spec, profile, facts, out.denials);
  rules::cgroups_path(spec, facts, out.denials);
  if (auto ok = rules::secrets(*process, profile, out.denials, out.warnings); !ok) return tl::unexpected(ok.error());
  if (auto ok = harden_process_in_place(*process, "process", profile, facts.identities, out.changes, out.denials); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = rules::rootfs(spec, profile, out.changes); !ok) return tl::unexpected(ok.error());
  if (auto ok = rules::bind_options(spec, profile, facts, out.changes); !ok) return tl::unexpected(ok.error());
  if (auto ok = rules::writable_mounts(spec, profile, facts, out.changes, out.denials); !ok) return tl::unexpected(ok.error());
  if (auto ok = rules::resources(spec, profile, out.changes, out.denials); !ok) return tl::unexpected(ok.error());
  if (auto ok = other_resource_forms(spec["linux"]["resources"], "linux.resources", profile, out.changes, out.denials); !ok) {
    return tl::unexpected(ok.error());
  }
  if (known != nullptr) {
    rules::place_met_filter(spec, *known, out.changes);
  } else if (auto ok = rules::seccomp(spec, std::move(profile.seccomp), profile, facts, out.changes); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = rules::paths(spec, profile, out.changes); !ok) return tl::unexpected(ok.error());
  if (auto ok = rules::hooks(spec, profile, facts, out.changes, out.denials); !ok) return tl::unexpected(ok.error());
  // The rules speak Docker; a Kubernetes or podman user reads their own client's words.
  if (const Client client = client_of(spec); client != Client::docker) {
    for (Findings* list : {&out.denials, &out.warnings}) {
      for (auto& finding : *list) finding.message = spell_for(client, finding.message);
    }
  }
  out.document = std::move(spec);
  return out;
}

Result<Hardened> harden_spec(json spec, const Profile& profile, const HostFacts& facts) {
  auto decided = decide_spec(std::move(spec), profile, facts);
  if (decided && !decided->denials.empty()) return fail(refusal_message(decided->denials));
  return decided;
}

// Member by member: an initializer list of json copies each string twice.
void to_json(json& out, const Change& change) {
  out = json::object();
  out["rule"] = change.rule;
  out["change"] = change.detail;
}
void to_json(json& out, const Finding& finding) {
  out = json::object();
  out["rule"] = finding.rule;
  out["message"] = finding.message;
}

std::string refusal_message(const Findings& denials) {
  std::string out;
  for (const auto& d : denials) out += (out.empty() ? "" : "; also ") + d.message;
  return out;
}

Result<Hardened> harden_process(json process, const Profile& profile, const HostIdentities& host, const ContainerLabels& container) {
  Hardened out;
  if (auto ok = harden_process_in_place(process, "process", profile, host, out.changes, out.denials); !ok) return tl::unexpected(ok.error());
  if (auto ok = rules::exec_labels(process, container, out.denials); !ok) return tl::unexpected(ok.error());
  out.document = std::move(process);
  return out;
}

}  // namespace hardened
