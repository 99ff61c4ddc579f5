#include <set>

#include "clash/clock.h"
#include "clash/rng.h"
#include "support/test_support.h"

namespace clash {
namespace {

TEST(ClockTest, FakeClockMovesOnlyWhenAdvanced) {
  FakeClock clock(Timestamp::FromUnixSeconds(1000));
  EXPECT_EQ(clock.Now().unix_seconds(), 1000);
  EXPECT_EQ(clock.Now().unix_seconds(), 1000);
  clock.Advance(std::chrono::hours(25));
  EXPECT_EQ(clock.Now().unix_seconds(), 1000 + 25 * 3600);
  EXPECT_EQ(clock.Monotonic(), std::chrono::hours(25));
  clock.Set(Timestamp::FromUnixSeconds(5));
  EXPECT_EQ(clock.Now().unix_micros(), 5'000'000);
}

TEST(ClockTest, Iso8601IsUtcWithMicros) {
  EXPECT_EQ(Timestamp::FromUnixMicros(1'700'000'000'123'456).ToIso8601(), "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(Timestamp::FromUnixSeconds(0).ToIso8601(), "1970-01-01T00:00:00.000000Z");
}

TEST(ClockTest, RealClockIsNearNowAndMonotonicNeverGoesBack) {
  Clock& real = Clock::Real();
  EXPECT_GT(real.Now().unix_seconds(), 1'700'000'000);
  auto a = real.Monotonic();
  auto b = real.Monotonic();
  EXPECT_LE(a, b);
}

TEST(RngTest, SeededRngIsDeterministic) {
  SeededRng a(42), b(42), c(43);
  std::string ta = a.HexToken(16);
  EXPECT_EQ(ta.size(), 32u);
  EXPECT_EQ(ta, b.HexToken(16));
  EXPECT_NE(ta, c.HexToken(16));
}

TEST(RngTest, UniformStaysInRangeAndCoversIt) {
  SeededRng rng(7);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    std::uint64_t v = rng.Uniform(3, 9);
    ASSERT_GE(v, 3u);
    ASSERT_LE(v, 9u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(RngTest, SecureRngGivesDistinctTokens) {
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) tokens.insert(Rng::Secure().HexToken(16));
  EXPECT_EQ(tokens.size(), 100u);
}

}  // namespace
}  // namespace clash
