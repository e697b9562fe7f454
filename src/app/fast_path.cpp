#include "hardened/fast_path.hpp"
#include "hardened/early_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <span>

#include "hardened/host_config.hpp"
#include "hardened/invocation.hpp"
#include "hardened/passthrough_target.hpp"
#include "hardened/runc_locator.hpp"
#include "hardened/tools.hpp"

namespace hardened {
namespace {

// A strict reader of the JSON subset a host config is written in. Any surprise is a failure.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  bool at_end() {
    ws();
    return i_ == s_.size();
  }
  bool consume(char c) {
    ws();
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  // A string; `out` gets its value, which then must have no escapes (it would need decoding: the full
  // parser does that).
  HARDENED_EARLY_PATH bool string(std::string_view* out) {
    ws();
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    const std::size_t start = ++i_;
    for (; i_ < s_.size(); ++i_) {
      const char c = s_[i_];
      if (c == '"') {
        if (out != nullptr) *out = s_.substr(start, i_ - start);
        return ++i_, true;
      }
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) return false;
      if (c != '\\') continue;
      if (out != nullptr || ++i_ >= s_.size()) return false;
      const char e = s_[i_];
      if (std::string_view("\"\\/bfnrtu").find(e) == std::string_view::npos) return false;
      for (int k = 0; e == 'u' && k < 4; ++k) {
        if (++i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) return false;
      }
    }
    return false;
  }
  HARDENED_EARLY_PATH bool value(int depth) {
    ws();
    if (i_ >= s_.size() || depth > 64) return false;
    const char c = s_[i_];
    if (c == '"') return string(nullptr);
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++i_;
      if (consume(close)) return true;
      do {
        if (c == '{' && !(string(nullptr) && consume(':'))) return false;
        if (!value(depth + 1)) return false;
      } while (consume(','));
      return consume(close);
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (s_.substr(i_, word.size()) == word) return i_ += word.size(), true;
    }
    return number();
  }

 private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool digits() {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ > start;
  }
  bool number() {
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ < s_.size() && s_[i_] == '0') ++i_;
    else if (!digits()) return false;
    if (i_ < s_.size() && s_[i_] == '.' && (++i_, !digits())) return false;
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digits()) return false;
    }
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// The whole of a small file in `buffer` with one read: a regular file's read is short only at its end,
// and a file caught half-written is not valid JSON, which sends the call to the full parser.
HARDENED_EARLY_PATH std::optional<std::string_view> read_small_file(const char* path, std::array<char, 8192>& buffer, bool& missing) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  missing = fd < 0 && errno == ENOENT;
  if (fd < 0) return std::nullopt;
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  ::close(fd);
  if (n < 0 || static_cast<std::size_t>(n) == buffer.size()) return std::nullopt;
  return std::string_view(buffer.data(), static_cast<std::size_t>(n));
}

// state_dir + middle + name + suffix into `path`, NUL-terminated; false when it does not fit.
HARDENED_EARLY_PATH bool join(std::array<char, 4096>& path, std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (std::string_view part : parts) {
    if (n + part.size() >= path.size()) return false;
    for (const char c : part) path[n++] = c;
  }
  path[n] = '\0';
  return true;
}

// Whether a create left something for container `id`, a staged bind source (stage.hpp) or its creation
// record: then main's path removes them before runc's delete. Stats, into a buffer on the stack.
HARDENED_EARLY_PATH bool create_left_something(std::string_view state_dir, std::string_view id) {
  std::array<char, 4096> path;
  struct stat st {};
  if (state_dir.empty() || id.empty()) return false;
  if (!join(path, {state_dir, "/stages/", id}) || ::stat(path.data(), &st) == 0) return true;
  return !join(path, {state_dir, "/", id, ".json"}) || ::stat(path.data(), &st) == 0;
}

enum class RecordLookup { none, runtime, leave_to_normal_path };

// The runtime container `id`'s creation record names, as the normal path reads it (continuation.hpp):
// `runtime` gets it (a view into `buffer`); a record asking for more than a runtime (a --root the call
// does not give) or one the scanner does not understand is left to the normal path.
HARDENED_EARLY_PATH RecordLookup recorded_runtime(std::string_view state_dir, std::string_view id, bool root_named,
                                                  std::array<char, 8192>& buffer, std::string_view& runtime) {
  std::array<char, 4096> path;
  if (state_dir.empty() || id.empty() || id.front() == '.' || id.find('/') != std::string_view::npos) return RecordLookup::none;
  if (!join(path, {state_dir, "/", id, ".json"})) return RecordLookup::leave_to_normal_path;
  bool missing = false;
  const auto text = read_small_file(path.data(), buffer, missing);
  if (!text) return missing ? RecordLookup::none : RecordLookup::leave_to_normal_path;
  RecordScan record;
  if (!scan_creation_record(*text, record)) return RecordLookup::leave_to_normal_path;
  if (!record.has_profile || record.runtime.empty()) return RecordLookup::none;
  if (!record.root.empty() && !root_named) return RecordLookup::leave_to_normal_path;
  if (record.runtime.front() != '/') return RecordLookup::leave_to_normal_path;
  runtime = record.runtime;
  return RecordLookup::runtime;
}

}  // namespace

