#include "hardened/argv_rewrite.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "hardened/whole_number.hpp"

namespace hardened {
namespace {

bool allowed_cap(const Profile& profile, const std::string& cap) {
  return std::find(profile.capabilities_allow.begin(), profile.capabilities_allow.end(), cap) != profile.capabilities_allow.end();
}

Result<std::int64_t> parse_integer(const std::string& text, const std::string& flag) {
  const auto value = whole_number<std::int64_t>(text);
  if (!value) return fail("--" + flag + " '" + text + "' is not a whole number");
  return *value;
}

// "0:5" -> {0, 5}; "7" -> {7, nullopt}. runc accepts numeric ids only.
struct UserFlag {
  std::uint32_t uid;
  std::optional<std::uint32_t> gid;
};

Result<UserFlag> parse_user(const std::string& text) {
  const auto colon = text.find(':');
  auto uid = parse_integer(text.substr(0, colon), "user");
  if (!uid || *uid < 0 || *uid > std::numeric_limits<std::uint32_t>::max()) return fail("--user '" + text + "' must be <uid>[:<gid>] with numeric ids");
  UserFlag user{static_cast<std::uint32_t>(*uid), std::nullopt};
  if (colon != std::string::npos) {
    auto gid = parse_integer(text.substr(colon + 1), "user");
    if (!gid || *gid < 0 || *gid > std::numeric_limits<std::uint32_t>::max()) return fail("--user '" + text + "' must be <uid>[:<gid>] with numeric ids");
    user.gid = static_cast<std::uint32_t>(*gid);
  }
  return user;
}

// Builds argv with some flag uses replaced: `replacement[index]` is what stands instead of the
// `span` words of the flag use at `index` (nothing, for a removed flag).
struct Edits {
  std::map<std::size_t, std::pair<std::size_t, std::vector<std::string>>> at;  // index -> {span, words}
  std::vector<std::string> after_subcommand;

  void replace(const FlagUse& use, std::vector<std::string> words) { at[use.index] = {use.span, std::move(words)}; }
  void remove(const FlagUse& use) { replace(use, {}); }

  std::vector<std::string> apply(const Invocation& inv) const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < inv.argv.size();) {
      if (auto it = at.find(i); it != at.end()) {
        out.insert(out.end(), it->second.second.begin(), it->second.second.end());
        i += it->second.first;
        continue;
      }
      out.push_back(inv.argv[i]);
      if (i == inv.subcommand_index) out.insert(out.end(), after_subcommand.begin(), after_subcommand.end());
      ++i;
    }
    return out;
  }
};

}  // namespace

Result<RewrittenArgv> rewrite_exec_flags(const Invocation& inv, const Profile& profile, const HostIdentities& host,
                                         const std::optional<std::string>& process_path) {
  Edits edits;
  Changes changes;
  Findings denials;
  // Root becomes the profile's id; another id outside the profile's range is remapped the same way
  // or refused, as user.outside_range says (identity.hpp).
  auto judged = [&](std::uint32_t id, IdKind kind, const std::string& flag) {
    const std::uint32_t replacement = kind == IdKind::uid ? profile.uid : profile.gid;
    const auto why = id == 0 ? std::nullopt : id_outside_range(id, kind, profile, host);
    if (id == 0 || (why && profile.ids_outside == Profile::Outside::remap)) return replacement;
    if (why && denials.empty()) {  // one refusal for the flag, on its first id outside
      denials.push_back({"user.ids", "refused by rule user.ids: runc exec " + flag + " (docker exec -u; kubectl exec runs as the "
                                     "container's user): " + std::string(kind == IdKind::uid ? "uid " : "gid ") + std::to_string(id) +
                                     " " + *why + "; " + identity_way_out(profile)});
    }
    return id;
  };
  for (const FlagUse& use : inv.flags) {
    const std::string value = use.value.value_or("");
    if (use.name == "process" && process_path) {
      edits.replace(use, {"--process=" + *process_path});
    } else if (use.name == "user") {
      auto user = parse_user(value);
      if (!user) return tl::unexpected(user.error());
      UserFlag hardened = *user;
      hardened.uid = judged(hardened.uid, IdKind::uid, "--user " + value);
      if (hardened.gid) hardened.gid = judged(*hardened.gid, IdKind::gid, "--user " + value);
      std::string text = std::to_string(hardened.uid);
      if (hardened.gid) text += ':' + std::to_string(*hardened.gid);
      if (text != value) {
        edits.replace(use, {"--user=" + text});
        changes.push_back({"user", "exec --user " + value + " -> " + text});
      }
    } else if (use.name == "additional-gids") {
      auto gid = parse_integer(value, "additional-gids");
      if (!gid) return tl::unexpected(gid.error());
      if (*gid < 0 || *gid > std::numeric_limits<std::uint32_t>::max()) return fail("--additional-gids '" + value + "' is not a gid");
      const auto id = static_cast<std::uint32_t>(*gid);
      const auto why = id == 0 ? std::nullopt : id_outside_range(id, IdKind::gid, profile, host);
      if (why && profile.additional_gids_outside == Profile::ExtraGroups::refuse) {
        denials.push_back({"user.additional_gids", "refused by rule user.additional_gids: runc exec --additional-gids " + value +
                                                       " (docker exec has no such flag; a process file's user.additionalGids): gid " +
                                                       value + " " + *why + "; remove it, or " + identity_way_out(profile)});
      } else if (id == 0 || why) {
        edits.remove(use);
        changes.push_back({"user", "exec: removed --additional-gids " + value + (why ? " (" + *why + ")" : "")});
      }
    } else if (use.name == "cap" && !allowed_cap(profile, value)) {
      edits.remove(use);
      changes.push_back({"capabilities", "exec: removed --cap " + value + " (not in the allow-list)"});
    } else if (use.name == "no-new-privs" && profile.no_new_privileges) {
      edits.remove(use);  // re-added once, as true, below
      if (use.value && *use.value != "true" && *use.value != "1") {
        changes.push_back({"no_new_privileges", "exec --no-new-privs=" + value + " -> --no-new-privs"});
      }
    }
  }
  if (profile.no_new_privileges) edits.after_subcommand.emplace_back("--no-new-privs");
  return RewrittenArgv{edits.apply(inv), std::move(changes), std::move(denials)};
}

