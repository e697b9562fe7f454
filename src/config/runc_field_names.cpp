#include "hardened/runc_field_names.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hardened {
namespace {

// Every JSON field name of the OCI runtime spec's Go types (opencontainers/runtime-spec specs-go,
// every release to v1.3 and main), by their folded form: a runc built against any of them reads these.
// A name of another struct or platform folds to no key runc reads there, so refusing it too costs a
// real client nothing.
constexpr std::array<std::string_view, 230> kFieldNames = {
    "access", "action", "additionalGids", "affinity", "allow", "allowedAddress", "allowUnqualifiedDNSQuery",
    "ambient", "anet", "annotations", "apparmorProfile", "architectures", "args", "blockIO", "bounding", "bps",
    "burst", "capabilities", "cappedCPU", "cappedMemory", "cgroupsPath", "checkBeforeUpdate", "chflags", "class",
    "classID", "closID", "commandLine", "configureAllowedAddress", "consoleSize", "containerID", "count", "cpu",
    "cpus", "createContainer", "createRuntime", "credentialSpec", "cwd", "deadline", "defaultAction",
    "defaultErrnoRet", "defrouter", "destination", "devices", "deviceTree", "disableOOMKiller", "DNSSearchList",
    "domain", "domainname", "dtdevs", "effective", "enableCMT", "enableMBM", "enableMonitoring", "endpointList",
    "enforceStatfs", "env", "errnoRet", "execCPUAffinity", "fileMode", "final", "firstGFN", "firstMFN", "flags",
    "format", "freebsd", "gid", "gidMappings", "group", "hard", "hcaHandles", "hcaObjects", "height", "hooks",
    "host", "hostID", "hostname", "hugepageLimits", "hwconfig", "hyperv", "hypervisor", "id", "idle", "idType",
    "ignoreFlushesDuringBoot", "image", "index", "inheritable", "initial", "initrd", "intelRdt", "interface",
    "iomems", "ioPriority", "iops", "ip4", "ip4Addr", "ip6", "ip6Addr", "irqs", "jail", "kernel", "kernelTCP",
    "l3CacheSchema", "layerFolders", "leafWeight", "limit", "limitpriv", "linkname", "linkProtection", "linux",
    "listenerMetadata", "listenerPath", "lowerLink", "macAddress", "major", "mask", "maskedPaths", "maximum",
    "maxShmMemory", "memBwSchema", "memory", "memoryPolicy", "mems", "milestone", "minor", "mlock", "mode", "mount",
    "mountLabel", "mounts", "name", "names", "namespaces", "nanosecs", "ncpus", "netDevices", "network",
    "networkNamespace", "networkSharedContainerName", "nice", "nodes", "noNewPrivileges", "nrMFNs", "ociVersion",
    "oomScoreAdj", "op", "options", "pageSize", "parameters", "parent", "path", "period", "permitted", "personality",
    "physical", "pids", "policy", "poststart", "poststop", "prestart", "priorities", "priority", "process", "quota",
    "quotas", "rate", "rawSockets", "rdma", "readonly", "readonlyPaths", "realtimePeriod", "realtimeRuntime",
    "reservation", "reservedPorts", "resources", "rlimits", "root", "rootfsPropagation", "runtime", "sandboxSize",
    "scheduler", "schemata", "seccomp", "secs", "selinuxLabel", "servicing", "setHostname", "shares", "size",
    "socketAf", "soft", "solaris", "source", "startContainer", "storage", "suser", "swap", "swappiness", "syscalls",
    "sysctl", "sysvmsg", "sysvsem", "sysvshm", "terminal", "throttleReadBpsDevice", "throttleReadIOPSDevice",
    "throttleWriteBpsDevice", "throttleWriteIOPSDevice", "timeOffsets", "timeout", "type", "uid", "uidMappings",
    "umask", "unified", "useHierarchy", "user", "username", "utilityVMPath", "value", "valueTwo", "vcpus", "vm",
    "vnet", "vnetInterfaces", "weight", "weightDevice", "width", "windows", "zos"};

constexpr char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Compares a field name with a folded key (or another field name) as Go's folding sees them.
constexpr int compare_folded(std::string_view name, std::string_view key) {
  for (std::size_t i = 0; i < name.size() && i < key.size(); ++i) {
    const auto a = static_cast<unsigned char>(upper(name[i]));
    const auto b = static_cast<unsigned char>(upper(key[i]));
    if (a != b) return a < b ? -1 : 1;
  }
  return name.size() == key.size() ? 0 : (name.size() < key.size() ? -1 : 1);
}
static_assert(std::is_sorted(kFieldNames.begin(), kFieldNames.end(),
                             [](std::string_view a, std::string_view b) { return compare_folded(a, b) < 0; }));

// The field name `key` folds to, if any. Go's folding (encoding/json fold.go): ASCII letters to upper
// case, and the only two other runes whose fold class holds an ASCII letter, U+017F to 'S' and U+212A
// to 'K'. Any other byte stays, so a key with another non-ASCII letter folds to no (ASCII) field name.
std::optional<std::string_view> field_named(std::string_view key) {
  std::array<char, 32> buffer;  // longer than any field name
  std::size_t n = 0;
  for (std::size_t i = 0; i < key.size(); ++i, ++n) {
    if (n == buffer.size()) return std::nullopt;
    if (key.substr(i, 2) == "\xC5\xBF") {
      buffer[n] = 'S';
      i += 1;
    } else if (key.substr(i, 3) == "\xE2\x84\xAA") {
      buffer[n] = 'K';
      i += 2;
    } else {
      buffer[n] = key[i];
    }
  }
  const std::string_view f(buffer.data(), n);
  auto it = std::lower_bound(kFieldNames.begin(), kFieldNames.end(), f,
                             [](std::string_view name, std::string_view k) { return compare_folded(name, k) < 0; });
  if (it == kFieldNames.end() || compare_folded(*it, f) != 0) return std::nullopt;
  return *it;
}

// Where the document's maps are, as paths from its root.
std::vector<std::vector<std::string_view>> maps_of(RuncDocument kind) {
  switch (kind) {
    case RuncDocument::spec:
      return {{"annotations"}, {"linux", "sysctl"}, {"linux", "netDevices"}, {"linux", "timeOffsets"},
              {"linux", "resources", "unified"}, {"linux", "resources", "rdma"}};
    case RuncDocument::resources: return {{"unified"}, {"rdma"}};
    case RuncDocument::process: return {};
  }
  return {};
}

struct Walk {
  std::vector<std::vector<std::string_view>> maps;
  std::vector<std::string_view> path;  // keys from the root; array elements add none