HARDENED_EARLY_PATH bool scan_creation_record(std::string_view text, RecordScan& out) {
  Scanner scan(text);
  if (!scan.consume('{')) return false;
  if (!scan.consume('}')) {
    do {
      std::string_view key;
      if (!scan.string(&key) || !scan.consume(':')) return false;
      if (key == "runtime" || key == "root") {
        if (!scan.string(key == "runtime" ? &out.runtime : &out.root)) return false;
      } else if (key == "profile") {
        if (!scan.string(nullptr)) return false;
        out.has_profile = true;
      } else if (!scan.value(1)) {
        return false;
      }
    } while (scan.consume(','));
    if (!scan.consume('}')) return false;
  }
  return scan.at_end();
}

HARDENED_EARLY_PATH std::optional<std::string_view> scan_host_config_runtime(std::string_view text, std::string_view* state_dir) {
  Scanner scan(text);
  std::string_view runtime;
  if (!scan.consume('{')) return std::nullopt;
  if (!scan.consume('}')) {
    do {
      std::string_view key;
      if (!scan.string(&key) || !scan.consume(':')) return std::nullopt;
      if (key == "runtime") {
        if (!scan.string(&runtime)) return std::nullopt;
      } else if (key == "state_dir") {
        if (!scan.string(state_dir)) return std::nullopt;
      } else if (key == "profiles_dir" || key == "default_profile" || key == "log_file" || key == "mode") {
        if (!scan.string(nullptr)) return std::nullopt;
      } else if (key == "annotation_profiles" || key == "rules" || key == "relaxation_maxima") {
        if (!scan.value(1)) return std::nullopt;
      } else {
        return std::nullopt;  // unknown: the full parser refuses it, with the message
      }
    } while (scan.consume(','));
    if (!scan.consume('}')) return std::nullopt;
  }
  if (!scan.at_end()) return std::nullopt;
  if (!runtime.empty() && runtime.front() != '/') return std::nullopt;
  return runtime;
}

HARDENED_EARLY_PATH bool plan_fast_passthrough(int argc, char* const* argv, const char* config_env, const char* path_env, FastPassThrough& out) {
  if (argc < 1 || static_cast<std::size_t>(argc) > FastPassThrough::kMaxArgs) return false;
  std::array<std::string_view, FastPassThrough::kMaxArgs> words;
  for (int k = 0; k < argc; ++k) words[static_cast<std::size_t>(k)] = argv[k];
  const std::span<const std::string_view> all(words.data(), static_cast<std::size_t>(argc));
  const GlobalFlags globals = read_global_flags(all);
  if (globals.stop != GlobalFlags::Stop::none) return false;
  if (globals.subcommand_index < all.size() && is_tool_name(all[globals.subcommand_index])) return false;
  if (globals.subcommand_index < all.size() && command_of(all[globals.subcommand_index]) != Command::passthrough) return false;

  // runc's argv: ours without --config and --profile.
  std::optional<std::string_view> config_option;
  bool root_named = false;
  std::size_t n = 0;
  out.argv[n++] = out.runc.data();  // runc's own path: its help and usage errors then name runc
  std::size_t next = 1;
  for (std::size_t k = 0; k < globals.count; ++k) {
    const GlobalFlag& flag = globals.flags[k];
    if (flag.name == "root") root_named = true;
    if (!is_own_option(flag)) continue;
    if (flag.name == "config") config_option = flag.value;
    while (next < flag.index) out.argv[n++] = argv[next++];
    next = flag.index + flag.span;
  }
  while (next < all.size()) out.argv[n++] = argv[next++];
  out.argv[n] = nullptr;

  // A view of argv or the environment, so NUL-terminated.
  const HostConfigLocation location = host_config_location(config_option, config_env);
  std::array<char, 8192> buffer;
  bool missing = false;
  std::string_view runtime;
  std::string_view state_dir = "/run/hardened-runtime";
  if (auto text = read_small_file(location.path.data(), buffer, missing)) {
    auto scanned = scan_host_config_runtime(*text, &state_dir);
    if (!scanned) return false;
    runtime = *scanned;
  } else if (!missing || location.must_exist) {
    return false;
  }
  const std::string_view id = passthrough_container(all, globals.subcommand_index);
  if (globals.subcommand_index < all.size() && all[globals.subcommand_index] == "delete" && create_left_something(state_dir, id)) return false;
  // A container lives in the runtime that created it (continuation.hpp).
  std::array<char, 8192> record_buffer;
  switch (recorded_runtime(state_dir, id, root_named, record_buffer, runtime)) {
    case RecordLookup::none: break;
    case RecordLookup::runtime: return search_runc(runtime, nullptr, out.runc) == RuncSearch::found;
    case RecordLookup::leave_to_normal_path: return false;
  }
  return search_runc(runtime, path_env, out.runc) == RuncSearch::found;
}

}  // namespace hardened
