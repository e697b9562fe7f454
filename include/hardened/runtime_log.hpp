#pragma once
// The error line for runc's --log file. containerd shows the `msg` of the last error line as the
// `docker run` error, so it is written in runc's own format: one JSON object (or logrus text) per line.
#include <string>

namespace hardened {

// RFC 3339 UTC with nanoseconds, as logrus writes it: 2026-11-22T13:47:51.123456789Z
std::string rfc3339_now();
std::string runtime_log_line(const std::string& format, const std::string& message, const std::string& time);
// Appends `line` (ending in '\n') with a single write(2) on an O_APPEND descriptor, so concurrent
// writers never interleave within a line; false when the file cannot be written.
bool append_line(const std::string& path, const std::string& line);
// Appends one line; returns false when the file cannot be written (the message still goes to stderr).
bool append_runtime_log(const std::string& path, const std::string& format, const std::string& message);

}  // namespace hardened
