// Any config.json: the transform never crashes or throws, applying it to its own output changes
// nothing, and it never writes a key runc would read as another field's. The same bytes as an exec process and as update resources. Our reader (RapidJSON building
// nlohmann documents) and writer answer as nlohmann's own parse() and dump() do.
#include <cstdint>
#include <string_view>

#include "common.hpp"
#include "hardened/harden.hpp"
#include "hardened/runc_field_names.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hardened;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto document = parse_json(text, "input");
  if (!json::accept(text)) fuzz::require(!document);  // our reader refuses what nlohmann's refuses
  // The container's filter kept as text (a create's first reading) is the same document once expanded;
  // a number only the expansion reads may still be refused then.
  static const std::vector<std::string_view> kFilter{"linux", "seccomp"};
  if (auto raw = parse_json(text, "input", kFilter)) {
    json* linux_section = raw->is_object() ? member(*raw, "linux") : nullptr;
    json* filter = linux_section != nullptr && linux_section->is_object() ? member(*linux_section, "seccomp") : nullptr;
    const bool expanded = filter == nullptr || expand_raw_json(*filter, "input").has_value();
    fuzz::require(expanded == document.has_value());
    if (expanded) fuzz::require(*raw == *document);
  } else {
    fuzz::require(!document);
  }
  if (!document) return 0;
  fuzz::require(dump_json(*document) == json::parse(text).dump());  // our writer writes what dump() does
  const Profile& profile = fuzz::default_profile();
  if (auto once = decide_spec(*document, profile)) {
    auto twice = decide_spec(once->document, profile);
    fuzz::require(twice.has_value());
    fuzz::require(twice->changes.empty() && twice->document == once->document);
    // The meet found in the memo is placed where the rule puts the one it computes.
    const json* met = member(once->document, "linux") != nullptr ? member(once->document["linux"], "seccomp") : nullptr;
    if (met != nullptr) {
      std::string change;
      for (const auto& c : once->changes) change = c.rule == "seccomp" ? c.detail : change;
      const MetFilter known{dump_json(*met), change};
      auto placed = decide_spec(*document, profile, {}, &known);
      fuzz::require(placed && dump_json(placed->document) == dump_json(once->document) && json(placed->changes) == json(once->changes));
    }
  }
  // Hooks judged as on a host where every hook's path reaches dockerd (hooks.cpp), creating the container
  // the first hook names where Docker's does (args[2]): an allowed one is rewritten to dockerd's own
  // path once, and the second pass changes nothing.
  if (const json* hooks = document->is_object() ? member(*document, "hooks") : nullptr; hooks != nullptr && hooks->is_object()) {
    HostFacts facts;
    facts.hooks_observed = true;
    MountedObject dockerd;
    dockerd.path = "/usr/sbin/dockerd";
    dockerd.dev = 2049;
    dockerd.ino = 700;
    dockerd.mode = 0100755;
    facts.named_objects[dockerd.path] = dockerd;
    facts.hook_programs[dockerd.path] = dockerd;
    for (const auto& [kind, list] : hooks->items()) {
      for (const auto& hook : list.is_array() ? list : json::array()) {
        const json* path = hook.is_object() ? member(hook, "path") : nullptr;
        if (path != nullptr && path->is_string()) facts.hook_programs[path->get<std::string>()] = dockerd;
        const json* args = hook.is_object() ? member(hook, "args") : nullptr;
        if (facts.container_id.empty() && args != nullptr && args->is_array() && args->size() > 2 && (*args)[2].is_string()) {
          facts.container_id = (*args)[2].get<std::string>();
        }
      }
    }
    if (auto once = decide_spec(*document, profile, facts)) {
      auto twice = decide_spec(once->document, profile, facts);
      fuzz::require(twice && twice->changes.empty() && twice->document == once->document);
    }
  }
  // Keys runc's decoder reads as another field: renamed (or refused) in any document, and hardening a
  // spec whose keys are its fields' own names brings in no other spelling.
  for (const RuncDocument kind : {RuncDocument::process, RuncDocument::resources}) {
    json copy = *document;
    (void)canonical_field_names(copy, kind, "input");
  }
  json named = *document;
  if (canonical_field_names(named, RuncDocument::spec, "input")) {
    if (auto hardened = decide_spec(named, profile)) {
      json again = hardened->document;
      fuzz::require(canonical_field_names(again, RuncDocument::spec, "input").has_value() && again == hardened->document);
    }
  }
  if (auto process = harden_process(*document, profile)) {
    auto twice = harden_process(process->document, profile);
    fuzz::require(twice && twice->document == process->document);
  }
  (void)clamp_update_resources(*document, profile);
  return 0;
}
