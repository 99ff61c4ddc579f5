// The Redis PubSub (hiredis) against the server of CLASH_TEST_REDIS_URL: two instances (as two
// hosts) see each other's messages in publication order, exact and prefix subscriptions, no
// delivery after unsubscribing, Health counters, and refused URLs. Link loss and recovery with a
// real redis-server stop/start is tested end to end in tests/python/test_chat_hosts.py.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "clash/pubsub.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

std::string RedisUrlOrFail() {
  const char* url = std::getenv("CLASH_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE() << "CLASH_TEST_REDIS_URL is not set (start one with scripts/redis-start.sh, or run scripts/test.sh)";
    return "redis://127.0.0.1:1";
  }
  return url;
}

std::string UniquePrefix() {
  std::random_device rd;
  return "clash-test-" + std::to_string(rd()) + ":";
}

class Inbox {
 public:
  PubSubCallback Callback() {
    return [this](const PubSubMessage& m) {
      std::lock_guard<std::mutex> lock(mu_);
      got_.push_back(m.topic + "=" + m.payload);
      cv_.notify_all();
    };
  }
  bool WaitFor(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return got_.size() >= n; });
  }
  std::vector<std::string> got() {
    std::lock_guard<std::mutex> lock(mu_);
    return got_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> got_;
};

std::unique_ptr<PubSub> Open(const std::string& prefix) {
  auto bus = NewRedisPubSub(RedisUrlOrFail(), {.channel_prefix = prefix});
  EXPECT_THAT(bus, IsOk());
  return bus.ok() ? std::move(bus).value() : nullptr;
}

// Waits until the subscriber link is up (Subscribe then confirms before returning).
void WaitConnected(PubSub& bus) {
  std::mutex mu;
  std::condition_variable cv;
  bool up = false;
  auto watch = bus.WatchLink([&](bool u) {
    std::lock_guard<std::mutex> lock(mu);
    up = up || u;
    cv.notify_all();
  });
  ASSERT_THAT(watch, IsOk());
  std::unique_lock<std::mutex> lock(mu);
  cv.wait_for(lock, std::chrono::seconds(30), [&] { return up || bus.Health().connected; });
  ASSERT_TRUE(bus.Health().connected) << bus.Health().detail;
}

TEST(RedisPubSub, TwoInstancesSeeEachOthersMessagesInOrder) {
  const std::string prefix = UniquePrefix();
  auto a = Open(prefix);
  auto b = Open(prefix);
  ASSERT_TRUE(a && b);
  WaitConnected(*a);
  WaitConnected(*b);
  Inbox exact, prefixed;
  auto s1 = b->Subscribe("chat:room:global", exact.Callback());
  auto s2 = b->Subscribe("notify:user:*", prefixed.Callback());
  ASSERT_THAT(s1, IsOk());
  ASSERT_THAT(s2, IsOk());
  for (int i = 0; i < 200; ++i) ASSERT_THAT(a->Publish("chat:room:global", std::to_string(i)), IsOk());
  ASSERT_THAT(a->Publish("notify:user:7", "{\"type\":\"notification\"}"), IsOk());
  ASSERT_THAT(a->Publish("notify:other", "not for the prefix"), IsOk());
  ASSERT_TRUE(exact.WaitFor(200));
  ASSERT_TRUE(prefixed.WaitFor(1));
  std::vector<std::string> want;
  for (int i = 0; i < 200; ++i) want.push_back("chat:room:global=" + std::to_string(i));
  EXPECT_EQ(exact.got(), want);
  EXPECT_EQ(prefixed.got(), std::vector<std::string>{"notify:user:7={\"type\":\"notification\"}"});
  EXPECT_GE(b->Health().received, 201u);
  EXPECT_EQ(b->Health().backend, "redis");
  EXPECT_GE(a->Health().published, 202u);

  // After unsubscribing nothing more arrives; a marker on a live subscription proves the later
  // message was published and dispatched.
  s1->reset();
  ASSERT_THAT(a->Publish("chat:room:global", "late"), IsOk());
  ASSERT_THAT(a->Publish("notify:user:8", "marker"), IsOk());
  ASSERT_TRUE(prefixed.WaitFor(2));
  EXPECT_EQ(exact.got().size(), 200u);
}

TEST(RedisPubSub, DeploymentsWithDifferentPrefixesDoNotMix) {
  auto a = Open(UniquePrefix());
  auto b = Open(UniquePrefix());
  ASSERT_TRUE(a && b);
  WaitConnected(*a);
  WaitConnected(*b);
  Inbox in_a, in_b;
  auto sa = a->Subscribe("t:*", in_a.Callback());
  auto sb = b->Subscribe("t:*", in_b.Callback());
  ASSERT_THAT(sa, IsOk());
  ASSERT_THAT(sb, IsOk());
  ASSERT_THAT(a->Publish("t:x", "from a"), IsOk());
  ASSERT_THAT(b->Publish("t:x", "from b"), IsOk());
  ASSERT_TRUE(in_a.WaitFor(1));
  ASSERT_TRUE(in_b.WaitFor(1));
  EXPECT_EQ(in_a.got(), std::vector<std::string>{"t:x=from a"});
  EXPECT_EQ(in_b.got(), std::vector<std::string>{"t:x=from b"});
}

TEST(RedisPubSub, RefusesBadUrlsOptionsAndTopics) {
  EXPECT_THAT(NewRedisPubSub("http://127.0.0.1:6379"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(NewRedisPubSub("redis://127.0.0.1:6379", {.channel_prefix = "bad*"}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(NewRedisPubSub("redis://127.0.0.1:6379", {.timeout = std::chrono::milliseconds(0)}),
              StatusIs(StatusCode::kInvalidArgument));
  auto bus = Open(UniquePrefix());
  ASSERT_TRUE(bus);
  EXPECT_THAT(bus->Publish("", "x"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bus->Subscribe("a*b", [](const PubSubMessage&) {}), StatusIs(StatusCode::kInvalidArgument));
}

TEST(RedisPubSub, AnUnreachableServerIsReportedAndPublishFailsFast) {
  // Port 1 refuses connections: the link stays down, Publish answers Unavailable, Subscribe still
  // registers (it goes live on a later connect).
  auto bus = NewRedisPubSub("redis://127.0.0.1:1", {.timeout = std::chrono::milliseconds(500)});
  ASSERT_THAT(bus, IsOk());
  EXPECT_THAT((*bus)->Publish("t", "x"), StatusIs(StatusCode::kUnavailable));
  EXPECT_FALSE((*bus)->Health().connected);
  EXPECT_THAT((*bus)->Subscribe("t", [](const PubSubMessage&) {}), IsOk());
  EXPECT_GE((*bus)->Health().publish_failures, 1u);
}

}  // namespace
}  // namespace clash
