#pragma once
// The met seccomp filters of earlier creates, in crun's shape: an entry holds what the seccomp rule made
// of one container's filter and one profile chain (MetFilter), never a profile or a decision, keyed by
// the exact inputs of the meet and this binary's build id. A hit spares a create the building, meeting
// and writing of both filters (~60% of its instructions for Docker's default spec; docs/performance.md).
//
// Only root-owned state is believed: the directory (<state_dir>/seccomp) must be root's, 0700 and not a
// symlink, an entry a regular file of root's that no one else may write, whole and for this very key.
// Anything else is ignored, the meet is computed afresh, and the audit trail says why. Without a state
// dir, a build id or root (a rootless runtime) there is no memo.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hardened/harden.hpp"

namespace hardened {

// The inputs of the meet, each exactly as read: the build id makes the code one of them.
struct SeccompMeetInputs {
  std::vector<std::string_view> profile_texts;      // the profile chain's files, the profile first
  std::optional<std::string_view> container_filter; // linux.seccomp's text; none: the container has no filter
  std::string bounding;                             // process.capabilities.bounding as JSON (a Docker-format profile reads it)
  std::string kernel;                               // the kernel version (idem)
};

class SeccompMemo {
 public:
  // The memo holds at most this many entries (~26 KB each for Docker's default filter).
  static constexpr std::size_t kMaxEntries = 256;

  // `state_dir` "" or `build_id` "": the memo never hits and keeps nothing. Past `max_entries`, keep
  // removes the entries written longest ago.
  SeccompMemo(std::string state_dir, std::string build_id, std::size_t max_entries = kMaxEntries);

  // The met filter an earlier create kept for these inputs (their key compared where the entry holds
  // it). An entry that cannot be believed is ignored, with a note (rule "seccomp") in `notes`.
  std::optional<MetFilter> find(const SeccompMeetInputs& inputs, Findings& notes) const;
  // Keeps `met` for these inputs, replacing the entry atomically, then prunes; a failure is only noted.
  void keep(const SeccompMeetInputs& inputs, const MetFilter& met, Findings& notes) const;

  const std::string& directory() const { return dir_; }

 private:
  std::string entry_name(const SeccompMeetInputs& inputs) const;
  std::string key(const SeccompMeetInputs& inputs) const;  // all of the inputs, whole, as an entry holds them

  std::string dir_;  // "" when there is no memo
  std::string build_id_;
  std::size_t max_entries_;
};

// This program's GNU build id in hex, "" when it was linked without one.
std::string own_build_id();

}  // namespace hardened
