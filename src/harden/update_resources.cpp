// runc update: the new limits are clamped to the profile's ceilings before runc sees them. runc reads
// 0 as "leave unchanged", so 0 stays; -1 ("unlimited") and values above a ceiling become the ceiling.
// cpu.burst (runc 1.2+) becomes 0. Swap always equals memory; a swap change without a memory change
// is dropped, since it could only add swap above the current memory limit. `unified` and memory.disableOOMKiller are judged as at
// create (unified.cpp, oom_killer.cpp): clamped, or denials that refuse the update.
#include "hardened/harden.hpp"
#include "limits.hpp"

namespace hardened {
namespace {

std::optional<std::int64_t> meet_on_update(std::optional<std::int64_t> requested, std::int64_t ceiling) {
  if (!requested || *requested == 0) return requested;
  return *requested < 0 || *requested > ceiling ? ceiling : *requested;
}

bool set(const std::optional<std::int64_t>& value) { return value && *value != 0; }

}  // namespace

Result<Hardened> clamp_update_resources(json resources, const Profile& profile, const CurrentCpu& current) {
  using rules::Limit;
  using rules::object_member;
  if (!resources.is_object()) return fail("the update resources must be a JSON object");
  Changes changes;

  if (member(resources, "pids") != nullptr) {
    auto pids = object_member(resources, "pids", "");
    if (!pids) return tl::unexpected(pids.error());
    const Limit limit{**pids, "limit", "pids.limit"};
    auto requested = limit.read();
    if (!requested) return tl::unexpected(requested.error());
    if (auto v = meet_on_update(*requested, profile.pids_max)) limit.write(*requested, *v, changes, "update");
  }

  if (member(resources, "memory") != nullptr) {
    auto memory = object_member(resources, "memory", "");
    if (!memory) return tl::unexpected(memory.error());
    const Limit limit{**memory, "limit", "memory.limit"};
    const Limit swap{**memory, "swap", "memory.swap"};
    auto requested = rules::read_pair(limit, swap);
    if (!requested) return tl::unexpected(requested.error());
    const auto& [requested_limit, requested_swap] = *requested;
    const auto value = meet_on_update(requested_limit, profile.memory_max_bytes);
    if (set(value)) {
      limit.write(requested_limit, *value, changes, "update");
      swap.write(requested_swap, *value, changes, "update");
    } else if (set(requested_swap)) {
      swap.write(requested_swap, 0, changes, "update");
    }
  }

  if (member(resources, "cpu") != nullptr) {
    auto cpu = object_member(resources, "cpu", "");
    if (!cpu) return tl::unexpected(cpu.error());
    const Limit period{**cpu, "period", "cpu.period"};
    const Limit quota{**cpu, "quota", "cpu.quota"};
    auto requested = rules::read_pair(period, quota);
    if (!requested) return tl::unexpected(requested.error());
    const auto& [requested_period, requested_quota] = *requested;
    // Either one alone changes the CPU share (quota / period), so both are written out together: the one
    // not asked for is the container's current value (runc would otherwise leave a v1 quota as it was
    // under a new period, or write "max" to a v2 cpu.max), and the pair meets the ceiling.
    if (set(requested_period) || set(requested_quota)) {
      const auto positive = [](const std::optional<std::int64_t>& v) { return v && *v > 0; };
      const std::int64_t p = positive(requested_period) ? *requested_period
                             : positive(current.period) ? *current.period
                                                        : profile.cpu_period_us;
      const std::optional<std::int64_t> q = set(requested_quota) ? requested_quota : current.quota;
      period.write(requested_period, p, changes, "update");
      quota.write(requested_quota, rules::meet_required(q, profile.cpu_quota_max(p)), changes, "update");
    }
    // runc 1.2's cpu.burst (update --cpu-burst) lets the container run past its quota on time it left
    // unused: the profile's CPU ceiling leaves none, as for cpu.max.burst (unified.cpp).
    const Limit burst{**cpu, "burst", "cpu.burst"};
    auto requested_burst = burst.read();
    if (!requested_burst) return tl::unexpected(requested_burst.error());
    if (set(*requested_burst)) burst.write(*requested_burst, 0, changes, "update");
  }
  Findings denials;
  for (auto rule : {rules::unified, rules::oom_killer}) {
    if (auto ok = rule(resources, "", profile, changes, denials); !ok) return tl::unexpected(ok.error());
  }
  return Hardened{std::move(resources), std::move(changes), std::move(denials), {}};
}

}  // namespace hardened
