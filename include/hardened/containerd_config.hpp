#pragma once
// `hardened-runtime configure containerd`: the change to containerd's config.toml, as a pure function
// over its text. A CRI runtime handler (what a Kubernetes RuntimeClass's `handler` names):
//   [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.<handler>]       (config version 2)
//     runtime_type = "io.containerd.runc.v2"
//     pod_annotations = ["org.hardened-runtime.*"]
//     container_annotations = ["org.hardened-runtime.*"]
//     [....options]
//       BinaryName = "<binary>"        (a hardened-runtime-<profile> link selects a profile)
//       SystemdCgroup = <as the default runc handler has it, so kubelet's cgroup driver still matches>
// Every other setting is kept (parsed and written with toml++); comments and layout are not.
#include <string>
#include <string_view>
#include <vector>

#include "hardened/error.hpp"

namespace hardened {

struct ContainerdRegistration {
  std::string handler = "hardened";
  std::string binary;  // BinaryName: hardened-runtime, or a hardened-runtime-<profile> link to it
  bool remove = false;
};

struct ContainerdEdit {
  std::string text;                // the new config.toml
  bool changed = false;            // false: the file already says so
  std::string table;               // the handler's table, for messages
  std::vector<std::string> notes;  // what the administrator should know (CRI disabled, ...)
};

// Fails (naming the line) on a file that is not TOML, or whose runtimes section is not a table.
Result<ContainerdEdit> apply_containerd_registration(std::string_view text, const std::string& source,
                                                     const ContainerdRegistration& registration);

// The systemd drop-in that puts the lockdown directory (whose `runc` is hardened-runtime) first on a
// service's PATH. On containerd.service: the shims of io.containerd.runc.v2 without BinaryName,
// `ctr run --no-pivot` and dockerd's --runtime=runc on a separate containerd.service then run
// hardened-runtime; on docker.service: dockerd's own (child) containerd and its shims.
std::string lockdown_dropin(const std::string& lockdown_dir);

// `hardened-runtime configure podman`: a named OCI runtime in containers.conf, using the same TOML
// handling (every other setting kept; comments and layout are not):
//   [engine]
//   runtime = "<name>"                   (only with make_default)
//   [engine.runtimes]
//   <name> = ["<binary>"]                (podman passes the runtime no extra arguments or environment,
//                                         so a hardened-runtime-<profile> link selects a profile)
// remove takes the entry out, and `runtime` too when it names it.
struct PodmanRegistration {
  std::string name = "hardened";
  std::string binary;
  bool make_default = false;
  bool remove = false;
};
Result<ContainerdEdit> apply_podman_registration(std::string_view text, const std::string& source,
                                                 const PodmanRegistration& registration);

}  // namespace hardened
