// Hooks: runc starts each program of the spec's hooks (prestart, createRuntime, poststart, ...) on the
// host, as root, outside the container's namespaces, capabilities, seccomp filter and limits. Whoever
// writes a hook into config.json runs a command as root on the host, so a hook runs only when the
// profile lists its program and arguments (hooks.allowed: Docker's own libnetwork-setkey by default).
//
// Judged by what it is: the program is the file the hook's path reaches now (Docker writes
// /proc/<dockerd's pid>/exe), compared by device and inode with the listed program; a file someone
// other than root can change is refused. What runc runs is what was checked: the path is rewritten to
// the listed program's own, since /proc/<pid>/exe names whatever that process runs when runc gets
// there. An allowed hook may not set environment variables (env), which change what a program does
// (LD_PRELOAD, for one).
//
// Arguments choose what the program does: each is matched with its own pattern, and there are exactly
// as many. Docker's hook is `dockerd libnetwork-setkey -exec-root=DIR ID CONTROLLER`: dockerd moves the
// network sandbox of container ID into the namespace of the container being created, so ID must be
// that container's own ("<container-id>", from runc create's argv), never another running one's.
#include <fnmatch.h>
#include <sys/stat.h>

#include "rules.hpp"

namespace hardened::rules {
namespace {

// Why the hook's args are not those `allowed` lists ("" if they are): as many as its patterns, each
// matching its own.
std::string args_mismatch(const json* args, const Profile::HookProgram& allowed, const std::string& container_id) {
  const std::vector<std::string>& patterns = *allowed.args;
  const std::string of = " of hooks.allowed for " + allowed.program;
  const std::size_t count = args != nullptr && args->is_array() ? args->size() : 0;
  if (count != patterns.size()) {
    return "it has " + std::to_string(count) + " arguments where hooks.allowed for " + allowed.program + " lists " +
           std::to_string(patterns.size()) + ": " + json(patterns).dump();
  }
  for (std::size_t i = 0; i < count; ++i) {
    const json& arg = (*args)[i];
    const std::string at = "its args[" + std::to_string(i) + "]";
    if (!arg.is_string()) return at + " is not a string";
    const std::string& value = arg.get_ref<const std::string&>();
    const std::string& pattern = patterns[i];
    if (pattern == Profile::HookProgram::kContainerId) {
      if (container_id.empty()) {
        return at + " must be the id of the container being created ('" + pattern + "'" + of + "), which is not known here (explain: give it with --id)";
      }
      if (value != container_id) {
        return at + " '" + value + "' is not the id of the container being created, " + container_id + " ('" + pattern + "'" + of + ")";
      }
    } else if (value.find('\0') != std::string::npos || ::fnmatch(pattern.c_str(), value.c_str(), 0) != 0) {
      // (a NUL would end the string fnmatch sees; runc cannot pass one anyway)
      return at + " '" + value + "' does not match '" + pattern + "'" + of;
    }
  }
  return "";
}

// Why the hook may not run ("" if it may), and the listed program it is.
std::string judge(const json& hook, const MountedObject* program, const Profile& profile, const HostFacts& facts,
                  const MountedObject** listed) {
  if (program == nullptr) return "its program is not there, or cannot be seen from here";
  const json* args = member(hook, "args");
  std::string mismatch;  // why the first entry listing this program does not take these args
  for (const auto& allowed : profile.hooks_allowed) {
    const auto named = facts.named_objects.find(allowed.program);
    if (named == facts.named_objects.end() || !same_object(named->second, *program)) continue;
    if (allowed.args) {
      if (std::string why = args_mismatch(args, allowed, facts.container_id); !why.empty()) {
        if (mismatch.empty()) mismatch = std::move(why);
        continue;
      }
    }
    *listed = &named->second;
    if (!S_ISREG(program->mode) || program->uid != 0 || (program->mode & (S_IWGRP | S_IWOTH)) != 0 || !program->controlled.empty()) {
      return "its program " + program->path + " can be changed by someone other than root";
    }
    const json* env = member(hook, "env");
    if (env != nullptr && !(env->is_array() && env->empty())) {
      return "it sets environment variables for " + program->path + " (env), which change what a program does";
    }
    return "";
  }
  if (!mismatch.empty()) return mismatch;
  return "its program " + program->path + " is not one the profile lists in hooks.allowed";
}

}  // namespace

Result<void> hooks(json& spec, const Profile& profile, const HostFacts& facts, Changes& changes, Findings& denials) {
  json* hooks = member(spec, "hooks");
  if (hooks == nullptr) return {};
  if (!hooks->is_object()) return fail("hooks must be an object of hook lists");
  const MountedObject* self = facts.runtime_program ? &*facts.runtime_program : nullptr;
  std::vector<std::string> rewritten;
  std::size_t own = 0;
  for (auto& [kind, list] : hooks->items()) {
    if (!list.is_array()) return fail("hooks." + kind + " must be a list");
    json kept = json::array();
    for (auto& hook : list) {
      const json* path = hook.is_object() ? member(hook, "path") : nullptr;
      if (path == nullptr || !path->is_string()) return fail("hooks." + kind + "[].path must be a string");
      const std::string written = path->get<std::string>();
      const auto found = facts.hook_programs.find(written);
      const MountedObject* program = found == facts.hook_programs.end() ? nullptr : &found->second;
      if (program != nullptr && self != nullptr && same_object(*program, *self)) {
        ++own;  // never run: staging adds this container's own
        continue;
      }
      kept.push_back(std::move(hook));
      json& judged = kept.back();
      if (!facts.hooks_observed) continue;
      const MountedObject* listed = nullptr;
      if (const std::string why = judge(judged, program, profile, facts, &listed); !why.empty()) {
        denials.push_back({"hooks", "refused by rule hooks: the spec runs " + written + " as a " + kind +
                                        " hook, which runc starts on the host, as root, outside the container and its limits, and " +
                                        why + "; remove the hook, or select a profile whose hooks.allowed lists its program and "
                                        "arguments"});
      } else if (written != listed->path) {
        judged["path"] = listed->path;
        rewritten.push_back(written + " -> " + listed->path);
      }
    }
    list = std::move(kept);
  }
  if (own != 0) {
    changes.push_back({"hooks", "removed the hook that runs hardened-runtime itself, left by an earlier create of this bundle "
                                "(staging adds the one this container needs)"});
  }
  if (!rewritten.empty()) {
    changes.push_back({"hooks", "runs each hook by the program file that was checked: " + list_names(rewritten)});
  }
  return {};
}

}  // namespace hardened::rules
