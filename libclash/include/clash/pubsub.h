// clash/pubsub.h — publish/subscribe of short text messages between the parts of a platform.
//
// A topic is a non-empty string such as "notify:user:42" or "chat:room:global". Publish hands a
// payload (usually JSON) to every current subscriber of the topic; Subscribe registers a callback
// for one topic, or for every topic starting with a prefix when the pattern ends in '*'
// ("notify:user:*"). Delivery is at most once and asynchronous: a message published while nobody
// subscribes is gone, and a subscriber that is slow or gone does not slow the publisher. Messages
// from one publishing thread to one subscriber arrive in publication order.
//
// Backends: the in-process one (NewInProcessPubSub, the embedded default) reaches the subscribers
// of this process; a shared backend (Redis) reaches every host of a deployment. Hosts use it for
// live delivery only: what must not be lost is stored first (notifications, chat messages) and
// published after the commit (StorageTransaction::OnCommit).
//
// Thread-safety: every PubSub is safe for concurrent use. Callbacks run on the backend's dispatcher
// thread, never inside Publish's caller and never while the backend holds a lock Publish or
// Subscribe takes, so a callback may publish, subscribe and drop subscriptions (its own included).
//
// Example:
//   std::unique_ptr<clash::PubSub> bus = clash::NewInProcessPubSub();
//   CLASH_ASSIGN_OR_RETURN(auto sub, bus->Subscribe("notify:user:*", [](const clash::PubSubMessage& m) {
//     Deliver(m.topic, m.payload);
//   }));
//   CLASH_RETURN_IF_ERROR(bus->Publish("notify:user:42", R"({"type":"notification"})"));
//   sub.reset();   // unsubscribes; no callback runs after reset() returns
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "clash/export.h"
#include "clash/status.h"

namespace clash {

// Topics and payloads beyond these sizes are refused with InvalidArgument.
inline constexpr std::size_t kMaxTopicBytes = 256;
inline constexpr std::size_t kMaxPayloadBytes = 1 << 20;

struct PubSubMessage {
  std::string topic;    // the topic it was published on (also for prefix subscriptions)
  std::string payload;
};

using PubSubCallback = std::function<void(const PubSubMessage& message)>;

// A live subscription. Destroying it unsubscribes: once the destructor returns, its callback is not
// running and never runs again (when destroyed from inside its own callback, the current call
// finishes and no later one starts).
class CLASH_EXPORT Subscription {
 public:
  Subscription() = default;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  virtual ~Subscription() = default;
};

// Implement this to add a pub/sub backend.
class CLASH_EXPORT PubSub {
 public:
  PubSub() = default;
  PubSub(const PubSub&) = delete;
  PubSub& operator=(const PubSub&) = delete;
  virtual ~PubSub() = default;

  // Queues `payload` for every subscriber of `topic` and returns without waiting for them.
  // InvalidArgument for an empty topic, a topic containing '*' or longer than kMaxTopicBytes, or a
  // payload longer than kMaxPayloadBytes; Unavailable when the backend cannot take it (a shared
  // backend that is down, an in-process queue that is full): the message is then not delivered.
  virtual Status Publish(std::string_view topic, std::string_view payload) = 0;

  // Calls `callback` for every message published on `pattern` from now on: the exact topic, or, if
  // `pattern` ends in '*', every topic that starts with what comes before it ("*" alone: every
  // topic). InvalidArgument for an empty pattern, a '*' anywhere but at the end, a pattern longer
  // than kMaxTopicBytes or an empty callback.
  virtual Result<std::unique_ptr<Subscription>> Subscribe(std::string_view pattern, PubSubCallback callback) = 0;
};

struct InProcessPubSubOptions {
  // Messages waiting for the dispatcher; Publish answers Unavailable beyond it.
  std::size_t max_queued = 65'536;
};

// The embedded default: one dispatcher thread delivers every message, in publication order, to the
// subscribers of this process. The destructor delivers nothing more and joins the thread; every
// Subscription must be destroyed before the PubSub.
CLASH_EXPORT std::unique_ptr<PubSub> NewInProcessPubSub(InProcessPubSubOptions options = {});

// Checks a topic for Publish, or a pattern for Subscribe (`pattern` = true), as described above.
// Backends call it so they refuse the same things.
CLASH_EXPORT Status ValidatePubSubTopic(std::string_view topic, bool pattern);

}  // namespace clash
