#pragma once
// Messages for any client. The rules write a refusal once, naming the OCI field and the way out in
// `docker run` words; this seam respells it for the client that made the container, when the spec
// tells: Kubernetes through a CRI runtime (containerd's io.kubernetes.cri.* and CRI-O's
// io.kubernetes.cri-o.* annotations) gets pod-spec words and never a docker flag, podman gets podman's.
// Pure: spec in, text out.
#include <string>

#include "hardened/json_fields.hpp"

namespace hardened {

enum class Client { docker, kubernetes, podman };

// Docker when nothing says otherwise (dockerd writes no annotation of its own).
Client client_of(const json& spec);

// `message` (written for Docker) as the client would say it.
std::string spell_for(Client client, const std::string& message);

}  // namespace hardened
