// The rate-limiter and replay-cache contract, run against the in-process backend and against the
// Redis backend on the server from CLASH_TEST_REDIS_URL; plus backend-specific tests.
#include <Poco/Net/StreamSocket.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "clash/ratelimit.h"
#include "support/test_support.h"
#include "transport/test_servers.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using std::chrono::seconds;

std::optional<std::string> RedisUrl() {
  const char* url = std::getenv("CLASH_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

std::string UniquePrefix() {
  static std::atomic<int> n{0};
  std::random_device rd;
  return "clash:test:" + std::to_string(rd()) + "-" + std::to_string(n++) + ":";
}

struct Backend {
  std::string name;
  std::function<std::unique_ptr<RateLimiter>(Clock&)> limiter;
  std::function<std::unique_ptr<ReplayCache>(Clock&)> replay;
};

void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

std::vector<Backend> Backends() {
  return {
      {"InProcess", [](Clock& c) { return NewInProcessRateLimiter(c); },
       [](Clock& c) { return NewInProcessReplayCache(c); }},
      {"Redis",
       [](Clock& c) -> std::unique_ptr<RateLimiter> {
         auto r = NewRedisRateLimiter(*RedisUrl(), c, {.key_prefix = UniquePrefix()});
         EXPECT_THAT(r, IsOk());
         return r.ok() ? std::move(r).value() : nullptr;
       },
       [](Clock& c) -> std::unique_ptr<ReplayCache> {
         auto r = NewRedisReplayCache(*RedisUrl(), c, {.key_prefix = UniquePrefix()});
         EXPECT_THAT(r, IsOk());
         return r.ok() ? std::move(r).value() : nullptr;
       }},
  };
}

class RateLimiterContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam().name == "Redis" && !RedisUrl()) {
      // Never a skip: without a server the Redis half fails (scripts/test.sh starts one).
      FAIL() << "CLASH_TEST_REDIS_URL is not set (start one with scripts/redis-start.sh, or run scripts/test.sh)";
    }
    limiter_ = GetParam().limiter(clock_);
    replay_ = GetParam().replay(clock_);
    ASSERT_NE(limiter_, nullptr);
    ASSERT_NE(replay_, nullptr);
  }

  RateDecision Take(std::string_view key, const RateLimit& limit, int cost = 1) {
    auto d = limiter_->Take(key, limit, cost);
    EXPECT_THAT(d, IsOk());
    return d.ok() ? *d : RateDecision{};
  }

  FakeClock clock_{Timestamp::FromUnixSeconds(1'700'000'000)};
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<ReplayCache> replay_;
};

TEST_P(RateLimiterContract, AllowsExactlyCapacityThenRefillsAfterTheWindow) {
  const RateLimit limit = kOtpPerEmailRateLimit;  // 5 per 10 min
  for (int i = 0; i < 5; ++i) {
    const RateDecision d = Take("otp:a@b.c", limit);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 4 - i);
    EXPECT_EQ(d.retry_after, seconds(0));
  }
  RateDecision d = Take("otp:a@b.c", limit);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_EQ(d.retry_after, seconds(600));
  clock_.Advance(seconds(599));
  d = Take("otp:a@b.c", limit);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, seconds(1));
  clock_.Advance(seconds(1));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(Take("otp:a@b.c", limit).allowed) << i;
  EXPECT_FALSE(Take("otp:a@b.c", limit).allowed);
}

TEST_P(RateLimiterContract, WindowSlides) {
  const RateLimit limit{5, seconds(600)};
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Take("k", limit).allowed);  // t = 0
  clock_.Advance(seconds(300));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Take("k", limit).allowed);  // t = 300
  clock_.Advance(seconds(1));
  RateDecision d = Take("k", limit);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, seconds(299));  // the t = 0 units expire at t = 600
  clock_.Advance(seconds(299));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Take("k", limit).allowed) << i;
  d = Take("k", limit);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, seconds(300));  // the t = 300 units expire at t = 900
}

TEST_P(RateLimiterContract, RetryAfterRoundsUp) {
  const RateLimit limit{1, seconds(1)};
  ASSERT_TRUE(Take("k", limit).allowed);
  clock_.Advance(std::chrono::milliseconds(400));
  const RateDecision d = Take("k", limit);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, seconds(1));
  clock_.Advance(std::chrono::milliseconds(600));
  EXPECT_TRUE(Take("k", limit).allowed);
}

TEST_P(RateLimiterContract, CostCountsUnits) {
  const RateLimit limit{10, seconds(60)};
  RateDecision d = Take("k", limit, 7);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 3);
  d = Take("k", limit, 4);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 3);
  EXPECT_EQ(d.retry_after, seconds(60));
  d = Take("k", limit, 3);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
}

