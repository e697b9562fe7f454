// cgroup limits: pids, memory (swap = memory, so no swap) and CPU (quota/period) at most the
// profile's ceilings; a stricter value the container asks for is kept.
#include "limits.hpp"

namespace hardened::rules {

Result<std::optional<std::int64_t>> Limit::read() const {
  const json* value = member(object, field);
  if (value == nullptr) return std::optional<std::int64_t>();
  auto parsed = as_int64_saturating(*value, path);
  if (!parsed) return tl::unexpected(parsed.error());
  return std::optional<std::int64_t>(*parsed);
}

void Limit::write(std::optional<std::int64_t> before, std::int64_t value, Changes& changes, const char* rule) const {
  if (before == value) return;
  object[field] = value;
  changes.push_back({rule, path + " " + (before ? std::to_string(*before) : std::string("unset")) + " -> " + std::to_string(value)});
}

namespace {

// With resources.beyond_ceilings "refuse", a typed limit asked above the ceiling refuses the container
// instead of being lowered: under Kubernetes the pod then fails with an event naming the limit, rather
// than running at a limit kubelet and the scheduler do not know. No limit asked still gets the ceiling.
void refuse_above(const Profile& profile, std::optional<std::int64_t> requested, std::int64_t ceiling, const std::string& field,
                  const char* ceiling_key, const char* kubernetes, Findings& denials) {
  if (profile.beyond_ceilings != Profile::Excess::refuse || !requested || *requested <= ceiling) return;
  denials.push_back({"resources.limits", "refused by rule resources.limits: " + field + " " + std::to_string(*requested) +
                                             " is above the profile's ceiling " + std::to_string(ceiling) + " (" + ceiling_key +
                                             "; " + kubernetes + "); ask for " + std::to_string(ceiling) +
                                             " or less, or select a profile whose resources.beyond_ceilings is \"clamp\""});
}

}  // namespace

Result<void> resources(json& spec, const Profile& profile, Changes& changes, Findings& denials) {
  auto linux_section = object_member(spec, "linux", "");
  if (!linux_section) return tl::unexpected(linux_section.error());
  auto res = object_member(**linux_section, "resources", "linux");
  if (!res) return tl::unexpected(res.error());
  {
    auto pids = object_member(**res, "pids", "linux.resources");
    if (!pids) return tl::unexpected(pids.error());
    const Limit limit{**pids, "limit", "linux.resources.pids.limit"};
    auto requested = limit.read();
    if (!requested) return tl::unexpected(requested.error());
    refuse_above(profile, *requested, profile.pids_max, limit.path, "resources.pids_max", "kubelet's podPidsLimit", denials);
    limit.write(*requested, meet_required(*requested, profile.pids_max), changes, "resources");
  }
  {
    auto memory = object_member(**res, "memory", "linux.resources");
    if (!memory) return tl::unexpected(memory.error());
    const Limit limit{**memory, "limit", "linux.resources.memory.limit"};
    const Limit swap{**memory, "swap", "linux.resources.memory.swap"};
    auto requested = read_pair(limit, swap);
    if (!requested) return tl::unexpected(requested.error());
    refuse_above(profile, requested->first, profile.memory_max_bytes, limit.path, "resources.memory_max_bytes",
                 "docker run --memory, Kubernetes resources.limits.memory", denials);
    const std::int64_t value = meet_required(requested->first, profile.memory_max_bytes);
    limit.write(requested->first, value, changes, "resources");
    swap.write(requested->second, value, changes, "resources");  // memory+swap = memory: no swap
  }
  {
    auto cpu = object_member(**res, "cpu", "linux.resources");
    if (!cpu) return tl::unexpected(cpu.error());
    const Limit period_limit{**cpu, "period", "linux.resources.cpu.period"};
    const Limit quota_limit{**cpu, "quota", "linux.resources.cpu.quota"};
    auto requested = read_pair(period_limit, quota_limit);
    if (!requested) return tl::unexpected(requested.error());
    const auto& [requested_period, requested_quota] = *requested;
    const std::int64_t period = requested_period && *requested_period > 0 ? *requested_period : profile.cpu_period_us;
    refuse_above(profile, requested_quota, profile.cpu_quota_max(period), quota_limit.path, "resources.cpus_max",
                 "docker run --cpus, Kubernetes resources.limits.cpu", denials);
    period_limit.write(requested_period, period, changes, "resources");
    quota_limit.write(requested_quota, meet_required(requested_quota, profile.cpu_quota_max(period)), changes, "resources");
  }
  return {};
}

}  // namespace hardened::rules
