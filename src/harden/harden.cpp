#include "hardened/harden.hpp"

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

namespace {

Result<void> harden_process_in_place(json& process, const std::string& path, const Profile& profile, Changes& changes) {
  if (!process.is_object()) return fail(path + " must be an object");
  for (auto rule : {rules::capabilities, rules::no_new_privileges, rules::user}) {
    if (auto ok = rule(process, profile, changes); !ok) return ok;
  }
  return {};
}

}  // namespace

Result<Hardened> harden_spec(json spec, const Profile& profile, const HostFacts& facts) {
  if (!spec.is_object()) return fail("config.json must hold a JSON object");
  for (const char* section : {"linux", "root"}) {
    if (const json* value = member(spec, section); value != nullptr && !value->is_object()) {
      return fail(std::string(section) + " must be an object");
    }
  }
  if (auto ok = rules::deny(spec, profile, facts); !ok) return tl::unexpected(ok.error());
  Changes changes;
  json* process = member(spec, "process");
  if (process == nullptr) return fail("config.json has no process: there is nothing to run");
  if (auto ok = harden_process_in_place(*process, "process", profile, changes); !ok) return tl::unexpected(ok.error());
  for (auto rule : {rules::rootfs, rules::resources, rules::seccomp, rules::paths}) {
    if (auto ok = rule(spec, profile, changes); !ok) return tl::unexpected(ok.error());
  }
  return Hardened{std::move(spec), std::move(changes)};
}

Result<Hardened> harden_process(json process, const Profile& profile) {
  Changes changes;
  if (auto ok = harden_process_in_place(process, "process", profile, changes); !ok) return tl::unexpected(ok.error());
  return Hardened{std::move(process), std::move(changes)};
}

}  // namespace hardened
