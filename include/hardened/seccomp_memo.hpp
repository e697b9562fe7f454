#pragma once
// Meets of a container's seccomp filter with a profile's, remembered across creates (in state_dir).
// Docker gives every container with the same capabilities the same filter, so nearly every create asks
// for a meet computed before; computing it means parsing both filters (most of both texts), the meet
// itself and writing the result: over half of a create's work. A remembered meet is used only for
// exactly the same inputs, compared byte for byte: the texts of the profile's extends chain, the text
// of the container's filter, and the same build of hardened-runtime (its rules and libseccomp's names).
// The profile those texts make comes along, already checked: a create that finds its meet parses
// neither filter nor the profile.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hardened {

struct SeccompMeetInputs {
  std::vector<std::string_view> profile_texts;  // the chain's files, the selected profile first
  std::string_view container_filter;            // linux.seccomp's text in config.json
};

struct SeccompMeet {
  std::string filter;                 // the met filter, as the JSON text that goes into config.json
  std::optional<std::string> change;  // the seccomp rule's change; none when the filter stayed as it was
  std::string profile;                // the profile parsed and checked from the same texts (profile_codec.hpp)
};

std::optional<SeccompMeet> recall_seccomp_meet(const std::string& state_dir, const SeccompMeetInputs& inputs);

// Best effort: a create never fails because its meet could not be remembered (a read-only state_dir
// only costs the next create the work). Slots are few (256) and overwritten: the files stay small.
void remember_seccomp_meet(const std::string& state_dir, const SeccompMeetInputs& inputs, const SeccompMeet& meet);

}  // namespace hardened
