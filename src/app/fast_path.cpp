#include "hardened/fast_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

#include "hardened/host_config.hpp"
#include "hardened/invocation.hpp"
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
  // A string; `out` gets its value when it has no escapes other than \" \\ \/.
  bool string(std::string* out) {
    ws();
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    for (++i_; i_ < s_.size(); ++i_) {
      const char c = s_[i_];
      if (c == '"') return ++i_, true;
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) return false;
      if (c != '\\') {
        if (out != nullptr) out->push_back(c);
        continue;
      }
      if (++i_ >= s_.size()) return false;
      const char e = s_[i_];
      if (e == '"' || e == '\\' || e == '/') {
        if (out != nullptr) out->push_back(e);
      } else if (out != nullptr || std::string_view("bfnrtu").find(e) == std::string_view::npos) {
        return false;  // an escape the value would need decoding for: leave it to the full parser
      } else if (e == 'u') {
        for (int k = 0; k < 4; ++k) {
          if (++i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) return false;
        }
      }
    }
    return false;
  }
  bool value(int depth) {
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

std::optional<std::string> read_small_file(const char* path, bool& missing) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  missing = fd < 0 && errno == ENOENT;
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0 && text.size() < (1 << 20)) text.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  if (n < 0) return std::nullopt;
  return text;
}

}  // namespace

std::optional<std::string> scan_host_config_runtime(std::string_view text) {
  Scanner scan(text);
  std::string runtime;
  if (!scan.consume('{')) return std::nullopt;
  if (!scan.consume('}')) {
    do {
      std::string key;
      if (!scan.string(&key) || !scan.consume(':')) return std::nullopt;
      if (key == "runtime" || key == "profiles_dir" || key == "default_profile" || key == "log_file" || key == "mode" ||
          key == "state_dir") {
        std::string value;
        if (!scan.string(&value)) return std::nullopt;
        if (key == "runtime") runtime = value;
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

std::optional<FastPassThrough> plan_fast_passthrough(const std::vector<std::string>& argv, const char* config_env,
                                                     const char* path_env) {
  if (is_tool_command(argv)) return std::nullopt;
  auto inv = parse_invocation(argv);
  if (!inv || inv->command != Command::passthrough) return std::nullopt;
  const HostConfigLocation location = host_config_location(inv->config_path, config_env);
  HostConfig config;
  bool missing = false;
  if (auto text = read_small_file(location.path.c_str(), missing)) {
    auto runtime = scan_host_config_runtime(*text);
    if (!runtime) return std::nullopt;
    config.runtime = *runtime;
    config.source = location.path;
  } else if (!missing || location.must_exist) {
    return std::nullopt;
  }
  auto runc = locate_runc(config, path_env);
  if (!runc) return std::nullopt;
  return FastPassThrough{*runc, inv->argv};
}

}  // namespace hardened
