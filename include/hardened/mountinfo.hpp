#pragma once
// The lines of /proc/<pid>/mountinfo: read at create to tell what holds each bind source
// (mount_facts.hpp) and by `audit` to see a live container's mounts (posture.hpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hardened {

struct MountEntry {
  int id = 0;
  std::string device;       // "major:minor" of the filesystem
  std::string root;         // the path within that filesystem that is mounted here
  std::string mount_point;  // where, as the reading process sees it
  std::string options;      // the mount's own options ("rw,nosuid,..."), not the superblock's
  std::string fs_type;      // "ext4", "proc", "tmpfs", ...
  std::string source;       // "/dev/sda1", "proc", ...
  std::string super_options;  // the filesystem's options: a cgroup v1 hierarchy's controllers ("rw,cpu,cpuacct")
};

// Every well-formed line, in order; paths unescaped (mountinfo writes a space as \040). A line without
// the fields is skipped.
std::vector<MountEntry> parse_mountinfo(std::string_view text);

// This process's own table (/proc/self/mountinfo), read once per create; empty when it cannot be read.
std::vector<MountEntry> read_own_mount_table();

// Whether the mount's own options hold `option` ("ro", "noexec").
bool has_mount_option(const MountEntry& entry, std::string_view option);

// Where the reader of `table` sees `path_in_fs` of filesystem `device`: through the mount of that
// filesystem whose root holds the path and is nearest the filesystem's own root (the original mount,
// not a later bind of part of it: a volume whose _data is a bind of /etc is named /etc). nullopt when
// no mount of the filesystem holds the path.
std::optional<std::string> visible_path_of(std::string_view device, const std::string& path_in_fs, const std::vector<MountEntry>& table);

}  // namespace hardened
