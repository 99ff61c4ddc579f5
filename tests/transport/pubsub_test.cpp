// The in-process PubSub: exact and prefix subscriptions, order, unsubscribing (also from inside a
// callback, and waiting for a running callback), publishing from a callback, a bounded queue, and
// topic checks. Every wait is on a condition with a generous deadline, never on a sleep.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "clash/pubsub.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;

constexpr auto kDeadline = std::chrono::seconds(30);

// Collects messages and lets a test wait until it has `n` of them.
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
    return cv_.wait_for(lock, kDeadline, [&] { return got_.size() >= n; });
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

// A marker message through a catch-all subscription: once it arrived, everything published before
// it has been dispatched (one dispatcher, FIFO).
void Drain(PubSub& bus) {
  Inbox inbox;
  auto sub = bus.Subscribe("drain:*", inbox.Callback());
  ASSERT_THAT(sub, IsOk());
  ASSERT_THAT(bus.Publish("drain:marker", "x"), IsOk());
  ASSERT_TRUE(inbox.WaitFor(1));
}

TEST(InProcessPubSub, DeliversToExactAndPrefixSubscribers) {
  auto bus = NewInProcessPubSub();
  Inbox user42, user7, everyone, all;
  auto s1 = bus->Subscribe("notify:user:42", user42.Callback());
  auto s2 = bus->Subscribe("notify:user:7", user7.Callback());
  auto s3 = bus->Subscribe("notify:user:*", everyone.Callback());
  auto s4 = bus->Subscribe("*", all.Callback());
  ASSERT_THAT(s1, IsOk());
  ASSERT_THAT(s2, IsOk());
  ASSERT_THAT(s3, IsOk());
  ASSERT_THAT(s4, IsOk());
  ASSERT_THAT(bus->Publish("notify:user:42", "a"), IsOk());
  ASSERT_THAT(bus->Publish("chat:room:global", "b"), IsOk());
  ASSERT_THAT(bus->Publish("notify:user:420", "c"), IsOk());
  ASSERT_TRUE(all.WaitFor(3));
  Drain(*bus);
  EXPECT_THAT(user42.got(), ElementsAre("notify:user:42=a"));
  EXPECT_TRUE(user7.got().empty());
  EXPECT_THAT(everyone.got(), ElementsAre("notify:user:42=a", "notify:user:420=c"));
  EXPECT_THAT(all.got(),
              ElementsAre("notify:user:42=a", "chat:room:global=b", "notify:user:420=c", "drain:marker=x"));
}

TEST(InProcessPubSub, KeepsPublicationOrder) {
  auto bus = NewInProcessPubSub();
  Inbox inbox;
  auto sub = bus->Subscribe("t", inbox.Callback());
  ASSERT_THAT(sub, IsOk());
  std::vector<std::string> expected;
  for (int i = 0; i < 2000; ++i) {
    ASSERT_THAT(bus->Publish("t", std::to_string(i)), IsOk());
    expected.push_back("t=" + std::to_string(i));
  }
  ASSERT_TRUE(inbox.WaitFor(expected.size()));
  EXPECT_EQ(inbox.got(), expected);
}

TEST(InProcessPubSub, DestroyingASubscriptionStopsDeliveryAndWaitsForARunningCallback) {
  auto bus = NewInProcessPubSub();
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> finished{false};
  std::atomic<int> calls{0};
  auto sub = bus->Subscribe("t", [&](const PubSubMessage&) {
    if (calls++ == 0) {
      entered.set_value();
      released.wait();
      finished = true;
    }
  });
  ASSERT_THAT(sub, IsOk());
  ASSERT_THAT(bus->Publish("t", "1"), IsOk());
  entered.get_future().wait();
  std::future<bool> destroyer = std::async(std::launch::async, [&] {
    sub->reset();
    return finished.load();  // the destructor returned: the running call must have finished
  });
  release.set_value();
  EXPECT_TRUE(destroyer.get());
  ASSERT_THAT(bus->Publish("t", "2"), IsOk());
  Drain(*bus);
  EXPECT_EQ(calls.load(), 1);
}

