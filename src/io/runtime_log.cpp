#include "hardened/runtime_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include "hardened/json_fields.hpp"

namespace hardened {

namespace {

// `width` decimal digits of `value`, zero-padded, at `at`.
void put_digits(char* at, int width, long long value) {
  for (int i = width - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
}

}  // namespace

std::string rfc3339_now() {
  // Calendar arithmetic by std::chrono: gmtime_r and strftime both read /etc/localtime first, for a
  // zone a UTC time never uses. Digits written by hand: snprintf would bring glibc's printf machinery
  // (some 30 KB of code) into every create's path for one line.
  using namespace std::chrono;
  const auto now = floor<nanoseconds>(system_clock::now());
  const auto day = floor<days>(now);
  const year_month_day date{day};
  const hh_mm_ss time{now - day};
  std::string text = "0000-00-00T00:00:00.000000000Z";
  put_digits(&text[0], 4, static_cast<int>(date.year()));
  put_digits(&text[5], 2, static_cast<unsigned>(date.month()));
  put_digits(&text[8], 2, static_cast<unsigned>(date.day()));
  put_digits(&text[11], 2, time.hours().count());
  put_digits(&text[14], 2, time.minutes().count());
  put_digits(&text[17], 2, time.seconds().count());
  put_digits(&text[20], 9, time.subseconds().count());
  return text;
}

std::string runtime_log_line(const std::string& format, const std::string& message, const std::string& time) {
  if (format == "json") {
    json line = json::object();
    line["level"] = "error";
    line["msg"] = message;
    line["time"] = time;
    return dump_json(line) + "\n";
  }
  // logrus text format; the message is quoted the way JSON quotes strings.
  return "time=\"" + time + "\" level=error msg=" + dump_json(json(message)) + "\n";
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
