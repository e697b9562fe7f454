// W^X: a mount the container can write to must not run what was written there. The README promises no
// code the image did not bring (the reason memfd_create is denied); a writable tmpfs, bind or volume
// with exec would undo that (docker run --tmpfs /tmp:exec, a named volume on /data, --tmpfs
// /dev/shm:exec). So every writable mount gets noexec,nosuid,nodev, unless the profile lists its
// destination in mounts.exec_allowed (then only nosuid,nodev).
//
// runc 1.1 and crun read mounts[].options in order, each flag word setting or clearing its bit, so the
// last of "exec"/"noexec" wins: the opposite words ("exec", "suid", "dev") are removed, not outvoted,
// and so are their recursive forms ("rexec", "rsuid", "rdev"), which runc applies after the mount.
// A bind brings the host's mounts below its source, each with its own flags: where the host can, the
// words reach them too (rnoexec, rnosuid, rnodev; rules.hpp: recursive_flags).
// A read-only bind of host files that another bind of the spec mounts writable (the same directory,
// or one inside the other, judged by filesystem and path within it) is writable too: a program
// written through /w would run through /x. So is one whose source a user other than root may write
// (another container's volume, /tmp): what that writer put there would run here.
// Which mounts: any writable one whose type can hold files the container writes (tmpfs, bind, and any
// other filesystem type such as ext4 or overlay); not the kernel's own (proc, sysfs, cgroup, mqueue,
// devpts), whose options Docker sets and which must keep their device nodes (devpts). /dev itself
// holds the container's device nodes, so it keeps "dev".
#include <sys/stat.h>

#include <algorithm>

#include "hardened/lexical_path.hpp"
#include "rules.hpp"

namespace hardened::rules {
namespace {

bool is_word(const json& value, std::string_view word) {
  return value.is_string() && value.get_ref<const std::string&>() == word;
}

bool has(const json& options, std::string_view word) {
  return std::any_of(options.begin(), options.end(), [&](const json& o) { return is_word(o, word); });
}

bool kernel_type(const json& mount) {
  const json* type = member(mount, "type");
  if (type == nullptr || !type->is_string()) return false;
  static constexpr std::string_view kKernel[]{"proc", "sysfs", "cgroup", "cgroup2", "mqueue", "devpts"};
  const std::string& t = type->get_ref<const std::string&>();
  return !is_bind(mount) && std::find(std::begin(kKernel), std::end(kKernel), t) != std::end(kKernel);
}

// A bind's source as what it is: its filesystem and its path within it (what the edge observed), or,
// unobserved, the path as written.
std::pair<std::string, std::string> source_of(const json& mount, const HostFacts& facts) {
  const json* source = member(mount, "source");
  if (source == nullptr || !source->is_string()) return {};
  const std::string& written = source->get_ref<const std::string&>();
  if (const auto found = facts.bind_objects.find(written); found != facts.bind_objects.end() && !found->second.fs_device.empty()) {
    return {found->second.fs_device, found->second.path_in_fs};
  }
  return {"", lexical_path(written)};
}

bool within(const std::string& inner, const std::string& outer) {
  return inner == outer || outer == "/" || (inner.starts_with(outer) && inner[outer.size()] == '/');
}

// The sources of the writable binds: a read-only bind of the same tree, or of a part of it or a tree
// that holds it, runs what was written through the other, so it is writable for W^X.
std::vector<std::pair<std::string, std::string>> writable_sources(const json& mounts, const HostFacts& facts) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& mount : mounts) {
    if (mount.is_object() && is_bind(mount) && !read_only(mount)) {
      if (auto source = source_of(mount, facts); !source.second.empty()) out.push_back(std::move(source));
    }
  }
  return out;
}

bool written_elsewhere(const json& mount, const std::vector<std::pair<std::string, std::string>>& writable, const HostFacts& facts) {
  if (!is_bind(mount)) return false;
  const auto source = source_of(mount, facts);  // (filesystem, path in it); no structured binding: clang 14 cannot capture one
  if (source.second.empty()) return false;
  return std::any_of(writable.begin(), writable.end(), [&](const auto& w) {
    return w.first == source.first && (within(source.second, w.second) || within(w.second, source.second));
  });
}

// Host files that someone other than root may write (owned by another uid, or group- or
// world-writable: a volume another container writes to, /tmp): bound read-only here, they would still
// run what that other writer put there. Judged on the source itself, as the edge observed it.
bool writable_by_others(const json& mount, const HostFacts& facts) {
  const json* source = member(mount, "source");
  if (!is_bind(mount) || source == nullptr || !source->is_string()) return false;
  const auto found = facts.bind_objects.find(source->get_ref<const std::string&>());
  return found != facts.bind_objects.end() && (found->second.uid != 0 || (found->second.mode & (S_IWGRP | S_IWOTH)) != 0);
}

}  // namespace

