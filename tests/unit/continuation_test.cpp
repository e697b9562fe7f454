// What a later call on a container takes from its creation record: the runtime always, the root when
// the call gives none, the host config for exec and update when the call names none.
#include "hardened/continuation.hpp"

#include <gtest/gtest.h>

namespace hardened {
namespace {

const CreationRecord kRecord{"default", "default_profile", "enforce", "/usr/bin/crun", "/run/crun-private", "/etc/hr/crun.json"};

TEST(Continuation, TheRuntimeAlwaysComesFromTheRecord) {
  for (const CallNames call : {CallNames{}, CallNames{true, true, true}, CallNames{true, false, false}}) {
    EXPECT_EQ(continuation_of(kRecord, call, "/etc/hardened-runtime/config.json").runtime, "/usr/bin/crun");
  }
  CreationRecord old = kRecord;
  old.runtime.clear();  // written before records kept the runtime: the host config decides, as before
  EXPECT_FALSE(continuation_of(old, CallNames{}, "built-in defaults").runtime);
}

TEST(Continuation, TheRootOnlyWhenTheCallGivesNone) {
  EXPECT_EQ(continuation_of(kRecord, CallNames{false, false, false}, "x").root, "/run/crun-private");
  EXPECT_FALSE(continuation_of(kRecord, CallNames{false, true, false}, "x").root);
  CreationRecord default_root = kRecord;
  default_root.root.clear();
  EXPECT_FALSE(continuation_of(default_root, CallNames{}, "x").root);
}

TEST(Continuation, TheHostConfigForExecAndUpdateWhenTheCallNamesNone) {
  EXPECT_EQ(continuation_of(kRecord, CallNames{false, false, true}, "built-in defaults").config, "/etc/hr/crun.json");
  EXPECT_FALSE(continuation_of(kRecord, CallNames{true, false, true}, "/other.json").config) << "--config wins";
  EXPECT_FALSE(continuation_of(kRecord, CallNames{false, false, false}, "built-in defaults").config) << "a pass-through reads no more";
  EXPECT_FALSE(continuation_of(kRecord, CallNames{false, false, true}, "/etc/hr/crun.json").config) << "already that one";
  CreationRecord defaults = kRecord;
  defaults.config.clear();
  EXPECT_FALSE(continuation_of(defaults, CallNames{false, false, true}, "built-in defaults").config);
}

TEST(Continuation, AddsTheRootBeforeTheSubcommandAndMovesEveryIndex) {
  EXPECT_EQ(with_root({"/usr/bin/crun", "delete", "--force", "cid"}, "/r"),
            (std::vector<std::string>{"/usr/bin/crun", "--root", "/r", "delete", "--force", "cid"}));
  auto inv = parse_invocation({"runc", "--log", "/l", "update", "--pids-limit", "5", "cid"});
  ASSERT_TRUE(inv);
  add_root(*inv, "/r");
  EXPECT_EQ(inv->root_dir, "/r");
  EXPECT_EQ(inv->argv[inv->subcommand_index], "update");
  EXPECT_EQ(inv->container_id(), "cid");
  ASSERT_NE(inv->flag("pids-limit"), nullptr);
  EXPECT_EQ(inv->argv[inv->flag("pids-limit")->index], "--pids-limit");
}

}  // namespace
}  // namespace hardened
