#include "hardened/runtime_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <ctime>

#include "hardened/json_fields.hpp"

namespace hardened {

std::string rfc3339_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  tm utc{};
  ::gmtime_r(&ts.tv_sec, &utc);
  char text[64];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char nanos[16];
  std::snprintf(nanos, sizeof nanos, ".%09ldZ", ts.tv_nsec);
  return std::string(text, n) + nanos;
}

std::string runtime_log_line(const std::string& format, const std::string& message, const std::string& time) {
  if (format == "json") {
    json line = json::object();
    line["level"] = "error";
    line["msg"] = message;
    line["time"] = time;
    return line.dump() + "\n";
  }
  // logrus text format; the message is quoted the way JSON quotes strings.
  return "time=\"" + time + "\" level=error msg=" + json(message).dump() + "\n";
}

bool append_line(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  return ok;
}

bool append_runtime_log(const std::string& path, const std::string& format, const std::string& message) {
  return append_line(path, runtime_log_line(format, message, rfc3339_now()));
}

}  // namespace hardened