Result<void> writable_mounts(json& spec, const Profile& profile, const HostFacts& facts, Changes& changes, Findings& denials) {
  json* mounts = member(spec, "mounts");
  if (mounts == nullptr) return {};
  if (!mounts->is_array()) return fail("mounts must be a list");
  std::vector<std::string> hardened, exec_removed, aliases, shared;
  bool binds_below = false;
  const auto writable = writable_sources(*mounts, facts);
  for (std::size_t i = 0; i < mounts->size(); ++i) {
    json& mount = (*mounts)[i];
    if (!mount.is_object() || kernel_type(mount)) continue;
    const json* dest_value = member(mount, "destination");
    if (dest_value == nullptr || !dest_value->is_string()) return fail("mounts[" + std::to_string(i) + "].destination must be a string");
    const std::string dest = lexical_path(dest_value->get<std::string>());
    json* options = member(mount, "options");
    if (options != nullptr && !options->is_array()) return fail("mounts[" + std::to_string(i) + "].options must be a list");
    if (read_only(mount)) {
      if (written_elsewhere(mount, writable, facts)) {
        aliases.push_back(dest);
      } else if (writable_by_others(mount, facts)) {
        shared.push_back(dest);
      } else {
        continue;
      }
    }
    if (options == nullptr) {
      mount["options"] = json::array();
      options = &mount["options"];
    }
    const bool exec_allowed = std::find(profile.exec_allowed.begin(), profile.exec_allowed.end(), dest) != profile.exec_allowed.end() ||
                              std::any_of(profile.exec_allowed.begin(), profile.exec_allowed.end(),
                                          [&](const std::string& d) { return lexical_path(d) == dest; });
    if (!exec_allowed && (has(*options, "exec") || has(*options, "rexec"))) {
      if (profile.writable_exec == Profile::WritableExec::refuse) {
        denials.push_back({"mounts.writable_exec",
                           "refused by rule mounts.writable_exec: the container asks for a writable mount on " + dest +
                               " that may run programs (\"exec\" in mounts[].options; docker run --tmpfs " + dest +
                               ":exec or a volume there), so code the image did not bring could run; drop \"exec\" (docker: "
                               "--tmpfs " + dest + " without :exec), mount it read-only, or select a profile that lists " + dest +
                               " in mounts.exec_allowed"});
        continue;
      }
      remove_opposites(*options, "noexec");  // "exec" and "rexec"
      exec_removed.push_back(dest);
    }
    const bool recursive = recursive_flags(mount, facts);  // a bind's: the host's mounts below it too
    bool added = false;
    std::vector<std::string_view> words{"nosuid"};
    if (dest != "/dev") words.push_back("nodev");
    if (!exec_allowed) words.push_back("noexec");
    for (std::string_view word : words) {
      // The opposite word ("suid", "dev", "exec") would win if it came later, and its recursive form
      // ("rsuid", "rdev", "rexec") wherever it stands: both go.
      added |= remove_opposites(*options, word);
      added |= ensure_option(*options, word, recursive);
    }
    if (added) hardened.push_back(dest);
    binds_below |= added && recursive;
  }
  if (!exec_removed.empty()) {
    changes.push_back({"mounts.writable_exec", "removed \"exec\" from the writable mount" + std::string(exec_removed.size() == 1 ? "" : "s") +
                                                   " on " + list_names(exec_removed) + " (mounts.writable_exec is \"noexec\")"});
  }
  for (const auto& [treated, why] : {std::pair{&aliases, "the same host files are mounted writable too"},
                                     std::pair{&shared, "a user other than root may write the host files there"}}) {
    if (treated->empty()) continue;
    changes.push_back({"mounts.writable_exec", "treated the read-only bind" + std::string(treated->size() == 1 ? "" : "s") + " on " +
                                                   list_names(*treated) + " as writable: " + why});
  }
  if (!hardened.empty()) {
    changes.push_back({"mounts.writable_exec", "made the writable mount" + std::string(hardened.size() == 1 ? "" : "s") + " on " +
                                                   list_names(hardened) + " noexec,nosuid,nodev (unless in mounts.exec_allowed; /dev keeps dev)" +
                                                   (binds_below ? ", a bind's with the host's mounts below it" : "")});
  }
  return {};
}

}  // namespace hardened::rules
