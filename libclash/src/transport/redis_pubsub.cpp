// NewRedisPubSub (clash/pubsub.h) on hiredis.
//
// One subscriber connection, owned by a reader thread that polls the socket and an eventfd: the
// eventfd wakes it for (un)subscribe requests and for shutdown, so nothing ever waits on a receive
// timeout (poco-facts.md: Poco's AsyncReader sleeps 100 ms per reply, and a receive timeout leaves a
// Poco client unusable). hiredis's reader parses what the socket delivered, several replies per read.
// The reader thread is also the dispatcher: callbacks run on it, in the order Redis sent the
// messages. Silence for ping_interval sends a PING; a second silent interval with the PING unanswered
// is a lost link. A lost link is reported (log, Health, WatchLink(false)), then the thread reconnects
// with backoff, resubscribes everything and reports WatchLink(true) once the server confirmed it.
//
// PUBLISH uses a second connection under a mutex. After a failed publish connect it does not try
// again until the subscriber link has reconnected, so a Redis outage costs a publisher no timeouts.
#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "clash/pubsub.h"
#include "transport/redis_pool.h"

namespace clash {
namespace {

using internal::RedisEndpoint;

struct ReplyDeleter {
  void operator()(redisReply* r) const {
    if (r != nullptr) freeReplyObject(r);
  }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
  void operator()(redisContext* c) const {
    if (c != nullptr) redisFree(c);
  }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

timeval ToTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

// Runs one command on a blocking context; null when the link failed (c->err says why).
ReplyPtr Command(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return ReplyPtr(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data())));
}

// Connects, authenticates and selects the database; an error text on failure.
Result<ContextPtr> Connect(const RedisEndpoint& ep, std::chrono::milliseconds timeout) {
  ContextPtr c(redisConnectWithTimeout(ep.host.c_str(), ep.port, ToTimeval(timeout)));
  if (!c) return Status::Unavailable("cannot allocate a Redis context");
  if (c->err) return Status::Unavailable(std::string("cannot connect: ") + c->errstr);
  redisEnableKeepAlive(c.get());
  redisSetTimeout(c.get(), ToTimeval(timeout));
  if (!ep.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!ep.user.empty()) auth.push_back(ep.user);
    auth.push_back(ep.password);
    ReplyPtr r = Command(c.get(), auth);
    if (!r) return Status::Unavailable(std::string("AUTH failed: ") + c->errstr);
    if (r->type == REDIS_REPLY_ERROR) return Status::Unavailable("AUTH was refused");
  }
  if (ep.db != 0) {
    ReplyPtr r = Command(c.get(), {"SELECT", std::to_string(ep.db)});
    if (!r || r->type == REDIS_REPLY_ERROR) return Status::Unavailable("SELECT failed");
  }
  return c;
}

