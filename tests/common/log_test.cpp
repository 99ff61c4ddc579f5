#include "clash/log.h"

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace clash {
namespace {

class CaptureSink : public LogSink {
 public:
  void WriteLine(std::string_view line) override { lines.emplace_back(line); }
  std::vector<std::string> lines;
};

TEST(LogTest, WritesOneJsonObjectPerLineWithFields) {
  CaptureSink sink;
  FakeClock clock(Timestamp::FromUnixSeconds(0));
  Logger logger(sink, clock);
  logger.Info("request", {{"request_id", "abc"}, {"status", 200}, {"ms", 1.5}, {"ok", true}});
  ASSERT_EQ(sink.lines.size(), 1u);
  auto j = nlohmann::json::parse(sink.lines[0]);
  EXPECT_EQ(j["ts"], "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["msg"], "request");
  EXPECT_EQ(j["request_id"], "abc");
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["ms"], 1.5);
  EXPECT_EQ(j["ok"], true);
}

TEST(LogTest, LevelsBelowTheMinimumAreDropped) {
  CaptureSink sink;
  FakeClock clock;
  Logger logger(sink, clock, LogLevel::kWarn);
  logger.Info("hidden");
  logger.Debug("hidden");
  logger.Error("shown");
  ASSERT_EQ(sink.lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(sink.lines[0])["level"], "error");
}

TEST(LogTest, InvalidUtf8IsReplacedNotThrown) {
  CaptureSink sink;
  FakeClock clock;
  Logger logger(sink, clock);
  logger.Warn("bad", {{"value", std::string("\xff\xfe")}});
  ASSERT_EQ(sink.lines.size(), 1u);
  EXPECT_TRUE(nlohmann::json::accept(sink.lines[0]));
}

TEST(LogTest, ParseLogLevel) {
  LogLevel level;
  EXPECT_TRUE(ParseLogLevel("warn", &level));
  EXPECT_EQ(level, LogLevel::kWarn);
  EXPECT_FALSE(ParseLogLevel("loud", &level));
}

}  // namespace
}  // namespace clash
