#include "hardened/profile_codec.hpp"

#include <charconv>
#include <type_traits>

#include "hardened/json_fields.hpp"
#include "hardened/whole_number.hpp"

namespace hardened {
namespace {

// Each value is a text item, "<length>:<bytes>": numbers in the shortest form that reads back the same
// (std::to_chars), a list its count then its items, a JSON value its dump_json text.
//
// A field added to Profile must be added here too, or a remembered profile would lose it: the size
// check below fails the build until then.
static_assert(sizeof(Profile) == 656 && sizeof(SecretsPolicy) == 72,
              "Profile changed: add the new field to fields() in profile_codec.cpp, then update these sizes");

// One list for both directions: `P` is const Profile when encoding.
template <class P, class Codec>
bool fields(P& p, Codec& c) {
  auto& s = p.secrets;
  return c(p.description) && c(p.mode) && c(p.capabilities_allow) && c(p.capabilities_ambient) && c(p.capabilities_deny) &&
         c(p.no_new_privileges) && c(p.readonly_rootfs) && c(p.tmpfs) && c(p.bind_options) && c(p.uid) && c(p.gid) &&
         c(p.pids_max) && c(p.memory_max_bytes) && c(p.cpus_max) && c(p.cpu_period_us) && c(p.masked_paths) &&
         c(p.readonly_paths) && c(p.deny_privileged) && c(p.deny_host_namespaces) && c(p.deny_bind_sources) &&
         c(p.deny_bind_sources_exact) && c(p.bind_sources_allowed) && c(p.deny_devices) && c(p.devices_allowed) &&
         c(p.deny_sysctls) && c(p.sysctls_allowed) && c(s.action) && c(s.name_patterns) && c(s.value_patterns) &&
         c(s.entropy_min_length) && c(s.entropy_min_bits) && c(p.seccomp_deny) && c(p.ids_min) && c(p.host_accounts) &&
         c(p.ids_allowed) && c(p.ids_outside) && c(p.additional_gids_outside) && c(p.beyond_ceilings) && c(p.rlimits_max);
}

class Encoder {
 public:
  bool operator()(const std::string& text) { return item(text); }
  bool operator()(bool value) { return item(value ? "1" : "0"); }
  template <class Number>
    requires std::is_arithmetic_v<Number>
  bool operator()(Number value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return item(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
  }
  bool operator()(const std::optional<Mode>& mode) { return item(mode ? mode_name(*mode) : "-"); }
  template <class Enum>
    requires std::is_enum_v<Enum>
  bool operator()(Enum value) { return (*this)(static_cast<int>(value)); }
  bool operator()(const std::optional<std::uint32_t>& id) { return id ? (*this)(*id) : item("-"); }
  bool operator()(const Profile::RlimitCeiling& c) { return (*this)(c.type) && (*this)(c.max); }
  bool operator()(const json& value) { return item(dump_json(value)); }
  template <class Item>
  bool operator()(const std::vector<Item>& items) {
    (*this)(items.size());
    for (const Item& item : items) (*this)(item);
    return true;
  }
  std::string take() { return std::move(out_); }

 private:
  bool item(std::string_view text) {
    out_ += std::to_string(text.size());
    out_ += ':';
    out_ += text;
    return true;
  }
  std::string out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view text) : rest_(text) {}

  bool operator()(std::string& out) {
    auto text = item();
    if (!text) return false;
    out = *text;
    return true;
  }
  bool operator()(bool& out) {
    auto text = item();
    if (!text || (*text != "0" && *text != "1")) return false;
    out = *text == "1";
    return true;
  }
  template <class Number>
    requires std::is_arithmetic_v<Number>
  bool operator()(Number& out) {
    auto text = item();
    auto value = text ? whole_number<Number>(*text) : std::nullopt;
    if (value) out = *value;
    return value.has_value();
  }
  bool operator()(std::optional<Mode>& out) {
    auto text = item();
    if (!text) return false;
    out = parse_mode(*text);
    return out || *text == "-";
  }
  bool operator()(SecretsPolicy::Action& out) { return choice(out, SecretsPolicy::Action::refuse); }
  bool operator()(Profile::HostAccounts& out) { return choice(out, Profile::HostAccounts::none); }
  bool operator()(Profile::Outside& out) { return choice(out, Profile::Outside::remap); }
  bool operator()(Profile::ExtraGroups& out) { return choice(out, Profile::ExtraGroups::refuse); }
  bool operator()(Profile::Excess& out) { return choice(out, Profile::Excess::refuse); }
  bool operator()(std::optional<std::uint32_t>& out) {
    if (rest_.starts_with("1:-")) return item(), out.reset(), true;
    std::uint32_t id = 0;
    if (!(*this)(id)) return false;
    out = id;
    return true;
  }
  bool operator()(Profile::RlimitCeiling& out) { return (*this)(out.type) && (*this)(out.max); }
  bool operator()(json& out) {
    auto text = item();
    auto value = text ? parse_json(*text, "a remembered profile") : fail("");
    if (value) out = std::move(*value);
    return text && value;
  }
  template <class Item>
  bool operator()(std::vector<Item>& items) {
    std::size_t count = 0;
    if (!(*this)(count) || count > rest_.size()) return false;  // every item takes at least two bytes
    items.resize(count);
    for (Item& item : items) {
      if (!(*this)(item)) return false;
    }
    return true;
  }
  bool done() const { return rest_.empty(); }

 private:
  // An enum whose values run from 0 to `last`.
  template <class Enum>
  bool choice(Enum& out, Enum last) {
    int value = -1;
    if (!(*this)(value) || value < 0 || value > static_cast<int>(last)) return false;
    out = static_cast<Enum>(value);
    return true;
  }
  std::optional<std::string_view> item() {
    const std::size_t colon = rest_.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto length = whole_number<std::size_t>(rest_.substr(0, colon));
    if (!length || *length > rest_.size() - colon - 1) return std::nullopt;
    const std::string_view text = rest_.substr(colon + 1, *length);
    rest_.remove_prefix(colon + 1 + *length);
    return text;
  }
  std::string_view rest_;
};

}  // namespace

std::string encode_profile(const Profile& profile) {
  Encoder encoder;
  fields(profile, encoder);
  return encoder.take();
}

std::optional<Profile> decode_profile(std::string_view text, const std::string& name) {
  Profile profile;
  profile.name = name;
  Decoder decoder(text);
  if (!fields(profile, decoder) || !decoder.done()) return std::nullopt;
  return profile;
}

}  // namespace hardened
