#pragma once
// Looks at the host for what the pure rules need to know about a spec (see HostFacts).
#include <map>
#include <string>
#include <string_view>

#include "hardened/harden.hpp"

namespace hardened {

// Every bind mount source of `spec` resolved as realpath(3) would (sources that do not resolve are
// left out: runc fails on them itself); the namespace paths that are the host's own (same inode as
// /proc/self/ns/<type>); the running kernel's version (a Docker-format seccomp profile's minKernel, and
// whether runc can make a bind's flags recursive); when the spec names an AppArmor profile, the profiles the host has loaded, as
// securityfs lists them (/sys/kernel/security/apparmor/profiles, a line "NAME (MODE)" each).
HostFacts observe_host(const json& spec);

// The text of that list -> each profile's name -> its mode. Pure.
std::map<std::string, std::string> parse_apparmor_profiles(std::string_view text);

}  // namespace hardened
