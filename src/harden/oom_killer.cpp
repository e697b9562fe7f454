// memory.disableOOMKiller (docker run --oom-kill-disable): a container at its memory limit then waits
// for memory instead of being killed, holding what it has while the host runs short. It is forced
// off, or the container is refused (resources.beyond_ceilings).
#include "limits.hpp"

namespace hardened::rules {

Result<void> oom_killer(json& resources, const std::string& path, const Profile& profile, Changes& changes, Findings& denials) {
  json* memory = member(resources, "memory");
  if (memory == nullptr) return {};
  const std::string memory_path = join_path(path, "memory");
  if (!memory->is_object()) return fail(memory_path + " must be an object");
  const json* value = member(*memory, "disableOOMKiller");
  if (value == nullptr) return {};
  auto disabled = as_bool(*value, memory_path + ".disableOOMKiller");
  if (!disabled) return tl::unexpected(disabled.error());
  if (!*disabled) return {};
  const std::string field = memory_path + ".disableOOMKiller";
  if (clamp_or_refuse(profile, "resources.oom_kill_disable",
                      field + " is true (docker run --oom-kill-disable): a container at its memory limit would hold its memory "
                              "instead of being killed",
                      field + " true -> false", "run it without --oom-kill-disable", changes, denials)) {
    (*memory)["disableOOMKiller"] = false;
  }
  return {};
}

}  // namespace hardened::rules