Result<std::int64_t> parse_ram_bytes(const std::string& text, const std::string& flag) {
  if (text == "-1") return -1;
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) ++i;
  const std::string number = text.substr(0, i);
  std::string unit = text.substr(i);
  if (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::map<std::string, double> kUnits{{"", 1},
                                                    {"b", 1},
                                                    {"k", 1024.0},
                                                    {"m", 1024.0 * 1024},
                                                    {"g", 1024.0 * 1024 * 1024},
                                                    {"t", 1024.0 * 1024 * 1024 * 1024},
                                                    {"p", 1024.0 * 1024 * 1024 * 1024 * 1024}};
  std::string letter = unit;
  for (const char* suffix : {"ib", "b", "i"}) {
    if (letter.size() > 1 && letter.ends_with(suffix)) {
      letter.resize(letter.size() - std::char_traits<char>::length(suffix));
      break;
    }
  }
  auto multiplier = kUnits.find(letter);
  const auto value = whole_number<double>(number);
  if (!value || multiplier == kUnits.end()) return fail("--" + flag + " '" + text + "' is not a size (e.g. 512m, 1g, or bytes)");
  const double bytes = *value * multiplier->second;
  if (!std::isfinite(bytes) || bytes >= static_cast<double>(std::numeric_limits<std::int64_t>::max())) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return static_cast<std::int64_t>(bytes);
}

Result<RewrittenArgv> rewrite_update_flags(const Invocation& inv, const Profile& profile, const CurrentCpu& current) {
  // Each clamped flag: where it lives in the LinuxResources JSON and how its text is read.
  // zero_is_a_value: runc writes the flag's 0 (cpu-burst); for the others 0 means "leave unchanged".
  struct Field {
    const char* flag;
    const char* section;
    const char* key;
    bool size;
    bool zero_is_a_value;
  };
  static constexpr Field kFields[]{{"memory", "memory", "limit", true, false},
                                   {"memory-swap", "memory", "swap", true, false},
                                   {"pids-limit", "pids", "limit", false, false},
                                   {"cpu-period", "cpu", "period", false, false},
                                   {"cpu-quota", "cpu", "quota", false, false},
                                   {"cpu-burst", "cpu", "burst", false, true}};
  json resources = json::object();
  Edits edits;
  bool any = false;
  for (const Field& field : kFields) {
    const FlagUse* use = inv.flag(field.flag);
    if (use == nullptr) continue;
    const std::string text = use->value.value_or("");
    auto value = field.size ? parse_ram_bytes(text, field.flag) : parse_integer(text, field.flag);
    if (!value) return tl::unexpected(value.error());
    resources[field.section][field.key] = *value;
    any = true;
  }
  if (!any) return RewrittenArgv{inv.argv, {}, {}};
  for (const FlagUse& use : inv.flags) {
    if (std::any_of(std::begin(kFields), std::end(kFields), [&](const Field& f) { return use.name == f.flag; })) edits.remove(use);
  }
  auto clamped = clamp_update_resources(resources, profile, current);
  if (!clamped) return tl::unexpected(clamped.error());
  for (const Field& field : kFields) {
    const json* section = member(clamped->document, field.section);
    const json* value = section != nullptr ? member(*section, field.key) : nullptr;
    if (value != nullptr && (*value != 0 || (field.zero_is_a_value && inv.flag(field.flag) != nullptr))) edits.after_subcommand.push_back("--" + std::string(field.flag) + "=" + value->dump());
  }
  return RewrittenArgv{edits.apply(inv), std::move(clamped->changes), {}};
}

}  // namespace hardened