  std::optional<std::string> visit(const json& value) {
    if (value.is_array()) {
      for (const auto& element : value) {
        if (auto found = visit(element)) return found;
      }
      return std::nullopt;
    }
    if (!value.is_object()) return std::nullopt;
    const bool is_map = std::find(maps.begin(), maps.end(), path) != maps.end();
    for (const auto& [key, member_value] : value.items()) {
      if (!is_map) {
        if (auto field = field_named(key); field && *field != key) return describe(key, *field);
      }
      path.push_back(key);
      auto found = visit(member_value);
      path.pop_back();
      if (found) return found;
    }
    return std::nullopt;
  }

  std::string describe(std::string_view key, std::string_view field) const {
    std::string prefix;
    for (std::string_view part : path) prefix += std::string(part) + ".";
    return "'" + prefix + std::string(key) + "', which runc reads as '" + prefix + std::string(field) + "'";
  }
};

}  // namespace

Result<void> check_field_spelling(const json& document, RuncDocument kind, std::string_view what) {
  Walk walk{maps_of(kind), {}};
  auto found = walk.visit(document);
  if (!found) return {};
  return fail(std::string(what) + " has the key " + *found +
              ": runc's JSON decoder ignores the case of keys, the rules read a field only by its own name; "
              "write it as the OCI runtime spec spells it");
}

}  // namespace hardened
