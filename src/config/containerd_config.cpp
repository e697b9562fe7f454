#include "hardened/containerd_config.hpp"

#include <sstream>

// Header-only: the binary stays static (Debian ships toml++ as a shared library too).
#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_FORMATTERS 1
#include <toml++/toml.h>

namespace hardened {
namespace {

constexpr const char* kAnnotations = "org.hardened-runtime.*";

// Where the CRI runtimes live in each config version: 1 (no version key), 2 (containerd 1.x), 3 (2.x).
std::vector<std::string> runtimes_path(std::int64_t version) {
  if (version >= 3) return {"plugins", "io.containerd.cri.v1.runtime", "containerd", "runtimes"};
  if (version == 2) return {"plugins", "io.containerd.grpc.v1.cri", "containerd", "runtimes"};
  return {"plugins", "cri", "containerd", "runtimes"};
}

std::string dotted(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& key : path) {
    const bool bare = key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == std::string::npos;
    out += (out.empty() ? "" : ".") + (bare ? key : "\"" + key + "\"");
  }
  return out;
}

// The table at `path`, made when absent; nullptr when something on the way is not a table.
toml::table* table_at(toml::table& root, const std::vector<std::string>& path, bool create) {
  toml::table* at = &root;
  for (const auto& key : path) {
    toml::node* next = at->get(key);
    if (next == nullptr) {
      if (!create) return nullptr;
      next = &at->insert_or_assign(key, toml::table{}).first->second;
    }
    at = next->as_table();
    if (at == nullptr) return nullptr;
  }
  return at;
}

std::string to_text(const toml::table& table) {
  std::ostringstream out;
  out << toml::toml_formatter(table);
  return out.str() + "\n";
}

Result<toml::table> parse_toml(std::string_view text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(source + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": not TOML: " +
                std::string(e.description()));
  }
}

}  // namespace

Result<ContainerdEdit> apply_containerd_registration(std::string_view text, const std::string& source,
                                                     const ContainerdRegistration& registration) {
  auto parsed = parse_toml(text, source);
  if (!parsed) return tl::unexpected(parsed.error());
  toml::table root = std::move(*parsed);
  const toml::table original = root;
  ContainerdEdit edit;
  std::int64_t version = root["version"].value_or<std::int64_t>(1);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos && !registration.remove) {
    root.insert_or_assign("version", std::int64_t{2});  // a new file: containerd 1.6's current format
    version = 2;
  }
  auto path = runtimes_path(version);
  edit.table = dotted(path) + "." + dotted({registration.handler});
  if (const auto* disabled = root["disabled_plugins"].as_array()) {
    for (const auto& plugin : *disabled) {
      const std::string name = plugin.value_or<std::string>("");
      if (name == "cri" || name == "io.containerd.grpc.v1.cri") {
        edit.notes.push_back("disabled_plugins lists \"" + name + "\": containerd's CRI (what kubelet talks to) is off; "
                             "take it out of disabled_plugins for Kubernetes to use the handler");
      }
    }
  }
  if (registration.remove) {
    if (toml::table* runtimes = table_at(root, path, false)) runtimes->erase(registration.handler);
  } else {
    toml::table* runtimes = table_at(root, path, true);
    if (runtimes == nullptr) return fail(source + ": " + dotted(path) + " is not a table; the file was left as it is");
    // The cgroup driver of the handler kubelet already uses, so pods of either handler agree with it.
    std::optional<bool> systemd_cgroup;
    if (const toml::table* runc = (*runtimes)["runc"]["options"].as_table()) systemd_cgroup = (*runc)["SystemdCgroup"].value<bool>();
    toml::table entry;
    if (const toml::table* existing = (*runtimes)[registration.handler].as_table()) entry = *existing;  // keeps the admin's own keys
    entry.insert_or_assign("runtime_type", "io.containerd.runc.v2");
    entry.insert_or_assign("pod_annotations", toml::array{kAnnotations});
    entry.insert_or_assign("container_annotations", toml::array{kAnnotations});
    toml::table options;
    if (const toml::table* existing = entry["options"].as_table()) options = *existing;
    options.insert_or_assign("BinaryName", registration.binary);
    if (systemd_cgroup) options.insert_or_assign("SystemdCgroup", *systemd_cgroup);
    entry.insert_or_assign("options", std::move(options));
    runtimes->insert_or_assign(registration.handler, std::move(entry));
  }
  edit.changed = root != original;
  edit.text = edit.changed ? to_text(root) : std::string(text);
  return edit;
}

Result<ContainerdEdit> apply_podman_registration(std::string_view text, const std::string& source,
                                                 const PodmanRegistration& registration) {
  auto parsed = parse_toml(text, source);
  if (!parsed) return tl::unexpected(parsed.error());
  toml::table root = std::move(*parsed);
  const toml::table original = root;
  ContainerdEdit edit;
  edit.table = "engine.runtimes." + dotted({registration.name});
  if (registration.remove) {
    if (toml::table* engine = table_at(root, {"engine"}, false)) {
      if (toml::table* runtimes = table_at(root, {"engine", "runtimes"}, false)) {
        runtimes->erase(registration.name);
        if (runtimes->empty()) engine->erase("runtimes");
      }
      if ((*engine)["runtime"].value_or<std::string>("") == registration.name) {
        engine->erase("runtime");
        edit.notes.push_back("[engine] runtime named '" + registration.name + "'; podman is back to its default runtime");
      }
      if (engine->empty()) root.erase("engine");
    }
  } else {
    toml::table* runtimes = table_at(root, {"engine", "runtimes"}, true);
    if (runtimes == nullptr) return fail(source + ": engine.runtimes is not a table; the file was left as it is");
    runtimes->insert_or_assign(registration.name, toml::array{registration.binary});
    if (registration.make_default) root["engine"].as_table()->insert_or_assign("runtime", registration.name);
  }
  edit.changed = root != original;
  edit.text = edit.changed ? to_text(root) : std::string(text);
  return edit;
}

std::string lockdown_dropin(const std::string& lockdown_dir) {
  return "# Written by hardened-runtime configure --lockdown: containerd's shims find `runc` on the PATH of the\n"
         "# containerd that started them, so the lockdown directory first makes every runc they start\n"
         "# hardened-runtime (which runs the real runc further down PATH). Needs: systemctl daemon-reload and a\n"
         "# restart of the service.\n"
         "[Service]\n"
         "Environment=\"PATH=" + lockdown_dir + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n";
}

}  // namespace hardened
