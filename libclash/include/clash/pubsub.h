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
// of this process; a shared backend (NewRedisPubSub) reaches every host of a deployment. Hosts use
// it for live delivery only: what must not be lost is stored first (notifications, chat messages)
// and published after the commit (StorageTransaction::OnCommit). A shared backend can lose its link
// (Redis restarts): messages published meanwhile are lost for the hosts that could not hear them, so
// modules that keep state from messages watch the link (WatchLink) and resynchronise from storage
// when it comes back.
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

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "clash/export.h"
#include "clash/log.h"
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

// The state of a backend's link to its server, for /health/ and metrics. The in-process backend is
// always connected.
struct PubSubHealth {
  std::string backend = "in-process";  // "in-process" or "redis"
  bool connected = true;               // subscriptions are live
  std::string detail = "ok";           // a short reason while not connected (never a secret)
  std::uint64_t link_losses = 0;       // times the link was lost since start
  std::uint64_t published = 0;         // messages accepted by Publish
  std::uint64_t publish_failures = 0;  // Publish calls answered Unavailable
  std::uint64_t received = 0;          // messages received for this process's subscriptions
};

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

  // The link's state. The default (in-process backends) is always connected.
  virtual PubSubHealth Health() const { return PubSubHealth{}; }

  // Calls `callback(false)` when a shared backend loses its link to the server, and
  // `callback(true)` once it is connected and every subscription is live again (also after the
  // first connect). Messages published while the link was down did not reach this process: state
  // kept from messages must be resynchronised (from storage) on `true`. Runs on the dispatcher
  // thread, with the same guarantees as a subscription's callback; destroying the returned
  // Subscription stops the calls. The default (in-process backends) never calls it.
  virtual Result<std::unique_ptr<Subscription>> WatchLink(std::function<void(bool up)> callback) {
    if (!callback) return Status::InvalidArgument("callback is empty");
    return std::make_unique<Subscription>();
  }
};

struct InProcessPubSubOptions {
  // Messages waiting for the dispatcher; Publish answers Unavailable beyond it.
  std::size_t max_queued = 65'536;
};

// The embedded default: one dispatcher thread delivers every message, in publication order, to the
// subscribers of this process. The destructor delivers nothing more and joins the thread; every
// Subscription must be destroyed before the PubSub.
CLASH_EXPORT std::unique_ptr<PubSub> NewInProcessPubSub(InProcessPubSubOptions options = {});

struct RedisPubSubOptions {
  // Prepended to every topic on the server, so several deployments can share one Redis.
  std::string channel_prefix = "clash:";
  // Connect timeout and the timeout of a PUBLISH reply.
  std::chrono::milliseconds timeout{2000};
  // The subscriber link sends PING after this much silence; no answer within another interval
  // counts as a lost link (a half-open TCP connection).
  std::chrono::milliseconds ping_interval{5000};
  // Reconnect attempts back off from 50 ms, doubling, to this.
  std::chrono::milliseconds max_backoff{2000};
  // Link lost / restored lines. Null: Logger::Default().
  const Logger* logger = nullptr;
};

// Publish/subscribe through a Redis server shared by every host (redis://[[user]:password@]host
// [:port][/db]). One subscriber connection per process, read by a thread of its own that also runs
// the callbacks (blocking reads, no polling delay); PUBLISH goes over a second connection. Exact
// topics become SUBSCRIBE, prefix patterns PSUBSCRIBE. When the server goes away the backend logs
// it, reports it in Health(), calls the WatchLink callbacks with false, reconnects with backoff and
// resubscribes, then calls them with true. Publish answers Unavailable while the server cannot be
// reached. Subscribe waits (up to `timeout`) for the server to confirm a new subscription while the
// link is up, so a message published after Subscribe returns reaches it; while the link is down it
// returns at once and the subscription goes live on reconnect. InvalidArgument for a malformed URL.
CLASH_EXPORT Result<std::unique_ptr<PubSub>> NewRedisPubSub(const std::string& redis_url,
                                                            RedisPubSubOptions options = {});

// Checks a topic for Publish, or a pattern for Subscribe (`pattern` = true), as described above.
// Backends call it so they refuse the same things.
CLASH_EXPORT Status ValidatePubSubTopic(std::string_view topic, bool pattern);

}  // namespace clash
