#include "hardened/client_spelling.hpp"

#include <string_view>

namespace hardened {
namespace {

// One row per Docker phrase the rules write: what a Kubernetes user writes instead. Longest phrases
// first, so a whole clause is replaced before one of its words would be.
struct Respelling {
  std::string_view docker;
  std::string_view kubernetes;
};

// Where a pod asks for the host's namespaces it is usually a node agent (CNI, kube-proxy, a monitoring
// daemon): those belong on the default handler, not on a hardened RuntimeClass.
#define HARDENED_NODE_AGENTS \
  "; node agents that need the host's namespaces belong on the default handler (a pod without runtimeClassName)"

constexpr Respelling kKubernetes[]{
    {"(docker run --network=host); run it without --network=host",
     "(hostNetwork: true in the pod spec)" HARDENED_NODE_AGENTS "; run the pod without hostNetwork"},
    {"(docker run --uts=host); run it without --uts=host",
     "(hostNetwork: true in the pod spec, which also shares the host's uts namespace)" HARDENED_NODE_AGENTS
     "; run the pod without hostNetwork"},
    {"(docker run --pid=host); run it without --pid=host",
     "(hostPID: true in the pod spec)" HARDENED_NODE_AGENTS "; run the pod without hostPID"},
    {"(docker run --ipc=host); run it without --ipc=host",
     "(hostIPC: true in the pod spec)" HARDENED_NODE_AGENTS "; run the pod without hostIPC"},
    {"(docker run --userns=host); run it without --userns=host", "(the pod has no user namespace of its own); give it one"},
    {"(docker run --cgroupns=host); run it without --cgroupns=host",
     "(linux.namespaces has no cgroup entry: containerd's cgroup-namespace setting); run it with a private cgroup namespace"},
    {"as docker run --privileged asks; run it without --privileged, giving it only the devices (--device) and capabilities it needs",
     "as securityContext.privileged: true asks; run it without privileged, giving it only the capabilities it needs "
     "(securityContext.capabilities.add)"},
    {"remove that -v/--mount", "remove that hostPath volume"},
    {" (mounts[].source; docker run -v/--mount)", " (mounts[].source; a hostPath volume in the pod spec)"},
    {" (docker run --device); remove those --device options", " (linux.devices); remove those devices from the pod"},
    {" (docker run --device); remove --device ", " (linux.devices); remove from the pod the device "},
    {" (docker run --device-cgroup-rule); remove that rule", " (linux.resources.devices); remove that device rule"},
    {" (docker run --sysctl), which is not in the profile's safe list; remove --sysctl ",
     " (securityContext.sysctls in the pod spec), which is not in the profile's safe list; remove the sysctl "},
    {" (docker run --cap-add", " (securityContext.capabilities.add:"},
    {" --cap-add ", ", "},
    {"; docker run --memory, Kubernetes resources.limits.memory)", "; resources.limits.memory in the pod spec)"},
    {"; docker run --cpus, Kubernetes resources.limits.cpu)", "; resources.limits.cpu in the pod spec)"},
    {" (docker run --oom-kill-disable)", ""},
    {"run it without --oom-kill-disable", "run it with the OOM killer on"},
    {" (docker run --oom-score-adj)", " (kubelet sets it from the pod's QoS class)"},
    {" (docker run -u; Kubernetes runAsUser)", " (runAsUser)"},
    {" (docker run -u UID:GID; Kubernetes runAsGroup)", " (runAsGroup)"},
    {" (docker run --group-add; Kubernetes supplementalGroups)", " (supplementalGroups)"},
    {" (docker run --ulimit ", " (process.rlimits, set by the runtime's defaults: "},
    {"readable with docker inspect and /proc", "readable with kubectl get pod -o yaml and /proc"},
    {"(a docker secret or a read-only -v mount)", "(a Secret mounted as a volume)"},
    {"anyone with docker inspect or", "anyone with kubectl get pod or"},
    {" (docker run --security-opt apparmor=unconfined); remove that option",
     " (securityContext.appArmorProfile.type: Unconfined in the pod spec); remove it"},
    {" (docker run --security-opt label=type:", " (securityContext.seLinuxOptions.type: "},
    {" (docker run --security-opt apparmor=", " (securityContext.appArmorProfile.localhostProfile: "},
    {"); remove that option, or select a profile whose deny.lsm_unconfined", " in the pod spec); remove it, or select a profile whose deny.lsm_unconfined"},
};

constexpr Respelling kPodman[]{
    {"docker run", "podman run"},
    {"docker inspect", "podman inspect"},
    {"a docker secret", "a podman secret"},
};

template <std::size_t N>
std::string respell(std::string text, const Respelling (&table)[N]) {
  for (const auto& row : table) {
    for (std::size_t at = text.find(row.docker); at != std::string::npos; at = text.find(row.docker, at + row.kubernetes.size())) {
      text.replace(at, row.docker.size(), row.kubernetes);
    }
  }
  return text;
}

bool has_key_starting(const json& object, std::string_view prefix) {
  for (const auto& [key, _] : object.items()) {
    if (key.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace

Client client_of(const json& spec) {
  const json* annotations = spec.is_object() ? member(spec, "annotations") : nullptr;
  if (annotations == nullptr || !annotations->is_object()) return Client::docker;
  // podman first: libpod writes CRI-O's io.kubernetes.cri-o.Created and .TTY into every spec too.
  const json* manager = member(*annotations, "io.container.manager");
  if ((manager != nullptr && *manager == "libpod") || has_key_starting(*annotations, "io.podman.")) return Client::podman;
  if (has_key_starting(*annotations, "io.kubernetes.cri")) return Client::kubernetes;  // cri.* and cri-o.*
  return Client::docker;
}

std::string spell_for(Client client, const std::string& message) {
  switch (client) {
    case Client::docker: return message;
    case Client::podman: return respell(message, kPodman);
    case Client::kubernetes: {
      std::string text = respell(message, kKubernetes);
      // A phrase a rule wrote that the table does not know yet: the OCI field stays, the docker words
      // go, so a Kubernetes user is never told a flag their client does not have.
      for (std::size_t at = text.find(" (docker run "); at != std::string::npos; at = text.find(" (docker run ", at)) {
        const std::size_t end = text.find(')', at);
        text.erase(at, end == std::string::npos ? std::string::npos : end + 1 - at);
      }
      return text;
    }
  }
  return message;
}

}  // namespace hardened
