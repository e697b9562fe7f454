// The seccomp memo: a create that finds the meet writes what one that computes it writes, and an entry
// or a directory that is not root's alone, or not whole, is ignored, met afresh and noted.
#include "hardened/seccomp_memo.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "hardened/bundle.hpp"
#include "helpers.hpp"

namespace hardened {
namespace {

namespace fs = std::filesystem;

class SeccompMemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "the memo is root's: run as root (CI does)";
    fs::create_directories(dir_.path() / "bundle");
    test::write_create_fixture("default", config_json());
    config_.profiles_dir = test::kProfilesDir;
    config_.state_dir = (dir_.path() / "state").string();
  }

  fs::path config_json() const { return dir_.path() / "bundle" / "config.json"; }
  fs::path memo_dir() const { return dir_.path() / "state" / "seccomp"; }

  BundlePlan plan(const HostConfig& config) const {
    auto planned = plan_bundle(config_json().string(), config, std::nullopt, "cid");
    if (!planned) throw std::runtime_error(planned.error().message);
    return std::move(*planned);
  }
  BundlePlan plan() const { return plan(config_); }

  std::vector<fs::path> entries() const {
    std::vector<fs::path> out;
    if (fs::exists(memo_dir())) {
      for (const auto& entry : fs::directory_iterator(memo_dir())) out.push_back(entry.path());
    }
    return out;
  }

  fs::path only_entry() const {
    const auto all = entries();
    if (all.size() != 1) throw std::runtime_error("expected one entry, found " + std::to_string(all.size()));
    return all.front();
  }

  // What a create writes and notes, with the memo out of the picture.
  std::string computed_text() const {
    HostConfig none = config_;
    none.state_dir = "";
    return hardened_text(plan(none));
  }

  static std::string notes(const BundlePlan& p) {
    std::string out;
    for (const auto& w : p.decision.warnings) out += w.message + "\n";
    return out;
  }

  test::TempDir dir_;
  HostConfig config_;
};

TEST_F(SeccompMemoTest, ASecondCreateFindsTheMeetAndWritesTheSameFile) {
  const BundlePlan first = plan();
  const fs::path entry = only_entry();
  struct stat st {};
  ASSERT_EQ(::stat(memo_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(::stat(entry.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u);
  EXPECT_EQ(st.st_mode & 07777, 0600u);

  const BundlePlan second = plan();
  EXPECT_EQ(hardened_text(second), hardened_text(first));
  EXPECT_EQ(hardened_text(first), computed_text());
  EXPECT_EQ(json(second.decision.changes), json(first.decision.changes)) << "the audit trail says the same";
  EXPECT_EQ(notes(second), "");
  EXPECT_EQ(entries().size(), 1u);
}

TEST_F(SeccompMemoTest, EveryInputIsPartOfTheKey) {
  plan();
  // another container filter: one syscall fewer
  json spec = test::load(config_json());
  auto& names = spec["linux"]["seccomp"]["syscalls"][0]["names"];
  names.erase(names.begin());
  std::ofstream(config_json()) << spec.dump();
  const BundlePlan other = plan();
  EXPECT_EQ(entries().size(), 2u);
  EXPECT_EQ(hardened_text(other), computed_text());
  // another profile text, the same profile in effect
  const fs::path profiles = dir_.path() / "profiles";
  fs::create_directories(profiles);
  std::ofstream(profiles / "default.json") << test::slurp(fs::path(test::kProfilesDir) / "default.json") << "\n";
  config_.profiles_dir = profiles.string();
  const BundlePlan edited = plan();
  EXPECT_EQ(entries().size(), 3u);
  EXPECT_EQ(hardened_text(edited), hardened_text(other));
}

TEST_F(SeccompMemoTest, AnEntryThatIsNotRootsAloneIsIgnoredAndNoted) {
  const std::string expected = hardened_text(plan());
  const fs::path entry = only_entry();
  ASSERT_EQ(::chown(entry.c_str(), 1000, 0), 0);
  BundlePlan p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("was ignored: owned by uid 1000, not root; the filter was met afresh"), std::string::npos) << notes(p);

  ASSERT_EQ(::chown(entry.c_str(), 0, 0), 0);
  ASSERT_EQ(::chmod(entry.c_str(), 0620), 0);
  p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("mode 0620, writable by others"), std::string::npos) << notes(p);

  // a link to an entry: not followed (the entry is replaced by the afresh meet's)
  const fs::path real = dir_.path() / "elsewhere.meet";
  fs::copy_file(entry, real);
  fs::remove(entry);
  fs::create_symlink(real, entry);
  p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("cannot open it"), std::string::npos) << notes(p);
}

TEST_F(SeccompMemoTest, ADirectoryThatIsNotRootsAloneIsIgnoredAndNoted) {
  const std::string expected = hardened_text(plan());
  ASSERT_EQ(::chmod(memo_dir().c_str(), 0755), 0);
  BundlePlan p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("mode 0755, not 0700"), std::string::npos) << notes(p);

  ASSERT_EQ(::chmod(memo_dir().c_str(), 0700), 0);
  ASSERT_EQ(::chown(memo_dir().c_str(), 1000, 1000), 0);
  p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("owned by uid 1000, not root"), std::string::npos) << notes(p);

  // a link in place of the directory, even to one of root's
  const fs::path real = dir_.path() / "real-memo";
  fs::rename(memo_dir(), real);
  ASSERT_EQ(::chown(real.c_str(), 0, 0), 0);
  fs::create_directory_symlink(real, memo_dir());
  p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("is not used: cannot open it"), std::string::npos) << notes(p);
}

