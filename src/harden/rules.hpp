#pragma once
// The individual hardening rules, one per file; harden.cpp composes them. Each edits the JSON DOM in
// place (so unknown fields survive) and records what it changed.
#include "hardened/harden.hpp"

namespace hardened::rules {

Result<void> deny(const json& spec, const Profile& profile, const HostFacts& facts);

// Rules over a process object (shared by create/run and exec).
Result<void> capabilities(json& process, const Profile& profile, Changes& changes);
Result<void> no_new_privileges(json& process, const Profile& profile, Changes& changes);
Result<void> user(json& process, const Profile& profile, Changes& changes);

// Rules over the whole spec.
Result<void> rootfs(json& spec, const Profile& profile, Changes& changes);
Result<void> resources(json& spec, const Profile& profile, Changes& changes);
Result<void> seccomp(json& spec, const Profile& profile, Changes& changes);
Result<void> paths(json& spec, const Profile& profile, Changes& changes);

// Helpers shared by the rules.
// The object at `key` of `parent`, created empty when absent; fails when present with another type.
Result<json*> object_member(json& parent, const char* key, const std::string& path);
// "a, b, c" with at most `limit` items, then "(+N more)".
std::string list_names(const std::vector<std::string>& names, std::size_t limit = 8);

}  // namespace hardened::rules
