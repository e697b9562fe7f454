#include "hardened/docker_seccomp.hpp"

#include <algorithm>
#include <charconv>

namespace hardened {
namespace {

// The host's architecture in Docker's two spellings: Go's (rules' arches) and libseccomp's (archMap).
#if defined(__x86_64__)
constexpr std::string_view kGoArch = "amd64";
constexpr std::string_view kSeccompArch = "SCMP_ARCH_X86_64";
#elif defined(__aarch64__)
constexpr std::string_view kGoArch = "arm64";
constexpr std::string_view kSeccompArch = "SCMP_ARCH_AARCH64";
#elif defined(__i386__)
constexpr std::string_view kGoArch = "386";
constexpr std::string_view kSeccompArch = "SCMP_ARCH_X86";
#else
#error "add this architecture's Go and libseccomp names"
#endif

bool contains(const json* list, std::string_view value) {
  return list != nullptr && list->is_array() &&
         std::any_of(list->begin(), list->end(), [&](const json& item) { return item.is_string() && item.get_ref<const std::string&>() == value; });
}

bool has(const std::vector<std::string>& caps, const json& cap) {
  return cap.is_string() && std::find(caps.begin(), caps.end(), cap.get_ref<const std::string&>()) != caps.end();
}

std::optional<KernelVersion> min_kernel(const json& condition) {
  const json* value = member(condition, "minKernel");
  return value != nullptr && value->is_string() ? parse_kernel_version(value->get_ref<const std::string&>()) : std::nullopt;
}

bool excluded(const json& rule, const std::vector<std::string>& caps, KernelVersion kernel) {
  const json* ex = member(rule, "excludes");
  if (ex == nullptr || !ex->is_object()) return false;
  if (contains(member(*ex, "arches"), kGoArch)) return true;
  if (const json* ex_caps = member(*ex, "caps"); ex_caps != nullptr && ex_caps->is_array()) {
    if (std::any_of(ex_caps->begin(), ex_caps->end(), [&](const json& cap) { return has(caps, cap); })) return true;
  }
  const auto min = min_kernel(*ex);
  return min && kernel != KernelVersion{} && kernel >= *min;
}

bool included(const json& rule, const std::vector<std::string>& caps, KernelVersion kernel) {
  const json* in = member(rule, "includes");
  if (in == nullptr || !in->is_object()) return true;
  if (const json* arches = member(*in, "arches"); arches != nullptr && !arches->empty() && !contains(arches, kGoArch)) return false;
  if (const json* in_caps = member(*in, "caps"); in_caps != nullptr && in_caps->is_array()) {
    if (!std::all_of(in_caps->begin(), in_caps->end(), [&](const json& cap) { return has(caps, cap); })) return false;
  }
  const auto min = min_kernel(*in);
  return !min || (kernel != KernelVersion{} && kernel >= *min);
}

}  // namespace

std::optional<KernelVersion> parse_kernel_version(std::string_view text) {
  KernelVersion v;
  const char* end = text.data() + text.size();
  auto major = std::from_chars(text.data(), end, v.major);
  if (major.ec != std::errc() || major.ptr == end || *major.ptr != '.') return std::nullopt;
  auto minor = std::from_chars(major.ptr + 1, end, v.minor);
  if (minor.ec != std::errc()) return std::nullopt;
  return v;
}

bool is_docker_seccomp(const json& seccomp) {
  if (!seccomp.is_object()) return false;
  if (member(seccomp, "archMap") != nullptr) return true;
  const json* syscalls = member(seccomp, "syscalls");
  if (syscalls == nullptr || !syscalls->is_array()) return false;
  return std::any_of(syscalls->begin(), syscalls->end(), [](const json& rule) {
    return rule.is_object() && (rule.contains("includes") || rule.contains("excludes") || rule.contains("name"));
  });
}

json resolve_docker_seccomp(json profile, const std::vector<std::string>& bounding_caps, KernelVersion kernel) {
  json out = json::object();
  for (const char* key : {"defaultAction", "defaultErrnoRet", "flags"}) {
    if (json* value = member(profile, key)) out[key] = std::move(*value);
  }
  if (const json* arch_map = member(profile, "archMap"); arch_map != nullptr && arch_map->is_array()) {
    json arches = json::array();
    for (const auto& entry : *arch_map) {
      if (entry.value("architecture", "") != kSeccompArch) continue;
      arches.push_back(entry["architecture"]);
      if (const json* subs = member(entry, "subArchitectures")) {
        for (const auto& sub : *subs) arches.push_back(sub);
      }
    }
    out["architectures"] = std::move(arches);
  } else if (json* arches = member(profile, "architectures")) {
    out["architectures"] = std::move(*arches);
  }
  json syscalls = json::array();
  if (json* rules = member(profile, "syscalls"); rules != nullptr && rules->is_array()) {
    for (auto& rule : *rules) {
      if (excluded(rule, bounding_caps, kernel) || !included(rule, bounding_caps, kernel)) continue;
      json call = json::object();
      if (json* names = member(rule, "names")) call["names"] = std::move(*names);
      else if (json* name = member(rule, "name")) call["names"] = json::array({std::move(*name)});
      for (const char* key : {"action", "errnoRet", "args"}) {
        if (json* value = member(rule, key); value != nullptr && !(value->is_array() && value->empty())) call[key] = std::move(*value);
      }
      syscalls.push_back(std::move(call));
    }
  }
  out["syscalls"] = std::move(syscalls);
  return out;
}

void remove_syscalls(json& seccomp, const std::vector<std::string>& names) {
  json* syscalls = member(seccomp, "syscalls");
  if (names.empty() || syscalls == nullptr || !syscalls->is_array()) return;
  json kept = json::array();
  for (auto& rule : *syscalls) {
    const std::string action = rule.value("action", "");
    if ((action == "SCMP_ACT_ALLOW" || action == "SCMP_ACT_LOG") && rule.contains("names") && rule["names"].is_array()) {
      json& list = rule["names"];
      list.erase(std::remove_if(list.begin(), list.end(),
                                [&](const json& n) { return n.is_string() && std::find(names.begin(), names.end(), n.get_ref<const std::string&>()) != names.end(); }),
                 list.end());
      if (list.empty()) continue;
    }
    kept.push_back(std::move(rule));
  }
  *syscalls = std::move(kept);
}

}  // namespace hardened
