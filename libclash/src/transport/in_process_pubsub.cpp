// The in-process PubSub (clash/pubsub.h): a FIFO queue and one dispatcher thread.
//
// Publish only appends to the queue. The dispatcher takes one message at a time, collects the
// matching subscriptions under the lock, releases it and calls them. Each subscription has its own
// call mutex and an `active` flag: destroying a subscription clears the flag and then takes the
// call mutex once, which waits for a call in progress; on the dispatcher thread itself (from inside
// a callback) it does not wait, since the dispatcher runs one callback at a time. A subscription sees
// only messages published after it was made (sequence numbers).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "clash/pubsub.h"

namespace clash {

Status ValidatePubSubTopic(std::string_view topic, bool pattern) {
  if (topic.empty()) return Status::InvalidArgument("topic is empty");
  if (topic.size() > kMaxTopicBytes) return Status::InvalidArgument("topic is longer than 256 bytes");
  std::size_t star = topic.find('*');
  if (star != std::string_view::npos && (!pattern || star != topic.size() - 1)) {
    return Status::InvalidArgument(pattern ? "'*' may only end a pattern" : "a topic may not contain '*'");
  }
  return Status::Ok();
}

namespace {

struct Entry {
  std::string pattern;      // the exact topic, or the prefix (without '*')
  bool prefix = false;
  std::uint64_t since = 0;  // messages with a higher sequence number are delivered
  PubSubCallback callback;
  std::mutex call_mu;
  std::atomic<bool> active{true};
};

struct Queued {
  std::uint64_t seq = 0;
  PubSubMessage message;
};

class Core {
 public:
  explicit Core(InProcessPubSubOptions options) : options_(options) {}

  void Start() {
    thread_ = std::thread([this] { Run(); });
    dispatcher_id_ = thread_.get_id();
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  Status Publish(std::string_view topic, std::string_view payload) {
    CLASH_RETURN_IF_ERROR(ValidatePubSubTopic(topic, false));
    if (payload.size() > kMaxPayloadBytes) return Status::InvalidArgument("payload is larger than 1 MiB");
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return Status::Unavailable("pub/sub is shutting down");
      if (queue_.size() >= options_.max_queued) return Status::Unavailable("pub/sub queue is full");
      queue_.push_back(Queued{++seq_, PubSubMessage{std::string(topic), std::string(payload)}});
    }
    cv_.notify_one();
    return Status::Ok();
  }

  std::shared_ptr<Entry> Add(std::string_view pattern, PubSubCallback callback) {
    auto entry = std::make_shared<Entry>();
    entry->prefix = pattern.back() == '*';
    entry->pattern = std::string(entry->prefix ? pattern.substr(0, pattern.size() - 1) : pattern);
    entry->callback = std::move(callback);
    std::lock_guard<std::mutex> lock(mu_);
    entry->since = seq_;
    if (entry->prefix) {
      prefixes_.push_back(entry);
    } else {
      exact_[entry->pattern].push_back(entry);
    }
    return entry;
  }

  void Remove(const std::shared_ptr<Entry>& entry) {
    entry->active = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto erase = [&](std::vector<std::shared_ptr<Entry>>& list) {
        std::erase_if(list, [&](const std::shared_ptr<Entry>& e) { return e == entry; });
      };
      if (entry->prefix) {
        erase(prefixes_);
      } else if (auto it = exact_.find(entry->pattern); it != exact_.end()) {
        erase(it->second);
        if (it->second.empty()) exact_.erase(it);
      }
    }
    // Wait for a call in progress, unless we are that call's thread.
    if (std::this_thread::get_id() != dispatcher_id_) {
      std::lock_guard<std::mutex> wait(entry->call_mu);
    }
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      Queued next = std::move(queue_.front());
      queue_.pop_front();
      std::vector<std::shared_ptr<Entry>> targets;
      if (auto it = exact_.find(next.message.topic); it != exact_.end()) targets = it->second;
      for (const auto& e : prefixes_) {
        if (next.message.topic.starts_with(e->pattern)) targets.push_back(e);
      }
      lock.unlock();
      for (const auto& e : targets) {
        if (e->since >= next.seq) continue;
        std::lock_guard<std::mutex> call(e->call_mu);
        if (!e->active) continue;
        try {
          e->callback(next.message);
        } catch (...) {
          // A callback must not throw; one that does loses this message and nothing else.
        }
      }
      lock.lock();
    }
  }

  InProcessPubSubOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  std::uint64_t seq_ = 0;
  bool stop_ = false;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Entry>>> exact_;
  std::vector<std::shared_ptr<Entry>> prefixes_;
  std::thread thread_;
  std::thread::id dispatcher_id_;
};

class InProcessSubscription final : public Subscription {
 public:
  InProcessSubscription(std::shared_ptr<Core> core, std::shared_ptr<Entry> entry)
      : core_(std::move(core)), entry_(std::move(entry)) {}
  ~InProcessSubscription() override { core_->Remove(entry_); }

 private:
  std::shared_ptr<Core> core_;
  std::shared_ptr<Entry> entry_;
};

class InProcessPubSub final : public PubSub {
 public:
  explicit InProcessPubSub(InProcessPubSubOptions options) : core_(std::make_shared<Core>(options)) {
    core_->Start();
  }
  ~InProcessPubSub() override { core_->Stop(); }

  Status Publish(std::string_view topic, std::string_view payload) override {
    return core_->Publish(topic, payload);
  }

  Result<std::unique_ptr<Subscription>> Subscribe(std::string_view pattern, PubSubCallback callback) override {
    CLASH_RETURN_IF_ERROR(ValidatePubSubTopic(pattern, true));
    if (!callback) return Status::InvalidArgument("callback is empty");
    std::unique_ptr<Subscription> sub =
        std::make_unique<InProcessSubscription>(core_, core_->Add(pattern, std::move(callback)));
    return sub;
  }

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace

std::unique_ptr<PubSub> NewInProcessPubSub(InProcessPubSubOptions options) {
  return std::make_unique<InProcessPubSub>(options);
}

}  // namespace clash
