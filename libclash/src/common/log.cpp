#include "clash/log.h"

#include <unistd.h>

#include <mutex>

#include <nlohmann/json.hpp>

namespace clash {
namespace {

class FdLogSink final : public LogSink {
 public:
  explicit FdLogSink(int fd) : fd_(fd) {}
  void WriteLine(std::string_view line) override {
    std::string buf(line);
    buf.push_back('\n');
    std::lock_guard<std::mutex> lock(mu_);
    const char* p = buf.data();
    std::size_t left = buf.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n <= 0) return;  // logging must never take the process down
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }

 private:
  int fd_;
  std::mutex mu_;
};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

template <typename Fields>
void Emit(LogSink& sink, Clock& clock, LogLevel level, std::string_view msg, const Fields& fields) {
  nlohmann::ordered_json j;
  j["ts"] = clock.Now().ToIso8601();
  j["level"] = LevelName(level);
  j["msg"] = std::string(msg);
  for (const LogField& f : fields) {
    std::visit([&](const auto& v) { j[f.key] = v; }, f.value);
  }
  sink.WriteLine(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

std::unique_ptr<LogSink> NewFdLogSink(int fd) { return std::make_unique<FdLogSink>(fd); }

void Logger::Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) const {
  if (!enabled(level)) return;
  Emit(sink_, clock_, level, msg, fields);
}

void Logger::Log(LogLevel level, std::string_view msg, const std::vector<LogField>& fields) const {
  if (!enabled(level)) return;
  Emit(sink_, clock_, level, msg, fields);
}

Logger& Logger::Default() {
  static LogSink* sink = NewFdLogSink(2).release();
  static Logger* logger = new Logger(*sink, Clock::Real());
  return *logger;
}

bool ParseLogLevel(std::string_view text, LogLevel* out) {
  if (text == "debug") *out = LogLevel::kDebug;
  else if (text == "info") *out = LogLevel::kInfo;
  else if (text == "warn") *out = LogLevel::kWarn;
  else if (text == "error") *out = LogLevel::kError;
  else return false;
  return true;
}

}  // namespace clash
