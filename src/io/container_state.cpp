#include "hardened/container_state.hpp"

#include <dirent.h>

#include <algorithm>

#include "hardened/json_file.hpp"

namespace hardened {

std::optional<ContainerState> read_container_state(const std::string& root, const std::string& id) {
  if (id.empty() || id.find('/') != std::string::npos || id.front() == '.') return std::nullopt;
  auto state = read_json_file(root + "/" + id + "/state.json");
  if (!state || !state->document.is_object()) return std::nullopt;
  ContainerState out{id, root, 0, json::object()};
  if (const json* pid = member(state->document, "init_process_pid"); pid != nullptr && pid->is_number_integer()) {
    out.pid = pid->get<long>();
  }
  const json* config = member(state->document, "config");
  const json* labels = config != nullptr && config->is_object() ? member(*config, "labels") : nullptr;
  if (labels == nullptr || !labels->is_array()) return out;
  for (const auto& label : *labels) {
    if (!label.is_string()) continue;
    const std::string& text = label.get_ref<const std::string&>();
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || text.compare(0, eq, "bundle") == 0) continue;
    out.annotations[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return out;
}

std::vector<ContainerState> list_containers(const std::string& root) {
  std::vector<ContainerState> out;
  DIR* dir = ::opendir(root.c_str());
  if (dir == nullptr) return out;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    if (auto state = read_container_state(root, entry->d_name)) out.push_back(std::move(*state));
  }
  ::closedir(dir);
  std::sort(out.begin(), out.end(), [](const ContainerState& a, const ContainerState& b) { return a.id < b.id; });
  return out;
}

}  // namespace hardened
