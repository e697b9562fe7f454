#include "hardened/docker_config.hpp"

namespace hardened {

Result<json> apply_docker_registration(json daemon, const DockerRegistration& r) {
  if (!daemon.is_object()) return fail("daemon.json must hold a JSON object");
  if (r.name.empty() || r.name == "runc" || r.name == "io.containerd.runc.v2") {
    return fail("'" + r.name + "' cannot be used as the runtime name: dockerd reserves it");
  }
  json* runtimes = member(daemon, "runtimes");
  if (runtimes != nullptr && !runtimes->is_object()) return fail("\"runtimes\" in daemon.json must be an object");
  if (const json* current = member(daemon, "default-runtime"); current != nullptr && !current->is_string()) {
    return fail("\"default-runtime\" in daemon.json must be a string");
  }

  if (r.remove) {
    if (runtimes != nullptr) {
      runtimes->erase(r.name);
      if (runtimes->empty()) daemon.erase("runtimes");
    }
    if (daemon.value("default-runtime", "") == r.name) daemon.erase("default-runtime");
    return daemon;
  }

  if (r.binary.empty() || r.binary.front() != '/') return fail("the path of hardened-runtime must be absolute");
  json entry = json{{"path", r.binary}};
  json args = json::array();
  if (r.config) args.insert(args.end(), {"--config", *r.config});
  if (r.profile) args.insert(args.end(), {"--profile", *r.profile});
  if (!args.empty()) entry["runtimeArgs"] = std::move(args);
  daemon["runtimes"][r.name] = entry;
  if (r.make_default) daemon["default-runtime"] = r.name;
  return daemon;
}

}  // namespace hardened