TEST(InProcessPubSub, CallbacksMayUnsubscribeThemselvesAndPublish) {
  auto bus = NewInProcessPubSub();
  Inbox echoes;
  auto echo_sub = bus->Subscribe("echo", echoes.Callback());
  ASSERT_THAT(echo_sub, IsOk());
  std::atomic<int> calls{0};
  std::unique_ptr<Subscription> self;
  auto sub = bus->Subscribe("once", [&](const PubSubMessage& m) {
    ++calls;
    EXPECT_THAT(bus->Publish("echo", m.payload), IsOk());
    self.reset();  // unsubscribes from inside its own callback
  });
  ASSERT_THAT(sub, IsOk());
  self = std::move(sub).value();
  ASSERT_THAT(bus->Publish("once", "first"), IsOk());
  ASSERT_THAT(bus->Publish("once", "second"), IsOk());
  ASSERT_TRUE(echoes.WaitFor(1));
  Drain(*bus);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_THAT(echoes.got(), ElementsAre("echo=first"));
}

TEST(InProcessPubSub, SlowSubscriberNeitherBlocksPublishersNorGrowsTheQueueWithoutBound) {
  InProcessPubSubOptions options;
  options.max_queued = 2;
  auto bus = NewInProcessPubSub(options);
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  Inbox later;
  PubSubCallback record = later.Callback();
  std::atomic<int> calls{0};
  auto sub = bus->Subscribe("t", [&](const PubSubMessage& m) {
    if (calls++ == 0) {
      entered.set_value();
      released.wait();
    } else {
      record(m);
    }
  });
  ASSERT_THAT(sub, IsOk());
  ASSERT_THAT(bus->Publish("t", "taken by the dispatcher"), IsOk());
  entered.get_future().wait();
  EXPECT_THAT(bus->Publish("t", "queued 1"), IsOk());
  EXPECT_THAT(bus->Publish("t", "queued 2"), IsOk());
  EXPECT_THAT(bus->Publish("t", "one too many"), StatusIs(StatusCode::kUnavailable));
  release.set_value();
  ASSERT_TRUE(later.WaitFor(2));
  Drain(*bus);
  EXPECT_THAT(later.got(), ElementsAre("t=queued 1", "t=queued 2"));
}

TEST(InProcessPubSub, NewSubscriptionsSeeOnlyLaterMessages) {
  auto bus = NewInProcessPubSub();
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  auto blocker = bus->Subscribe("block", [&](const PubSubMessage&) {
    entered.set_value();
    released.wait();
  });
  ASSERT_THAT(blocker, IsOk());
  ASSERT_THAT(bus->Publish("block", "x"), IsOk());
  entered.get_future().wait();
  ASSERT_THAT(bus->Publish("t", "before"), IsOk());  // queued behind the blocked message
  Inbox inbox;
  auto sub = bus->Subscribe("t", inbox.Callback());
  ASSERT_THAT(sub, IsOk());
  ASSERT_THAT(bus->Publish("t", "after"), IsOk());
  release.set_value();
  ASSERT_TRUE(inbox.WaitFor(1));
  Drain(*bus);
  EXPECT_THAT(inbox.got(), ElementsAre("t=after"));
}

TEST(InProcessPubSub, RefusesMalformedTopicsAndPatterns) {
  auto bus = NewInProcessPubSub();
  EXPECT_THAT(bus->Publish("", "x"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bus->Publish("a*", "x"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bus->Publish(std::string(kMaxTopicBytes + 1, 't'), "x"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bus->Publish("t", std::string(kMaxPayloadBytes + 1, 'p')), StatusIs(StatusCode::kInvalidArgument));
  auto noop = [](const PubSubMessage&) {};
  EXPECT_THAT(bus->Subscribe("", noop), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bus->Subscribe("a*b", noop), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bus->Subscribe("t", PubSubCallback()), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bus->Subscribe("a:*", noop), IsOk());
}

}  // namespace
}  // namespace clash
