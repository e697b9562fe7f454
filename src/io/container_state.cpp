#include "hardened/container_state.hpp"

#include <dirent.h>

#include <algorithm>

#include "hardened/json_file.hpp"
#include "hardened/whole_number.hpp"

namespace hardened {
namespace {

const json* object_at(const json& parent, const char* key) {
  const json* value = parent.is_object() ? member(parent, key) : nullptr;
  return value != nullptr && value->is_object() ? value : nullptr;
}

std::string string_at(const json& parent, const char* key) {
  const json* value = member(parent, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

// runc: <root>/<id>/state.json, with the annotations as "key=value" labels beside "bundle=...".
std::optional<ContainerState> read_runc_state(const std::string& root, const std::string& id) {
  auto state = read_json_file(root + "/" + id + "/state.json");
  if (!state || !state->document.is_object()) return std::nullopt;
  ContainerState out{id, root, 0, json::object(), {}, json::object(), {}};
  if (const json* pid = member(state->document, "init_process_pid"); pid != nullptr && pid->is_number_integer()) {
    out.pid = pid->get<long>();
  }
  if (const json* paths = object_at(state->document, "cgroup_paths")) {
    for (const auto& [controller, dir] : paths->items()) {
      if (dir.is_string()) out.cgroup_paths[controller] = dir.get<std::string>();
    }
  }
  const json* config = object_at(state->document, "config");
  if (config == nullptr) return out;
  if (const json* cgroups = object_at(*config, "cgroups")) out.config_cgroup = *cgroups;
  out.labels = {string_at(*config, "apparmor_profile"), string_at(*config, "process_label")};
  const json* labels = member(*config, "labels");
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

// crun: <root>/<id>/status ({"pid", "cgroup-path", "bundle", ...}) beside a copy of the spec,
// <root>/<id>/config.json, which has the annotations. The cgroup path is relative to each hierarchy.
std::optional<ContainerState> read_crun_state(const std::string& root, const std::string& id) {
  auto status = read_json_file(root + "/" + id + "/status");
  if (!status || !status->document.is_object()) return std::nullopt;
  ContainerState out{id, root, 0, json::object(), {}, json::object(), {}};
  if (const json* pid = member(status->document, "pid"); pid != nullptr && pid->is_number_integer()) out.pid = pid->get<long>();
  if (const json* path = member(status->document, "cgroup-path"); path != nullptr && path->is_string() && !path->get<std::string>().empty()) {
    const std::string relative = path->get<std::string>();
    out.cgroup_paths["cpu"] = "/sys/fs/cgroup/cpu" + relative;
    out.cgroup_paths[""] = "/sys/fs/cgroup" + relative;
    out.cgroup_paths["unified"] = "/sys/fs/cgroup/unified" + relative;
  }
  if (auto spec = read_json_file(root + "/" + id + "/config.json")) {
    if (const json* annotations = object_at(spec->document, "annotations")) out.annotations = *annotations;
    if (const json* process = object_at(spec->document, "process")) {
      out.labels = {string_at(*process, "apparmorProfile"), string_at(*process, "selinuxLabel")};
    }
  }
  return out;
}

std::optional<std::int64_t> read_number_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return std::nullopt;
  while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
  return whole_number<std::int64_t>(*text);
}

}  // namespace

std::optional<ContainerState> read_container_state(const std::string& root, const std::string& id) {
  if (id.empty() || id.find('/') != std::string::npos || id.front() == '.') return std::nullopt;
  if (auto runc = read_runc_state(root, id)) return runc;
  return read_crun_state(root, id);
}

CurrentCpu read_current_cpu(const ContainerState& container) {
  CurrentCpu cpu;
  // cgroup v1: the cpu controller's two files.
  if (auto dir = container.cgroup_paths.find("cpu"); dir != container.cgroup_paths.end()) {
    cpu.period = read_number_file(dir->second + "/cpu.cfs_period_us");
    cpu.quota = read_number_file(dir->second + "/cpu.cfs_quota_us");
    if (cpu.period) return cpu;
  }
  // cgroup v2: cpu.max is "<quota|max> <period>".
  for (const char* key : {"", "unified"}) {
    auto dir = container.cgroup_paths.find(key);
    if (dir == container.cgroup_paths.end()) continue;
    auto text = read_text_file(dir->second + "/cpu.max");
    if (!text) continue;
    const std::size_t space = text->find(' ');
    if (space == std::string::npos) continue;
    std::string period = text->substr(space + 1);
    while (!period.empty() && (period.back() == '\n' || period.back() == ' ')) period.pop_back();
    const std::string quota = text->substr(0, space);
    cpu.period = whole_number<std::int64_t>(period);
    cpu.quota = quota == "max" ? std::optional<std::int64_t>(-1) : whole_number<std::int64_t>(quota);
    if (cpu.period) return cpu;
  }
  // What runc recorded at create or its last update; 0 there means "not set".
  cpu = {};
  for (auto [key, field] : {std::pair{"cpu_period", &CurrentCpu::period}, std::pair{"cpu_quota", &CurrentCpu::quota}}) {
    const json* value = member(container.config_cgroup, key);
    if (value != nullptr && value->is_number_integer() && value->get<std::int64_t>() != 0) cpu.*field = value->get<std::int64_t>();
  }
  return cpu;
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
