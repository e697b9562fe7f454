#pragma once
// What a mount source really is on this host (MountedObject), observed through an O_PATH file
// descriptor that is kept open: the object judged is the object staged for runc (stage.hpp), so a
// symlink or directory swapped after the check changes nothing.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hardened/harden.hpp"
#include "hardened/mountinfo.hpp"

namespace hardened {

// Directories a walk of controlled_component found no one but root can change, by real path. One
// observation walks the same ones for each bind source (/var/lib/docker/containers/<id>/...), and only
// root can make such a directory another's or open it to others. Not kept from one step of a create to
// the next: a mount made over a remembered directory meanwhile (logind's /run/user/<uid>) would go
// unseen, so staging walks afresh, as close to runc's mount as it can.
using RootOnlyDirs = std::set<std::string>;

// The O_PATH descriptors of the observed bind sources, by the source as written; closed with it.
class OpenSources {
 public:
  OpenSources() = default;
  OpenSources(const OpenSources&) = delete;
  OpenSources& operator=(const OpenSources&) = delete;
  ~OpenSources();
  std::map<std::string, int> fds;
};

// runc's view of a bind source: relative sources are joined to the bundle directory (and cleaned
// lexically, as Go's filepath.Join does); absolute ones are taken as written.
std::string source_as_runc_sees_it(const std::string& source, const std::string& bundle_dir);

// A directory the kernel reads to resolve `path` that someone other than root could change: owned by
// another uid, or writable by group or others (a sticky directory still lets its owner swap what is in
// it); "" when there is none. Links are followed, the last one too, and their targets' directories
// count; the last component itself does not. Missing components end the walk. `known`, when given, is
// read and filled: a directory in it is not read again.
std::string controlled_component(const std::string& path, RootOnlyDirs* known = nullptr);

// Identifies the object `fd` refers to (an O_PATH descriptor) against the mount table.
std::optional<MountedObject> identify(int fd, const std::vector<MountEntry>& table);

// Observes every bind source of `spec` (into facts.bind_objects, descriptors kept in the result) and
// the program of each hook (facts.hook_programs). `table`: this process's mount table.
std::shared_ptr<OpenSources> observe_mount_sources(const json& spec, const std::string& bundle_dir, HostFacts& facts,
                                                   const std::vector<MountEntry>& table);

// Identifies every path of `named` that exists (into facts.named_objects): the ones the rules will
// compare with (named_paths_to_observe, harden.hpp).
void observe_named_paths(const std::vector<std::string>& named, HostFacts& facts, const std::vector<MountEntry>& table);

}  // namespace hardened
