#pragma once
// The individual hardening rules, one per file; harden.cpp composes them. Each edits the JSON DOM in
// place (so unknown fields survive) and records what it changed.
#include "hardened/harden.hpp"
#include "hardened/lexical_path.hpp"

namespace hardened::rules {

// Refusals: every rule of the profile's deny section (and capabilities.deny) that the spec breaks.
Result<void> deny(const json& spec, const Profile& profile, const HostFacts& facts, Findings& denials);
// Bind and mount sources, judged by what they are (facts.bind_objects): deny.bind_sources*, the host's
// kernel filesystems, container engines' sockets, the runtime's own files (mount_sources.cpp).
void mount_sources(const json& spec, const Profile& profile, const HostFacts& facts, Findings& denials);
// Refusals: no mount namespace of its own, one joined by path, or shared propagation (mount_namespace.cpp).
Result<void> mount_namespace(const json& spec, Findings& denials);
// Refusals: a user namespace mapping whose host ids are root, system ids or protected host accounts
// (id_mappings.cpp; rule "user").
Result<void> id_mappings(const json& spec, const Profile& profile, const HostFacts& facts, Findings& denials);
// process.env entries that look like secrets: warnings or refusals, as the profile says.
Result<void> secrets(const json& process, const Profile& profile, Findings& denials, Findings& warnings);

// Rules over a process object (shared by create/run and exec).
Result<void> capabilities(json& process, const Profile& profile, Changes& changes);
Result<void> no_new_privileges(json& process, const Profile& profile, Changes& changes);
Result<void> user(json& process, const Profile& profile, const HostIdentities& host, Changes& changes, Findings& denials);
// process.oomScoreAdj below 0 and process.rlimits above resources.rlimits_max: raised/clamped, or refused.
Result<void> oom_score_adj(json& process, const Profile& profile, Changes& changes, Findings& denials);
Result<void> rlimits(json& process, const Profile& profile, Changes& changes, Findings& denials);
// exec only: process.apparmorProfile and selinuxLabel other than the container's own are refused.
Result<void> exec_labels(const json& process, const ContainerLabels& container, Findings& denials);

// Rules over the whole spec.
Result<void> rootfs(json& spec, const Profile& profile, Changes& changes);
Result<void> bind_options(json& spec, const Profile& profile, const HostFacts& facts, Changes& changes);
// Typed limits at most the ceilings; above one with resources.beyond_ceilings "refuse": a denial.
Result<void> resources(json& spec, const Profile& profile, Changes& changes, Findings& denials);
// W^X: every writable mount noexec,nosuid,nodev unless mounts.exec_allowed names it; a requested
// "exec" removed or refused (mounts.writable_exec). writable_mounts.cpp.
Result<void> writable_mounts(json& spec, const Profile& profile, const HostFacts& facts, Changes& changes, Findings& denials);
// Refusals: linux.cgroupsPath naming a cgroup that is already someone's, by what it is on this host
// (facts.cgroups_path): one with processes or child cgroups, an existing systemd unit, a slice.
void cgroups_path(const json& spec, const HostFacts& facts, Findings& denials);
// Refusals: a mount over /dev, /dev/null and the other default device nodes (deny.device_nodes).
void device_nodes(const json& spec, const Profile& profile, const HostFacts& facts, Findings& denials);
// Over a LinuxResources object (linux.resources at create, the resources of runc update); `path` is
// its name in messages ("linux.resources", or "" for update). unified: the keys of the controllers the
// profile limits; oom_killer: memory.disableOOMKiller.
Result<void> unified(json& resources, const std::string& path, const Profile& profile, Changes& changes, Findings& denials);
Result<void> oom_killer(json& resources, const std::string& path, const Profile& profile, Changes& changes, Findings& denials);
// `profile_filter`: the profile's own (profile.seccomp), given to be taken apart.
Result<void> seccomp(json& spec, json profile_filter, const Profile& profile, const HostFacts& facts, Changes& changes);
// What `seccomp` would do, known from before: the met filter goes in as its text (raw_json).
void place_met_filter(json& spec, const MetFilter& met, Changes& changes);
Result<void> paths(json& spec, const Profile& profile, Changes& changes);
Result<void> hooks(json& spec, const Profile& profile, const HostFacts& facts, Changes& changes, Findings& denials);

// Helpers shared by the rules.
// The object at `key` of `parent`, created empty when absent; fails when present with another type.
Result<json*> object_member(json& parent, const char* key, const std::string& path);
// The linux.<key> object of `spec` if present (nullptr if absent); fails when linux or it is not an object.
const json* linux_member(const json& spec, const char* key);
// Where runc mounts `mount`: its destination, lexically cleaned, or where the container's symlinks lead
// it (HostFacts::resolved_destinations).
std::string landing(const json& mount, const HostFacts& facts);
// Whether runc leaves the mount read-only: the last of "ro"/"rw" is "ro", and no "rrw", which runc 1.1
// applies after the mount (mount_setattr, recursively) wherever it stands. "rro" is not counted: a
// mount judged writable gets the stricter treatment, never a looser one.
bool read_only(const json& mount);
// Removes the words that undo `no_word` ("nosuid"): its opposite ("suid"), which wins when it comes
// later, and its recursive form ("rsuid"), which runc 1.1 applies after the mount wherever it stands.
// True if there was one. A word not of the form "noX" has none.
bool remove_opposites(json& options, std::string_view no_word);
// Whether `mount`'s flag words must also reach the mounts below it, and can: a bind of a host
// directory brings the mounts beneath it, each with its own flags, and "nosuid" (like "ro", "nodev",
// "noexec") sets only the top one. runc (1.1) and crun (1.8) apply the recursive form ("rnosuid") to
// the whole tree with mount_setattr(2), which Linux has since 5.12 (on an older kernel that form
// fails every container). Only a directory holds mounts, and crun refuses the recursive form on a
// file's bind (Docker's /etc/hosts), so the source must be one by what the edge observed.
bool recursive_flags(const json& mount, const HostFacts& facts);
// Adds `word` to `options` when missing and, with `recursive`, its recursive form too ("ro" -> "rro";
// the words "ro", "nosuid", "nodev", "noexec" have one). True if it added any.
bool ensure_option(json& options, std::string_view word, bool recursive);
// The same file or directory: device and inode.
bool same_object(const MountedObject& a, const MountedObject& b);
// "a, b, c" with at most `limit` items, then "(+N more)".
std::string list_names(const std::vector<std::string>& names, std::size_t limit = 8);

}  // namespace hardened::rules
