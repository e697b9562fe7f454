#include "hardened/flag_policy.hpp"

#include <algorithm>

namespace hardened {
namespace {

constexpr const char* kRule = "runtime_flags";

void refuse(Findings& denials, const std::string& what) {
  denials.push_back({kRule, std::string("refused by rule ") + kRule + ": " + what});
}

std::string shown(const FlagUse& use) { return "--" + use.name + (use.value ? " " + *use.value : ""); }

// "../x", "cpu:a/../../b": runc joins the path to the container's cgroup and checks only that the
// result starts with the same text (so "../<id>x" reaches a sibling); crun before 1.29 checked nothing.
bool leaves_the_cgroup(const std::string& value) {
  std::size_t start = 0;
  for (std::size_t end = 0; end <= value.size(); ++end) {
    if (end < value.size() && value[end] != '/' && value[end] != ':') continue;
    if (value.compare(start, end - start, "..") == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

Findings refuse_runtime_flags(const Invocation& inv) {
  Findings denials;
  const std::string verb(command_name(inv.command));
  if (inv.command == Command::create || inv.command == Command::run) {
    if (const FlagUse* config = inv.flag("config"); config != nullptr && config->value) {
      const std::string bundle = inv.bundle().empty() ? "." : inv.bundle();
      const std::string& file = *config->value;
      // crun reads any other name than "config.json" from the directory it was started in, before it
      // enters the bundle: "./config.json" is then not the bundle's file.
      if (file != "config.json" && file != bundle + "/config.json") {
        refuse(denials, "crun " + verb + " --config " + file + " reads the spec from another file than the bundle's config.json, "
                        "which is the one hardened-runtime hardens; leave --config out, or copy the file to " + bundle + "/config.json");
      }
    }
    if (inv.cgroup_manager == "disabled") {
      refuse(denials, "crun --cgroup-manager=disabled runs the container without a cgroup, so without the profile's pids, memory "
                      "and CPU limits; use --cgroup-manager=cgroupfs or systemd");
    }
  }
  if (inv.command == Command::exec) {
    for (const FlagUse& use : inv.flags) {
      if (use.name == "apparmor" || use.name == "process-label") {
        refuse(denials, "exec " + shown(use) + " sets the " + (use.name == "apparmor" ? "AppArmor profile" : "SELinux label") +
                            " of the new process, which hardened-runtime does not judge; leave it out and the process runs "
                            "confined as the container is");
      } else if (use.name == "cgroup" && use.value && leaves_the_cgroup(*use.value)) {
        refuse(denials, "exec " + shown(use) + " names a cgroup outside the container's own (a \"..\" component), where the "
                            "profile's limits do not hold; name a sub-cgroup of the container without \"..\"");
      }
    }
  }
  return denials;
}

}  // namespace hardened
