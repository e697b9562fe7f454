#include "hardened/containerd_config.hpp"

#include <algorithm>
#include <map>
#include <optional>
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

// toml++ compares tables and arrays, not nodes of any kind: each is put in a table of its own.
bool same_value(const toml::node& a, const toml::node& b) {
  toml::table one, other;
  one.insert("v", a);
  other.insert("v", b);
  return one == other;
}

// What `result` adds to `original`: the keys it has that `original` lacks, tables compared key by key.
// Nothing when it changes or removes a value, which appending cannot express.
std::optional<toml::table> added_part(const toml::table& original, const toml::table& result) {
  for (const auto& [key, value] : original) {
    if (!result.contains(key.str())) return std::nullopt;
  }
  toml::table added;
  for (const auto& [key, value] : result) {
    const toml::node* before = original.get(key.str());
    if (before == nullptr) {
      added.insert(key, value);
    } else if (before->is_table() && value.is_table()) {
      auto inner = added_part(*before->as_table(), *value.as_table());
      if (!inner) return std::nullopt;
      if (!inner->empty()) added.insert(key, std::move(*inner));
    } else if (!same_value(*before, value)) {
      return std::nullopt;
    }
  }
  return added;
}

// Where what an edit adds goes in the administrator's text: a key with a plain value, into a table the
// file already has under a header of its own, on the line after that header; anything else (a table
// the file lacks) appended at the end under its own header.
struct Placement {
  std::map<std::int64_t, std::string> after_line;  // line of a header (from 1) -> "key = value" lines
  toml::table appended;                            // shaped like the whole file
};

void place(const toml::table& added, const toml::table* existing, bool root, toml::table& appended_here, Placement& out) {
  for (const auto& [key, value] : added) {
    const toml::node* had = existing != nullptr ? existing->get(key.str()) : nullptr;
    if (had != nullptr && had->is_table() && value.is_table()) {
      toml::table inner;
      place(*value.as_table(), had->as_table(), false, inner, out);
      if (!inner.empty()) appended_here.insert(key, std::move(inner));
    } else if (!value.is_table() && existing != nullptr && !root && !existing->is_inline() && existing->source().begin.line > 0) {
      toml::table line;
      line.insert(key, value);
      out.after_line[static_cast<std::int64_t>(existing->source().begin.line)] += to_text(line);
    } else {
      appended_here.insert(key, value);
    }
  }
}

// The file to write. When the edit only adds (a first registration: the usual case), the administrator's
// text with the additions placed in it, so their comments and layout stay; that text is used only if it
// reads back as exactly the edited configuration (a table given inline cannot be extended after it, for
// one). Otherwise the whole file as the library writes it (the caller keeps the old one as .bak).
std::string written_text(std::string_view text, const toml::table& original, const toml::table& result) {
  const auto added = added_part(original, result);
  if (added && !text.empty()) {
    Placement placement;
    place(*added, &original, true, placement.appended, placement);
    std::string out;
    std::int64_t line = 0;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t end = std::min(text.find('\n', at), text.size());
      out.append(text.substr(at, end - at)).push_back('\n');
      at = end + 1;
      if (auto insert = placement.after_line.find(++line); insert != placement.after_line.end()) out += insert->second;
    }
    if (!placement.appended.empty()) out += "\n" + to_text(placement.appended);
    try {
      if (toml::parse(out) == result) return out;
    } catch (const toml::parse_error&) {
    }
  }
  return to_text(result);
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
  const toml::table original = std::move(*parsed);  // parsed, it knows where each table's header is
  toml::table root = original;                       // a copy does not: the one to edit
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
  edit.text = edit.changed ? written_text(text, original, root) : std::string(text);
  return edit;
}

Result<ContainerdEdit> apply_podman_registration(std::string_view text, const std::string& source,
                                                 const PodmanRegistration& registration) {
  auto parsed = parse_toml(text, source);
  if (!parsed) return tl::unexpected(parsed.error());
  const toml::table original = std::move(*parsed);  // parsed, it knows where each table's header is
  toml::table root = original;                       // a copy does not: the one to edit
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
  edit.text = edit.changed ? written_text(text, original, root) : std::string(text);
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
