#pragma once
// What runc remembers about a created container, for the calls that only name it (exec, update): the
// annotations it was created with, so they select the same profile create did.
#include <optional>
#include <string>

#include "hardened/json_fields.hpp"

namespace hardened {

inline constexpr const char* kDefaultRuncRoot = "/run/runc";

// The container's OCI annotations from <root>/<id>/state.json (runc keeps them as "key=value" labels
// beside "bundle=..."); nullopt when there is no such container.
std::optional<json> read_container_annotations(const std::string& root, const std::string& id);

}  // namespace hardened