TEST_F(SeccompMemoTest, ADamagedEntryIsIgnoredAndNoted) {
  const std::string expected = hardened_text(plan());
  const fs::path entry = only_entry();
  const std::string whole = test::slurp(entry);

  std::ofstream(entry, std::ios::trunc) << whole.substr(0, whole.size() - 10);
  BundlePlan p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("damaged (not a whole entry)"), std::string::npos) << notes(p);

  // the filter changed in place, every length the same: SCMP_ACT_ERRNO -> SCMP_ACT_ALLOW would be a hole
  std::string forged = whole;
  const auto at = forged.rfind("\"defaultAction\":\"SCMP_ACT_ERRNO\"");
  ASSERT_NE(at, std::string::npos);
  forged.replace(at + 17, 14, "SCMP_ACT_LOG\",");
  ASSERT_EQ(forged.size(), whole.size());
  std::ofstream(entry, std::ios::trunc) << forged;
  p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("damaged (its checksum does not match)"), std::string::npos) << notes(p);

  std::ofstream(entry, std::ios::trunc) << "";
  p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("damaged"), std::string::npos) << notes(p);

  // past the size of any entry the memo writes: not read, whatever its header claims (a 1 TiB claim
  // would otherwise be reserved before a byte of the filter is read)
  std::ofstream(entry, std::ios::trunc) << whole << std::string((1 << 20) + 200, ' ');
  p = plan();
  EXPECT_EQ(hardened_text(p), expected);
  EXPECT_NE(notes(p).find("larger than any entry the memo writes"), std::string::npos) << notes(p);
}

TEST_F(SeccompMemoTest, AContainerWithoutAFilterGetsTheProfilesFromTheMemoToo) {
  json spec = test::load(config_json());
  spec["linux"].erase("seccomp");
  std::ofstream(config_json()) << spec.dump();
  const std::string expected = hardened_text(plan());
  EXPECT_EQ(entries().size(), 1u);
  const BundlePlan second = plan();
  EXPECT_EQ(hardened_text(second), expected);
  EXPECT_EQ(expected, computed_text());
  EXPECT_TRUE(test::has_change(second.decision.changes, "seccomp"));
}

TEST_F(SeccompMemoTest, AFilterOfUnusualSizeIsMetButNotKept) {
  json spec = test::load(config_json());
  auto& names = spec["linux"]["seccomp"]["syscalls"][0]["names"];
  for (int i = 0; i < 60000; ++i) names.push_back("not_a_syscall_" + std::to_string(i));  // ~1.4 MB
  std::ofstream(config_json()) << spec.dump();
  const std::string expected = hardened_text(plan());
  EXPECT_TRUE(entries().empty());
  EXPECT_EQ(expected, computed_text());
}

TEST_F(SeccompMemoTest, PastItsSizeTheEntriesWrittenLongestAgoGo) {
  const std::string state = (dir_.path() / "state").string();
  const SeccompMemo memo(state, "build", 3);
  Findings notes;
  const std::string profiles[] = {"profile 0", "profile 1", "profile 2", "profile 3"};
  const auto key = [&](int i) { return SeccompMeetInputs{{profiles[i]}, std::nullopt, "[]", "6.1"}; };
  for (int i = 0; i < 3; ++i) memo.keep(key(i), {"{\"filter\":" + std::to_string(i) + "}", "change"}, notes);
  // entry 1 written longest ago, then 0, then 2
  const auto age = [&](int i, int seconds_ago) {
    const fs::path entry = [&] {
      for (const auto& path : entries()) {
        if (test::slurp(path).find(profiles[i]) != std::string::npos) return path;
      }
      throw std::runtime_error("no entry for key " + std::to_string(i));
    }();
    fs::last_write_time(entry, fs::file_time_type::clock::now() - std::chrono::seconds(seconds_ago));
  };
  age(1, 300);
  age(0, 200);
  age(2, 100);
  memo.keep(key(3), {"{\"filter\":3}", "change"}, notes);
  EXPECT_EQ(entries().size(), 3u);
  EXPECT_FALSE(memo.find(key(1), notes)) << "the oldest entry stays";
  for (int i : {0, 2, 3}) EXPECT_TRUE(memo.find(key(i), notes)) << "entry " << i << " is gone";
  EXPECT_TRUE(notes.empty()) << notes.front().message;
}

TEST(SeccompMemo, ThereIsNoneWithoutAStateDirOrABuildId) {
  EXPECT_EQ(SeccompMemo("", "abc").directory(), "");
  EXPECT_EQ(SeccompMemo("/run/x", "").directory(), "");
  EXPECT_FALSE(own_build_id().empty()) << "the build links with a build id (the memo's key needs it)";
}

}  // namespace
}  // namespace hardened
