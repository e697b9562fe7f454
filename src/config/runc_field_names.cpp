#include "hardened/runc_field_names.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hardened {
namespace {

// Every JSON field name of the OCI runtime spec's Go types (opencontainers/runtime-spec specs-go,
// every release to v1.3 and main): a runc built against any of them reads these. No two fold alike.
// The list is flat: a key that is another struct's or platform's field is renamed too (runc ignores it
// either way), and a real client writes no such key.
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

// Whether a field name and a folded key are one name to Go.
constexpr bool same_folded(std::string_view name, std::string_view key) {
  if (name.size() != key.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (upper(name[i]) != upper(key[i])) return false;
  }
  return true;
}

// FNV-1a over the upper-cased bytes: a name and every spelling Go folds to it hash alike.
constexpr std::uint32_t folded_hash(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(upper(c));
    h *= 16777619u;
  }
  return h;
}

// The names by their folded hash, built by the compiler (open addressing; a slot holds an index + 1):
// a key is looked up in a few instructions a byte, on every create.
constexpr std::size_t kSlots = 1024;
constexpr auto kSlotOfName = [] {
  std::array<std::uint16_t, kSlots> slots{};
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    std::size_t at = folded_hash(kFieldNames[i]) & (kSlots - 1);
    while (slots[at] != 0) at = (at + 1) & (kSlots - 1);
    slots[at] = static_cast<std::uint16_t>(i + 1);
  }
  return slots;
}();

// The field name `key` folds to, if any. Go's folding (encoding/json fold.go): ASCII letters to upper
// case, and the only two other runes whose fold class holds an ASCII letter, U+017F to 'S' and U+212A
// to 'K'. Any other byte stays, so a key with another non-ASCII letter folds to no (ASCII) field name.
std::optional<std::string_view> field_named(std::string_view key) {
  std::array<char, 32> buffer;  // longer than any field name
  std::size_t n = 0;
  for (std::size_t i = 0; i < key.size(); ++i, ++n) {
    if (n == buffer.size()) return std::nullopt;
    const auto c = static_cast<unsigned char>(key[i]);
    buffer[n] = static_cast<char>(c);
    if (c < 0x80) continue;
    if (c == 0xC5 && key.substr(i, 2) == "\xC5\xBF") {
      buffer[n] = 'S';
      i += 1;
    } else if (c == 0xE2 && key.substr(i, 3) == "\xE2\x84\xAA") {
      buffer[n] = 'K';
      i += 2;
    }
  }
  const std::string_view folded(buffer.data(), n);
  for (std::size_t at = folded_hash(folded) & (kSlots - 1); kSlotOfName[at] != 0; at = (at + 1) & (kSlots - 1)) {
    const std::string_view name = kFieldNames[kSlotOfName[at] - 1];
    if (same_folded(name, folded)) return name;
  }
  return std::nullopt;
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
  std::vector<std::string> path;  // keys from the root; array elements add none

  // Renames in place, or why not. The values that are structures are walked: strings hold no keys.
  Result<void> visit(json& value, std::string_view what) {
    if (value.is_array()) {
      for (auto& element : value.get_ref<json::array_t&>()) {
        if (!element.is_structured()) continue;
        if (auto ok = visit(element, what); !ok) return ok;
      }
      return {};
    }
    auto& object = value.get_ref<json::object_t&>();
    const bool is_map = path.size() <= 3 && std::find_if(maps.begin(), maps.end(), [&](const auto& m) {
                                              return std::equal(m.begin(), m.end(), path.begin(), path.end());
                                            }) != maps.end();
    if (!is_map) {
      std::vector<std::pair<std::string, std::string_view>> renames;  // key, the field it is
      for (const auto& [key, member_value] : object) {
        const auto field = field_named(key);
        if (!field || *field == key) continue;
        auto other = object.find(std::string(*field));
        auto earlier = std::find_if(renames.begin(), renames.end(), [&](const auto& r) { return r.second == *field; });
        if (other != object.end() || earlier != renames.end()) {
          const std::string& first = other != object.end() ? other->first : earlier->first;
          return fail(std::string(what) + " has the keys '" + dotted(first) + "' and '" + dotted(key) + "', which runc reads as one field, '" +
                      dotted(*field) + "' (its JSON decoder ignores the case of keys and keeps the last one): keep one, spelled '" +
                      std::string(*field) + "'");
        }
        renames.emplace_back(key, *field);
      }
      for (auto& [key, field] : renames) {
        json moved = std::move(object.at(key));
        object.erase(key);
        object.emplace(std::string(field), std::move(moved));
      }
    }
    for (auto& [key, member_value] : object) {
      if (!member_value.is_structured()) continue;
      path.push_back(key);
      auto ok = visit(member_value, what);
      path.pop_back();
      if (!ok) return ok;
    }
    return {};
  }

  std::string dotted(std::string_view key) const {
    std::string out;
    for (const std::string& part : path) out += part + ".";
    return out + std::string(key);
  }
};

}  // namespace

Result<void> canonical_field_names(json& document, RuncDocument kind, std::string_view what) {
  if (!document.is_structured()) return {};
  Walk walk{maps_of(kind), {}};
  return walk.visit(document, what);
}

}  // namespace hardened
