#include "hardened/runtime_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "hardened/json_fields.hpp"

namespace hardened {

std::string rfc3339_now() {
  // Calendar arithmetic by std::chrono: gmtime_r and strftime both read /etc/localtime first, for a
  // zone a UTC time never uses.
  using namespace std::chrono;
  const auto now = floor<nanoseconds>(system_clock::now());
  const auto day = floor<days>(now);
  const year_month_day date{day};
  const hh_mm_ss time{now - day};
  char text[48];
  const int n = std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%09lldZ", static_cast<int>(date.year()),
                              static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                              static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                              static_cast<long long>(time.subseconds().count()));
  return std::string(text, static_cast<std::size_t>(n));
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