// A Redis glob matching every channel that starts with `prefix`.
std::string GlobPrefix(std::string_view prefix) {
  std::string out;
  for (char ch : prefix) {
    if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  out.push_back('*');
  return out;
}

// A registered callback: a subscription (channel set) or a link watcher (channel empty).
struct Entry {
  bool glob = false;
  std::string channel;      // the Redis channel, or the glob for PSUBSCRIBE
  PubSubCallback callback;
  std::function<void(bool)> link_callback;
  std::mutex call_mu;
  std::atomic<bool> active{true};
};

// What the reader must tell the server: (un)subscribe one channel or glob.
struct ChannelOp {
  bool subscribe = true;
  bool glob = false;
  std::string channel;
};

class Core {
 public:
  Core(RedisEndpoint ep, RedisPubSubOptions options)
      : ep_(std::move(ep)),
        options_(std::move(options)),
        logger_(options_.logger != nullptr ? *options_.logger : Logger::Default()),
        wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    health_.backend = "redis";
    health_.connected = false;
    health_.detail = "connecting";
  }
  ~Core() {
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  void Start() { thread_ = std::thread([this] { Run(); }); }

  void Stop() {
    stop_ = true;
    Wake();
    if (thread_.joinable()) thread_.join();
  }

  Status Publish(std::string_view topic, std::string_view payload) {
    CLASH_RETURN_IF_ERROR(ValidatePubSubTopic(topic, false));
    if (payload.size() > kMaxPayloadBytes) return Status::InvalidArgument("payload is larger than 1 MiB");
    std::lock_guard<std::mutex> lock(pub_mu_);
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!pub_) {
        if (pub_failed_at_ == generation_.load()) return PublishFailed("pub/sub link is down");
        Result<ContextPtr> c = Connect(ep_, options_.timeout);
        if (!c.ok()) {
          pub_failed_at_ = generation_.load();
          return PublishFailed("pub/sub link is down");
        }
        pub_ = std::move(c).value();
      }
      ReplyPtr r = Command(pub_.get(), {"PUBLISH", options_.channel_prefix + std::string(topic), std::string(payload)});
      if (r && r->type != REDIS_REPLY_ERROR) {
        std::lock_guard<std::mutex> hl(mu_);
        ++health_.published;
        return Status::Ok();
      }
      pub_.reset();  // a stale connection after a restart: one retry on a fresh one
      if (r) return PublishFailed("Redis refused PUBLISH");
    }
    pub_failed_at_ = generation_.load();
    return PublishFailed("pub/sub link is down");
  }

  std::shared_ptr<Entry> Add(std::string_view pattern, PubSubCallback callback) {
    auto entry = std::make_shared<Entry>();
    const bool prefix = pattern.back() == '*';
    entry->glob = prefix;
    entry->channel = prefix ? GlobPrefix(options_.channel_prefix + std::string(pattern.substr(0, pattern.size() - 1)))
                            : options_.channel_prefix + std::string(pattern);
    entry->callback = std::move(callback);
    std::unique_lock<std::mutex> lock(mu_);
    auto& list = (prefix ? globs_ : exact_)[entry->channel];
    list.push_back(entry);
    if (list.size() == 1) {
      ops_.push_back({true, prefix, entry->channel});
      Wake();
    }
    // A subscription made while the link is up is live when Subscribe returns.
    if (std::this_thread::get_id() != thread_.get_id()) {
      const auto key = std::make_pair(prefix, entry->channel);
      cv_.wait_for(lock, options_.timeout, [&] { return stop_ || !health_.connected || confirmed_.count(key) > 0; });
    }
    return entry;
  }

  std::shared_ptr<Entry> AddLinkWatcher(std::function<void(bool)> callback) {
    auto entry = std::make_shared<Entry>();
    entry->link_callback = std::move(callback);
    std::lock_guard<std::mutex> lock(mu_);
    watchers_.push_back(entry);
    return entry;
  }

  void Remove(const std::shared_ptr<Entry>& entry) {
    entry->active = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (entry->link_callback) {
        std::erase(watchers_, entry);
      } else {
        auto& map = entry->glob ? globs_ : exact_;
        if (auto it = map.find(entry->channel); it != map.end()) {
          std::erase(it->second, entry);
          if (it->second.empty()) {
            map.erase(it);
            ops_.push_back({false, entry->glob, entry->channel});
            Wake();
          }
        }
      }
    }
    if (std::this_thread::get_id() != thread_.get_id()) {
      std::lock_guard<std::mutex> wait(entry->call_mu);
    }
  }

  PubSubHealth Health() const {
    std::lock_guard<std::mutex> lock(mu_);
    return health_;
  }

 private:
  Status PublishFailed(const std::string& why) {
    std::lock_guard<std::mutex> lock(mu_);
    ++health_.publish_failures;
    return Status::Unavailable(why);
  }

  void Wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  }

  void DrainWake() {
    std::uint64_t v = 0;
    [[maybe_unused]] ssize_t n = ::read(wake_fd_, &v, sizeof v);
  }

  // Sleeps up to `d` unless woken (shutdown).
  void Pause(std::chrono::milliseconds d) {
    pollfd p{wake_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(d.count())) > 0) DrainWake();
  }

  void Run() {
    std::chrono::milliseconds backoff(50);
    bool reported_down = false;
    while (!stop_) {
      Result<ContextPtr> c = Connect(ep_, options_.timeout);
      if (!c.ok()) {
        SetDown(c.status().message(), !reported_down);
        reported_down = true;
        Pause(backoff);
        backoff = std::min(backoff * 2, options_.max_backoff);
        continue;
      }
      backoff = std::chrono::milliseconds(50);
      std::string why = Serve(c->get());
      if (stop_) break;
      SetDown(why, true);
      reported_down = true;
    }
    std::lock_guard<std::mutex> lock(mu_);
    health_.connected = false;
    health_.detail = "stopped";
    cv_.notify_all();
  }

  void SetDown(const std::string& why, bool log) {
    bool was_up = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      was_up = health_.connected;
      health_.connected = false;
      health_.detail = "redis unreachable";
      confirmed_.clear();
      if (was_up) ++health_.link_losses;
      cv_.notify_all();
    }
    if (log) {
      logger_.Warn(was_up ? "pubsub link lost; serving local sockets only until Redis is back"
                          : "pubsub cannot reach Redis; retrying",
                   {{"backend", "redis"}, {"host", ep_.host}, {"port", ep_.port}, {"reason", why}});
    }
    if (was_up) NotifyLink(false);
  }

  static bool Flush(redisContext* c) {
    int done = 0;
    while (!done) {
      if (redisBufferWrite(c, &done) == REDIS_ERR) return false;
    }
    return true;
  }

  static void Append(redisContext* c, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    redisAppendCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data());
  }

  // Serves one connection until it fails (returns why) or Stop().
  std::string Serve(redisContext* c) {
    std::size_t awaiting = 0;  // confirmations before the link counts as up
    {
      std::lock_guard<std::mutex> lock(mu_);
      ops_.clear();
      std::vector<std::string> subscribe = {"SUBSCRIBE"}, psubscribe = {"PSUBSCRIBE"};
      for (const auto& [channel, list] : exact_) subscribe.push_back(channel);
      for (const auto& [glob, list] : globs_) psubscribe.push_back(glob);
      if (subscribe.size() > 1) Append(c, subscribe);
      if (psubscribe.size() > 1) Append(c, psubscribe);
      awaiting = subscribe.size() - 1 + psubscribe.size() - 1;
    }
    if (!Flush(c)) return c->errstr;
    bool up = false;
    auto maybe_up = [&] {
      if (up || awaiting > 0) return;
      up = true;
      {
        std::lock_guard<std::mutex> lock(mu_);
        health_.connected = true;
        health_.detail = "ok";
        generation_.fetch_add(1);
        cv_.notify_all();
      }
      logger_.Info("pubsub link up", {{"backend", "redis"}, {"host", ep_.host}, {"port", ep_.port}});
      NotifyLink(true);
    };
    maybe_up();
    bool ping_outstanding = false;
    const int ping_ms = static_cast<int>(options_.ping_interval.count());
    while (!stop_) {
      pollfd fds[2] = {{c->fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      int n = ::poll(fds, 2, ping_ms);
      if (n < 0) {
        if (errno == EINTR) continue;
        return "poll failed";
      }
      if (n == 0) {
        if (ping_outstanding) return "no answer to PING";
        Append(c, {"PING"});
        if (!Flush(c)) return c->errstr;
        ping_outstanding = true;
        continue;
      }
      if (fds[1].revents & POLLIN) {
        DrainWake();
        if (stop_) break;
        std::vector<ChannelOp> ops;
        {
          std::lock_guard<std::mutex> lock(mu_);
          ops.swap(ops_);
        }
        for (const ChannelOp& op : ops) {
          Append(c, {std::string(op.glob ? (op.subscribe ? "PSUBSCRIBE" : "PUNSUBSCRIBE")
                                         : (op.subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE")),
                     op.channel});
        }
        if (!ops.empty() && !Flush(c)) return c->errstr;
      }
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        if (redisBufferRead(c) == REDIS_ERR) return c->errstr;
        for (;;) {
          void* raw = nullptr;
          if (redisGetReplyFromReader(c, &raw) == REDIS_ERR) return c->errstr;
          if (raw == nullptr) break;
          ReplyPtr reply(static_cast<redisReply*>(raw));
          ping_outstanding = false;
          Handle(*reply, awaiting);
          maybe_up();
        }
      }
    }
    return "stopped";
  }

  static std::string Str(const redisReply& r) { return std::string(r.str != nullptr ? r.str : "", r.len); }

  void Handle(const redisReply& r, std::size_t& awaiting) {
    if (r.type != REDIS_REPLY_ARRAY || r.elements < 2 || r.element[0]->type != REDIS_REPLY_STRING) return;
    const std::string kind = Str(*r.element[0]);
    if (kind == "message" && r.elements == 3) {
      Deliver(false, Str(*r.element[1]), Str(*r.element[1]), Str(*r.element[2]));
    } else if (kind == "pmessage" && r.elements == 4) {
      Deliver(true, Str(*r.element[1]), Str(*r.element[2]), Str(*r.element[3]));
    } else if (kind == "subscribe" || kind == "psubscribe") {
      std::lock_guard<std::mutex> lock(mu_);
      confirmed_.insert({kind == "psubscribe", Str(*r.element[1])});
      if (awaiting > 0) --awaiting;
      cv_.notify_all();
    } else if (kind == "unsubscribe" || kind == "punsubscribe") {
      std::lock_guard<std::mutex> lock(mu_);
      confirmed_.erase({kind == "punsubscribe", Str(*r.element[1])});
    }
  }

  void Deliver(bool glob, const std::string& key, const std::string& channel, const std::string& payload) {
    if (channel.compare(0, options_.channel_prefix.size(), options_.channel_prefix) != 0) return;
    std::vector<std::shared_ptr<Entry>> targets;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const auto& map = glob ? globs_ : exact_;
      if (auto it = map.find(key); it != map.end()) targets = it->second;
      ++health_.received;
    }
    PubSubMessage m{channel.substr(options_.channel_prefix.size()), payload};
    for (const auto& e : targets) {
      std::lock_guard<std::mutex> call(e->call_mu);
      if (!e->active) continue;
      try {
        e->callback(m);
      } catch (...) {
        // A callback must not throw; one that does loses this message and nothing else.
      }
    }
  }

  void NotifyLink(bool up) {
    std::vector<std::shared_ptr<Entry>> targets;
    {
      std::lock_guard<std::mutex> lock(mu_);
      targets = watchers_;
    }
    for (const auto& e : targets) {
      std::lock_guard<std::mutex> call(e->call_mu);
      if (!e->active) continue;
      try {
        e->link_callback(up);
      } catch (...) {
      }
    }
  }

  const RedisEndpoint ep_;
  const RedisPubSubOptions options_;
  const Logger& logger_;
  const int wake_fd_;
  std::atomic<bool> stop_{false};
  std::thread thread_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<std::shared_ptr<Entry>>> exact_;  // by Redis channel
  std::map<std::string, std::vector<std::shared_ptr<Entry>>> globs_;  // by Redis glob
  std::vector<std::shared_ptr<Entry>> watchers_;
  std::vector<ChannelOp> ops_;
  std::set<std::pair<bool, std::string>> confirmed_;  // (glob, channel) the server confirmed
  PubSubHealth health_;
  std::atomic<std::uint64_t> generation_{0};  // successful (re)connects of the subscriber link

  std::mutex pub_mu_;
  ContextPtr pub_;                             // guarded by pub_mu_
  std::uint64_t pub_failed_at_ = ~std::uint64_t{0};  // generation of the last failed publish connect
};

class RedisSubscription final : public Subscription {
 public:
  RedisSubscription(std::shared_ptr<Core> core, std::shared_ptr<Entry> entry)
      : core_(std::move(core)), entry_(std::move(entry)) {}
  ~RedisSubscription() override { core_->Remove(entry_); }

 private:
  std::shared_ptr<Core> core_;
  std::shared_ptr<Entry> entry_;
};

class RedisPubSub final : public PubSub {
 public:
  RedisPubSub(RedisEndpoint ep, RedisPubSubOptions options)
      : core_(std::make_shared<Core>(std::move(ep), std::move(options))) {
    core_->Start();
  }
  ~RedisPubSub() override { core_->Stop(); }

  Status Publish(std::string_view topic, std::string_view payload) override { return core_->Publish(topic, payload); }

  Result<std::unique_ptr<Subscription>> Subscribe(std::string_view pattern, PubSubCallback callback) override {
    CLASH_RETURN_IF_ERROR(ValidatePubSubTopic(pattern, true));
    if (!callback) return Status::InvalidArgument("callback is empty");
    std::unique_ptr<Subscription> sub =
        std::make_unique<RedisSubscription>(core_, core_->Add(pattern, std::move(callback)));
    return sub;
  }

  PubSubHealth Health() const override { return core_->Health(); }

  Result<std::unique_ptr<Subscription>> WatchLink(std::function<void(bool up)> callback) override {
    if (!callback) return Status::InvalidArgument("callback is empty");
    std::unique_ptr<Subscription> sub =
        std::make_unique<RedisSubscription>(core_, core_->AddLinkWatcher(std::move(callback)));
    return sub;
  }

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace

Result<std::unique_ptr<PubSub>> NewRedisPubSub(const std::string& redis_url, RedisPubSubOptions options) {
  if (options.timeout <= std::chrono::milliseconds(0) || options.ping_interval <= std::chrono::milliseconds(0) ||
      options.max_backoff < std::chrono::milliseconds(50)) {
    return Status::InvalidArgument("Redis pub/sub timeouts must be positive (max_backoff >= 50 ms)");
  }
  if (options.channel_prefix.find_first_of("*?[]\\") != std::string::npos) {
    return Status::InvalidArgument("Redis pub/sub channel prefix may not contain glob characters");
  }
  CLASH_ASSIGN_OR_RETURN(internal::RedisEndpoint ep, internal::ParseRedisUrl(redis_url));
  return std::unique_ptr<PubSub>(std::make_unique<RedisPubSub>(std::move(ep), std::move(options)));
}

}  // namespace clash