TEST_P(RateLimiterContract, KeysAreIndependent) {
  const RateLimit limit{1, seconds(60)};
  EXPECT_TRUE(Take("ip:1", limit).allowed);
  EXPECT_FALSE(Take("ip:1", limit).allowed);
  EXPECT_TRUE(Take("ip:2", limit).allowed);
}

TEST_P(RateLimiterContract, RejectsInvalidArguments) {
  EXPECT_THAT(limiter_->Take("", kAnonRateLimit), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(limiter_->Take("k", RateLimit{0, seconds(60)}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(limiter_->Take("k", RateLimit{5, seconds(0)}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(limiter_->Take("k", kAnonRateLimit, 0), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(limiter_->Take("k", RateLimit{5, seconds(60)}, 6), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(replay_->MarkSeen("", std::chrono::seconds(1)), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(replay_->MarkSeen("n", std::chrono::milliseconds(0)), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(RateLimiterContract, CheckRateLimitTurnsDenialIntoResourceExhausted) {
  const RateLimit limit{2, seconds(60)};
  EXPECT_THAT(CheckRateLimit(*limiter_, "k", limit), IsOk());
  EXPECT_THAT(CheckRateLimit(*limiter_, "k", limit), IsOk());
  clock_.Advance(seconds(15));
  const Status s = CheckRateLimit(*limiter_, "k", limit);
  EXPECT_THAT(s, StatusIs(StatusCode::kResourceExhausted));
  EXPECT_EQ(s.retry_after_seconds(), std::optional<int>(45));
}

TEST_P(RateLimiterContract, SixteenThreadsOnOneKeyGetExactlyCapacity) {
  const RateLimit limit{50, seconds(60)};
  std::atomic<int> allowed{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto d = limiter_->Take("hot", limit);
        if (!d.ok()) ++errors;
        else if (d->allowed) ++allowed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(allowed.load(), 50);
}

TEST_P(RateLimiterContract, ReplayCacheSeesOnceUntilTtl) {
  EXPECT_THAT(replay_->MarkSeen("jti-1", seconds(60)), IsOkAndHolds(true));
  EXPECT_THAT(replay_->MarkSeen("jti-1", seconds(60)), IsOkAndHolds(false));
  EXPECT_THAT(replay_->MarkSeen("jti-2", seconds(60)), IsOkAndHolds(true));
  clock_.Advance(seconds(59));
  EXPECT_THAT(replay_->MarkSeen("jti-1", seconds(60)), IsOkAndHolds(false));
  clock_.Advance(seconds(1));
  EXPECT_THAT(replay_->MarkSeen("jti-1", seconds(60)), IsOkAndHolds(true));
}

TEST_P(RateLimiterContract, ReplayCacheIsAtomicUnderConcurrency) {
  std::atomic<int> firsts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      auto r = replay_->MarkSeen("webhook-evt-1", seconds(60));
      if (r.ok() && *r) ++firsts;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(firsts.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, RateLimiterContract, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& p) { return p.param.name; });

// ---------------------------------------------------------------------------------------------
// Backend-specific

TEST(RateLimits, DefaultsMatchTheReferenceExceptTheOtpAddressScopes) {
  const RateLimitPolicy policy;
  auto limit = [&](const char* scope) { return policy.Limit(scope).value(); };
  EXPECT_EQ(limit("anon").capacity, 20);
  EXPECT_EQ(limit("user").capacity, 100);
  EXPECT_EQ(limit("auth").capacity, 10);
  EXPECT_EQ(limit("store").capacity, 30);
  EXPECT_EQ(limit("notifications").capacity, 180);
  EXPECT_EQ(limit("sensitive").capacity, 5);
  for (const char* scope : {"anon", "user", "auth", "store", "notifications", "sensitive", "judge"}) {
    EXPECT_EQ(limit(scope).window, seconds(60)) << scope;
  }
  // A school behind one address logs a class in: 60 codes (and 120 verifications) per 10 minutes
  // from one address, while one mailbox still gets 5.
  EXPECT_EQ(limit("otp").capacity, 60);
  EXPECT_EQ(limit("otp").window, seconds(600));
  EXPECT_EQ(limit("otp_verify").capacity, 120);
  EXPECT_EQ(limit("otp_email").capacity, 5);
  EXPECT_EQ(limit("otp_email").window, seconds(600));
  EXPECT_EQ(policy.KeyOf("otp"), RateLimitKey::kClientAddress);
  EXPECT_EQ(policy.KeyOf("otp_verify"), RateLimitKey::kClientAddress);
  EXPECT_EQ(policy.KeyOf("otp_email"), RateLimitKey::kMailbox);
  EXPECT_EQ(policy.KeyOf("user"), RateLimitKey::kCaller);
  EXPECT_THAT(policy.Limit("nope"), StatusIs(StatusCode::kInvalidArgument));
  // The chat scopes (issue 14): 5 connects a minute, 30 frames a minute in bursts of at most 5 per
  // 5 s, typing counted on its own.
  EXPECT_EQ(limit("chat_connect").capacity, 5);
  EXPECT_EQ(limit("chat_connect").window, seconds(60));
  EXPECT_EQ(limit("chat_message").capacity, 30);
  EXPECT_EQ(limit("chat_message").window, seconds(60));
  EXPECT_EQ(limit("chat_burst").capacity, 5);
  EXPECT_EQ(limit("chat_burst").window, seconds(5));
  EXPECT_EQ(limit("chat_typing").capacity, 20);
  EXPECT_EQ(policy.KeyOf("chat_message"), RateLimitKey::kCaller);
  EXPECT_EQ(RateLimitScopes().size(), 14u);
}

TEST(RateLimits, OverridesReplaceOneScopeAndNameBadItems) {
  Result<RateLimitPolicy> p = RateLimitPolicy::WithOverrides({"otp=100/10m", "anon=30/min"});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->Limit("otp")->capacity, 100);
  EXPECT_EQ(p->Limit("otp")->window, seconds(600));
  EXPECT_EQ(p->Limit("anon")->capacity, 30);
  EXPECT_EQ(p->Limit("user")->capacity, 100);
  EXPECT_EQ(p->ToString().substr(0, 25), "anon=30/60s,user=100/60s,");
  for (const char* bad : {"otp", "=5/m", "bogus=5/m", "otp=five/m", "otp=5/10", "otp=5/0m", "otp=5/10x"}) {
    Result<RateLimitPolicy> r = RateLimitPolicy::WithOverrides({bad});
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument)) << bad;
    EXPECT_NE(r.status().message().find(bad), std::string::npos) << bad;
  }
}

TEST(RateLimits, MailboxKeysFoldPlusTagsAndCase) {
  EXPECT_EQ(MailboxKey("Ada+x@Example.com"), "ada@example.com");
  EXPECT_EQ(MailboxKey("ada+1+2@example.com"), "ada@example.com");
  EXPECT_EQ(MailboxKey("ada@example.com"), "ada@example.com");
  EXPECT_EQ(MailboxKey("adam@example.com"), "adam@example.com");
  EXPECT_EQ(MailboxKey("a@b+c.com"), "a@b+c.com");  // a plus in the domain is not a tag
  EXPECT_EQ(MailboxKey("no-at-sign"), "no-at-sign");
}

TEST(RateLimits, ParsesAMultiplierBeforeTheUnit) {
  EXPECT_EQ(ParseRateLimit("60/10m")->window, seconds(600));
  EXPECT_EQ(ParseRateLimit("60/10min")->window, seconds(600));
  EXPECT_EQ(ParseRateLimit("5/600s")->window, seconds(600));
  EXPECT_EQ(ParseRateLimit("1/2d")->window, seconds(2 * 86400));
  for (const char* bad : {"5/10", "5/0m", "5/-1m", "5/10q", "5/m5"}) {
    EXPECT_THAT(ParseRateLimit(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(RateLimits, ParsesTheReferenceFormat) {
  auto r = ParseRateLimit("20/minute");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->capacity, 20);
  EXPECT_EQ(r->window, seconds(60));
  EXPECT_EQ(ParseRateLimit("10/s")->window, seconds(1));
  EXPECT_EQ(ParseRateLimit("100/hour")->window, seconds(3600));
  EXPECT_EQ(ParseRateLimit("1/day")->window, seconds(86400));
  for (const char* bad : {"", "20", "/minute", "x/minute", "0/minute", "-1/m", "5/week", "5/"}) {
    EXPECT_THAT(ParseRateLimit(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(InProcessRateLimiter, MemoryIsBoundedByForgettingLeastRecentlyUsedKeys) {
  FakeClock clock;
  auto limiter = NewInProcessRateLimiter(clock, {.max_keys = 32});
  const RateLimit limit{1, seconds(3600)};
  ASSERT_TRUE(limiter->Take("victim", limit)->allowed);
  ASSERT_FALSE(limiter->Take("victim", limit)->allowed);
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(limiter->Take("k" + std::to_string(i), limit)->allowed);
  // "victim" was evicted: its history is gone.
  EXPECT_TRUE(limiter->Take("victim", limit)->allowed);
}

class RedisBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RedisUrl()) {
      // Never a skip: without a server the Redis half fails (scripts/test.sh starts one).
      FAIL() << "CLASH_TEST_REDIS_URL is not set (start one with scripts/redis-start.sh, or run scripts/test.sh)";
    }
    const std::string url = *RedisUrl();
    const auto hostport = url.substr(url.find("://") + 3);
    admin_.connect(hostport, Poco::Timespan(2, 0));
  }

  Poco::Redis::Client admin_;
  FakeClock clock_;
  std::string prefix_ = UniquePrefix();
};

TEST_F(RedisBackend, KeysExpireAfterTheWindow) {
  auto limiter = NewRedisRateLimiter(*RedisUrl(), clock_, {.key_prefix = prefix_});
  ASSERT_THAT(limiter, IsOk());
  ASSERT_TRUE((*limiter)->Take("k", RateLimit{5, seconds(600)})->allowed);
  Poco::Redis::Array pttl;
  pttl << "PTTL" << prefix_ + "k";
  const auto ms = admin_.execute<Poco::Int64>(pttl);
  EXPECT_GT(ms, 590'000);
  EXPECT_LE(ms, 600'000);
}

TEST_F(RedisBackend, RecoversFromKilledConnectionsAndFlushedScripts) {
  // Database 7 is this test's alone, so its connections can be told apart from those of tests
  // running at the same time on the same server (killing every client broke them).
  auto limiter = NewRedisRateLimiter(*RedisUrl() + "/7", clock_, {.key_prefix = prefix_});
  ASSERT_THAT(limiter, IsOk());
  const RateLimit limit{3, seconds(60)};
  ASSERT_TRUE((*limiter)->Take("k", limit)->allowed);
  Poco::Redis::Array flush;
  flush << "SCRIPT" << "FLUSH";
  admin_.execute<std::string>(flush);
  Poco::Redis::Array list;
  list << "CLIENT" << "LIST";
  std::istringstream clients(admin_.execute<Poco::Redis::BulkString>(list).value());
  Poco::Int64 killed = 0;
  for (std::string line; std::getline(clients, line);) {
    if (line.rfind("id=", 0) != 0 || line.find(" db=7 ") == std::string::npos) continue;
    Poco::Redis::Array kill;
    kill << "CLIENT" << "KILL" << "ID" << line.substr(3, line.find(' ') - 3);
    killed += admin_.execute<Poco::Int64>(kill);
  }
  ASSERT_GE(killed, 1);
  // The pooled connection is dead and the script cache empty: the next call reconnects and EVALs.
  auto d = (*limiter)->Take("k", limit);
  ASSERT_THAT(d, IsOk());
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(d->remaining, 1);  // counted once, not twice
}

TEST_F(RedisBackend, UnreachableServerIsUnavailable) {
  const std::string url = "redis://127.0.0.1:" + std::to_string(testing::ClosedPort());
  auto limiter = NewRedisRateLimiter(url, clock_);
  ASSERT_THAT(limiter, IsOk());  // connects lazily
  EXPECT_THAT((*limiter)->Take("k", kAuthRateLimit), StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(CheckRateLimit(**limiter, "k", kAuthRateLimit), StatusIs(StatusCode::kUnavailable));
  auto replay = NewRedisReplayCache(url, clock_);
  ASSERT_THAT(replay, IsOk());
  EXPECT_THAT((*replay)->MarkSeen("n", seconds(1)), StatusIs(StatusCode::kUnavailable));
}

TEST_F(RedisBackend, MalformedUrlsAreInvalidArgument) {
  for (const char* bad : {"", "http://127.0.0.1:6379", "redis://", "redis://127.0.0.1:6379/x", "rediss://h:1"}) {
    EXPECT_THAT(NewRedisRateLimiter(bad, clock_), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
}

TEST_F(RedisBackend, SelectsTheDatabaseInTheUrl) {
  auto limiter = NewRedisRateLimiter(*RedisUrl() + "/3", clock_, {.key_prefix = prefix_});
  ASSERT_THAT(limiter, IsOk());
  ASSERT_TRUE((*limiter)->Take("k", kAuthRateLimit)->allowed);
  Poco::Redis::Array select, exists;
  select << "SELECT" << "3";
  admin_.execute<std::string>(select);
  exists << "EXISTS" << prefix_ + "k";
  EXPECT_EQ(admin_.execute<Poco::Int64>(exists), 1);
}

}  // namespace
}  // namespace clash
