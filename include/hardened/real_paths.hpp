#pragma once
// realpath(3) of many paths, resolving each shared prefix once. realpath reads every component of a path as
// a possible link; a create resolves ~20 paths that share a handful of directories (Docker's
// resolv.conf, hostname and hosts; /run and /var/run for each engine socket), so most of those reads
// repeat. For paths only root can change: a path a user controls is identified through a descriptor
// (mount_facts.cpp), since it may change between two reads.
#include <sys/stat.h>

#include <map>
#include <optional>
#include <string>

namespace hardened {

class RealPaths {
 public:
  struct Found {
    std::string path;                    // what realpath(3) returns
    std::optional<struct statx> status;  // statx of that path (its last link not followed), when the walk read it
  };

  // What realpath(3) returns for `path`, or nothing where realpath fails (a component missing).
  std::optional<Found> resolve(const std::string& path);

 private:
  std::map<std::string, std::optional<Found>> steps_;  // real directory + "/" + name -> what it is: "/var/run" -> "/run"
};

}  // namespace hardened
