#pragma once
// hardened-runtime's own commands, for administrators (runc has none of these names):
//   hardened-runtime validate [--config FILE]
//   hardened-runtime explain (--bundle DIR | FILE) [--id ID] [--profile P] [--config FILE] [--json]
//   hardened-runtime configure containerd [--handler NAME] [--profile P] [--remove] [--lockdown] [--config-file FILE]
//   hardened-runtime configure docker [--default] [--name NAME] [--profile P] [--remove] [--config-file FILE]
//   hardened-runtime audit [--root DIR]... [--profile P] [--config FILE] [--json]
//   hardened-runtime manual                    (the text of the man page hardened-runtime(8))
// They print to stdout, unlike the runc paths.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hardened/error.hpp"
#include "hardened/system.hpp"

namespace hardened {

// A tool's name may follow global flags: `hardened-runtime --config F validate` is
// `hardened-runtime validate --config F` (tool_words).
bool is_tool_command(const std::vector<std::string>& argv);
std::vector<std::string> tool_words(const std::vector<std::string>& argv);
bool is_tool_name(std::string_view first_word);  // validate, explain, configure, audit, manual
int run_tool(const std::vector<std::string>& argv, System& system);
int audit_containers(const std::vector<std::string>& argv, System& system);  // src/app/audit_command.cpp
int print_manual(System& system);                                            // src/app/manual.cpp
int configure_containerd(const std::vector<std::string>& argv);               // src/app/configure_containerd.cpp
int configure_podman(const std::vector<std::string>& argv);                   // src/app/configure_containerd.cpp
// The lockdown (configure containerd/docker --lockdown): LOCKDOWN_DIR/runc -> binary and a drop-in
// hardened-runtime-lockdown.conf in each of `dropin_dirs` (all under `node_root`); true when anything
// changed. remove: the drop-ins are taken out (the link stays: pods started through it still use it).
std::string default_lockdown_dir(const std::string& binary);
Result<bool> apply_lockdown(const std::string& node_root, const std::string& lockdown_dir, const std::string& binary,
                            const std::vector<std::string>& dropin_dirs, bool remove);

// "--flag value" or "--flag=value" at argv[i]; advances i past the value.
std::optional<std::string> tool_option(const std::vector<std::string>& argv, std::size_t& i, const std::string& flag);

}  // namespace hardened
