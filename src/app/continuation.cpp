#include "hardened/continuation.hpp"

namespace hardened {

Continuation continuation_of(const CreationRecord& record, const CallNames& call, const std::string& config_source) {
  Continuation out;
  // The runtime always: the container's state is in the runtime that created it, whatever the host
  // config names now (an administrator moving new containers to crun leaves the old ones on runc).
  if (!record.runtime.empty()) out.runtime = record.runtime;
  if (!record.root.empty() && !call.root) out.root = record.root;
  // A host config named by the call wins: the administrator's choice for this call. Pass-through
  // calls need no more than the runtime, so they never read another file.
  if (call.judged && !call.config && !record.config.empty() && record.config != config_source) out.config = record.config;
  return out;
}

std::vector<std::string> with_root(std::vector<std::string> argv, const std::string& root) {
  const auto at = argv.begin() + (argv.empty() ? 0 : 1);
  argv.insert(at, {"--root", root});
  return argv;
}

void add_root(Invocation& inv, const std::string& root) {
  inv.argv = with_root(std::move(inv.argv), root);
  inv.root_dir = root;
  if (!inv.subcommand.empty()) inv.subcommand_index += 2;
  for (FlagUse& use : inv.flags) use.index += 2;
  for (std::size_t& index : inv.positionals) index += 2;
}

}  // namespace hardened
