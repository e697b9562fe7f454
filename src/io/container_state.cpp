#include "hardened/container_state.hpp"

#include "hardened/json_file.hpp"

namespace hardened {

std::optional<json> read_container_annotations(const std::string& root, const std::string& id) {
  if (id.empty() || id.find('/') != std::string::npos || id.front() == '.') return std::nullopt;
  auto state = read_json_file(root + "/" + id + "/state.json");
  if (!state || !state->document.is_object()) return std::nullopt;
  const json* config = member(state->document, "config");
  const json* labels = config != nullptr && config->is_object() ? member(*config, "labels") : nullptr;
  json annotations = json::object();
  if (labels == nullptr || !labels->is_array()) return annotations;
  for (const auto& label : *labels) {
    if (!label.is_string()) continue;
    const std::string& text = label.get_ref<const std::string&>();
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || text.compare(0, eq, "bundle") == 0) continue;
    annotations[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return annotations;
}

}  // namespace hardened
