#pragma once
// Where runc really mounts: runc 1.1 joins each mounts[].destination to the rootfs with securejoin,
// which follows symlinks but keeps them inside the rootfs, and it does so after the mounts before it
// are made. So a destination names the place the image's symlinks (x -> /dev/null), and the symlinks in
// the sources of earlier binds, lead to; that place is what the rules judge.
#include <map>
#include <string>

#include "hardened/json_fields.hpp"

namespace hardened {

// Each destination of `spec` as written -> the path in the container runc mounts on, for those where
// that differs from the written path (lexically cleaned). The rootfs and relative bind sources are
// the bundle's (`bundle_dir`); `resolved_sources` maps a bind source as written to its real path (HostFacts).
// Below an earlier mount that is not a bind (tmpfs, proc, ...) the path is taken as written: a fresh
// tmpfs holds no symlink yet, and runc itself checks destinations in /proc.
std::map<std::string, std::string> resolve_mount_destinations(const json& spec, const std::string& bundle_dir,
                                                              const std::map<std::string, std::string>& resolved_sources);

// The host path of the spec's root filesystem: root.path, relative to `bundle_dir` unless absolute.
std::string rootfs_of(const json& spec, const std::string& bundle_dir);

}  // namespace hardened
