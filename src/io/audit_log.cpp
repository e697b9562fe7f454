#include "hardened/audit_log.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>

#include "hardened/runtime_log.hpp"

namespace hardened {

Result<void> write_audit_line(const std::string& log_file, json record) {
  if (log_file.empty()) return {};
  record["time"] = rfc3339_now();
  try {
    // A private logger, not the global registry: it is gone (and its file closed) before we exec runc.
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_st>(log_file);
    spdlog::logger logger("audit", std::move(sink));
    logger.set_pattern("%v");
    logger.info(record.dump());
    logger.flush();
  } catch (const spdlog::spdlog_ex& e) {
    return fail("cannot write the audit log " + log_file + ": " + e.what());
  }
  return {};
}

}  // namespace hardened
