// clash/log.h — structured logs: one JSON object per line.
//
// Modules log through a Logger taken from EngineOptions; the host adds a `request_id` field to
// every line it writes for a request. Secrets (OTP codes, tokens, passwords) are never logged.
//
// Thread-safety: Logger and the sinks returned here are safe for concurrent use.
//
// Example:
//   logger.Info("level loaded", {{"slug", level.slug}, {"count", std::int64_t{3}}});
//   // {"ts":"2026-11-27T06:48:44.000000Z","level":"info","msg":"level loaded","slug":"python-001","count":3}
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"

namespace clash {

enum class LogLevel { kDebug = 0, kInfo, kWarn, kError };

struct LogField {
  std::string key;
  std::variant<std::int64_t, double, bool, std::string> value;
  LogField(std::string k, std::int64_t v) : key(std::move(k)), value(v) {}
  LogField(std::string k, int v) : key(std::move(k)), value(std::int64_t{v}) {}
  LogField(std::string k, double v) : key(std::move(k)), value(v) {}
  LogField(std::string k, bool v) : key(std::move(k)), value(v) {}
  LogField(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
  LogField(std::string k, const char* v) : key(std::move(k)), value(std::string(v)) {}
  LogField(std::string k, std::string_view v) : key(std::move(k)), value(std::string(v)) {}
};

// Where log lines go. Implement it to capture logs (tests do).
class CLASH_EXPORT LogSink {
 public:
  virtual ~LogSink() = default;
  // Receives one complete line (a JSON object, no trailing newline).
  virtual void WriteLine(std::string_view line) = 0;
};

// A sink writing lines to a file descriptor (2 = stderr). Never closes it.
CLASH_EXPORT std::unique_ptr<LogSink> NewFdLogSink(int fd);

class CLASH_EXPORT Logger {
 public:
  Logger(LogSink& sink, Clock& clock, LogLevel min_level = LogLevel::kInfo)
      : sink_(sink), clock_(clock), min_level_(min_level) {}

  void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {}) const;
  void Log(LogLevel level, std::string_view msg, const std::vector<LogField>& fields) const;
  void Debug(std::string_view msg, std::initializer_list<LogField> f = {}) const { Log(LogLevel::kDebug, msg, f); }
  void Info(std::string_view msg, std::initializer_list<LogField> f = {}) const { Log(LogLevel::kInfo, msg, f); }
  void Warn(std::string_view msg, std::initializer_list<LogField> f = {}) const { Log(LogLevel::kWarn, msg, f); }
  void Error(std::string_view msg, std::initializer_list<LogField> f = {}) const { Log(LogLevel::kError, msg, f); }
  bool enabled(LogLevel level) const { return level >= min_level_; }

  // A process-wide logger writing JSON lines to stderr at info level. Never destroyed.
  static Logger& Default();

 private:
  LogSink& sink_;
  Clock& clock_;
  LogLevel min_level_;
};

// Parses "debug", "info", "warn" or "error".
CLASH_EXPORT bool ParseLogLevel(std::string_view text, LogLevel* out);

}  // namespace clash
