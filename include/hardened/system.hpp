#pragma once
// The process-level side effects, behind one small interface so the orchestration is tested without
// replacing the test process: exec, stdin, and the environment.
#include <string>
#include <vector>

#include "hardened/error.hpp"

namespace hardened {

class System {
 public:
  virtual ~System() = default;
  // Replaces the process with `path`; returns only on failure.
  virtual Error exec(const std::string& path, const std::vector<std::string>& argv) = 0;
  virtual Result<std::string> read_stdin() = 0;
  // The next exec'd program reads `text` as its standard input.
  virtual Result<void> replace_stdin(const std::string& text) = 0;
  // Just before runc starts a container process (create/run/exec, enforce mode): stdin/stdout/stderr
  // that are host files or devices are replaced (stdio_guard.hpp), so runc's chown cannot reach them.
  virtual Result<void> guard_stdio(const std::string& state_dir) = 0;
  // A file only the next exec'd program can open, holding `text`: a path like /proc/self/fd/N (a memfd
  // left open across exec). How runc gets a hardened copy without touching the caller's file.
  virtual Result<std::string> pass_file(const std::string& text) = 0;
  virtual const char* getenv(const char* name) = 0;
  virtual void print_error(const std::string& line) = 0;  // stderr; never stdout
};

System& real_system();

}  // namespace hardened
