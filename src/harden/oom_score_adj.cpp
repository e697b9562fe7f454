// process.oomScoreAdj below 0 makes the kernel's OOM killer pick the host's processes before the
// container's: it is raised to 0, or the container is refused (resources.beyond_ceilings).
// Kubernetes gives its Guaranteed pods -997; with "clamp" they run at 0, as Burstable ones may.
#include "limits.hpp"

namespace hardened::rules {

Result<void> oom_score_adj(json& process, const Profile& profile, Changes& changes, Findings& denials) {
  const json* value = member(process, "oomScoreAdj");
  if (value == nullptr) return {};
  auto requested = as_int64_saturating(*value, "process.oomScoreAdj");
  if (!requested) return tl::unexpected(requested.error());
  if (*requested >= 0) return {};
  const std::string what = "process.oomScoreAdj " + std::to_string(*requested);
  if (clamp_or_refuse(profile, "resources.oom_score_adj",
                      what + " (docker run --oom-score-adj) shields the container from the kernel's OOM killer at the host's expense",
                      what + " -> 0", "leave it at 0 or above", changes, denials)) {
    process["oomScoreAdj"] = 0;
  }
  return {};
}

}  // namespace hardened::rules
