// Notifications: stored in the caller's transaction, published and pushed after it commits. The
// push worker is one thread draining a bounded queue; see clash/notifications.h.
#include "clash/notifications.h"

#include <charconv>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "clash/storage.h"
#include "notifications/fcm_client.h"

namespace clash {

using internal::FcmClient;
using internal::PushMessage;
using internal::PushResult;

std::string NotificationTopic(std::int64_t user_id) { return "notify:user:" + std::to_string(user_id); }

NotificationPaging ParseNotificationPaging(std::string_view page, std::string_view page_size) {
  auto parse = [](std::string_view text) -> std::optional<long long> {
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return v;
  };
  NotificationPaging p;
  if (auto v = parse(page); v && *v >= 1) p.page = static_cast<int>(std::min<long long>(*v, 1'000'000'000));
  if (auto v = parse(page_size)) p.page_size = static_cast<int>(std::clamp<long long>(*v, 1, 100));
  return p;
}

namespace {

struct PushJob {
  std::int64_t user_id = 0;
  PushMessage message;
};

// Characters that may not appear in a token: it goes into JSON and logs.
bool IsCleanToken(std::string_view token) {
  for (unsigned char c : token) {
    if (c < 0x21 || c == 0x7f) return false;
  }
  return true;
}

// Runs `write` (returning how many rows it changed) in a transaction of its own.
template <typename F>
Result<std::int64_t> CountingWrite(Storage& storage, F write) {
  std::int64_t n = 0;
  Status s = storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(n, write(tx));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return n;
}

}  // namespace

struct Notifications::Impl {
  Impl(Storage& s, Clock& c, PubSub& p, const Logger& l) : storage(s), clock(c), pubsub(p), logger(l) {}
  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
    }
    cv.notify_all();
    if (worker.joinable()) worker.join();
  }

  void Enqueue(PushJob job) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (queue.size() >= max_queued) {
        logger.Warn("push dropped: queue full", {{"user_id", job.user_id}});
        return;
      }
      queue.push_back(std::move(job));
    }
    cv.notify_all();
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return stop || !queue.empty(); });
      if (stop) return;
      PushJob job = std::move(queue.front());
      queue.pop_front();
      busy = true;
      lock.unlock();
      Deliver(job);
      lock.lock();
      busy = false;
      cv.notify_all();
    }
  }

  void Deliver(const PushJob& job) {
    std::vector<std::string> tokens;
    Status s = storage.Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(tokens, tx.notifications().FcmTokens(job.user_id));
      return Status::Ok();
    });
    if (!s.ok()) {
      logger.Warn("push skipped: cannot read device tokens", {{"user_id", job.user_id}, {"error", s.ToString()}});
      return;
    }
    for (const std::string& token : tokens) {
      std::string error;
      PushResult r = fcm->Send(token, job.message, &error);
      if (r == PushResult::kDeadToken) {
        Status d = storage.Transact([&](StorageTransaction& tx) -> Status {
          return tx.notifications().DeleteFcmToken(token).status();
        });
        logger.Info("push: removed a dead device token", {{"user_id", job.user_id}, {"reason", error}});
        if (!d.ok()) logger.Warn("push: could not remove a dead token", {{"error", d.ToString()}});
      } else if (r == PushResult::kFailed) {
        logger.Warn("push failed", {{"user_id", job.user_id}, {"reason", error}});
      }
    }
  }

  Storage& storage;
  Clock& clock;
  PubSub& pubsub;
  const Logger& logger;
  std::unique_ptr<FcmClient> fcm;  // null: pushes are off
  std::size_t max_queued = 0;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<PushJob> queue;
  bool busy = false;
  bool stop = false;
  std::thread worker;
};

Result<std::unique_ptr<Notifications>> Notifications::Create(Storage& storage, Clock& clock, PubSub& pubsub,
                                                             const Logger& logger, HttpClient* http, FcmOptions fcm) {
  auto impl = std::make_unique<Impl>(storage, clock, pubsub, logger);
  if (!fcm.service_account_json.empty()) {
    if (http == nullptr) return Status::InvalidArgument("FCM pushes need an HTTP client");
    CLASH_ASSIGN_OR_RETURN(internal::ServiceAccount account, internal::ParseServiceAccount(fcm.service_account_json));
    impl->max_queued = fcm.max_queued;
    impl->fcm = std::make_unique<FcmClient>(*http, clock, std::move(account), std::move(fcm));
    Impl* raw = impl.get();
    impl->worker = std::thread([raw] { raw->Run(); });
  }
  return std::unique_ptr<Notifications>(new Notifications(std::move(impl)));
}

Notifications::Notifications(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Notifications::~Notifications() = default;

bool Notifications::push_enabled() const { return impl_->fcm != nullptr; }

void Notifications::FlushPushes() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->cv.wait(lock, [&] { return impl_->stop || (impl_->queue.empty() && !impl_->busy); });
}

Status Notifications::Notify(StorageTransaction& tx, const NewNotification& n) {
  if (n.verb.empty()) return Status::InvalidArgument("A notification needs a verb.");
  // Characters, not bytes (the store's limit counts characters too).
  std::size_t chars = 0;
  for (unsigned char c : n.verb) chars += (c & 0xC0) != 0x80;
  if (chars > kMaxNotificationVerbChars) return Status::InvalidArgument("Message too long (max 500 characters)");
  NotificationRecord record{.recipient_id = n.recipient_id,
                            .actor_id = n.actor_id,
                            .verb = n.verb,
                            .target_type = n.target_type,
                            .target_id = n.target_id,
                            .target_preview = n.target_preview,
                            .created_at = impl_->clock.Now()};
  CLASH_ASSIGN_OR_RETURN(std::int64_t id, tx.notifications().Insert(record));
  PushMessage message{.title = n.title, .body = n.body, .data = n.data};
  message.data["notification_id"] = std::to_string(id);
  const bool push = n.push && impl_->fcm != nullptr;
  Impl* impl = impl_.get();
  tx.OnCommit([impl, recipient = n.recipient_id, message = std::move(message), push,
               type = n.socket_type.empty() ? std::string("notification") : n.socket_type]() mutable {
    nlohmann::json data = nlohmann::json::object();
    for (const auto& [k, v] : message.data) data[k] = v;
    nlohmann::json frame = {{"type", type}, {"title", message.title}, {"body", message.body}, {"data", data}};
    if (type != "notification") {
      for (const auto& [k, v] : message.data) {
        if (!frame.contains(k)) frame[k] = v;
      }
    }
    Status published = impl->pubsub.Publish(NotificationTopic(recipient),
                                            frame.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!published.ok()) {
      impl->logger.Warn("notification not published live", {{"user_id", recipient}, {"error", published.ToString()}});
    }
    if (push) impl->Enqueue(PushJob{recipient, std::move(message)});
  });
  return Status::Ok();
}

Result<NotificationPage> Notifications::List(std::int64_t recipient_id, NotificationPaging paging) {
  NotificationPage page;
  page.page = std::max(1, paging.page);
  page.page_size = std::clamp(paging.page_size, 1, 100);
  CLASH_RETURN_IF_ERROR(impl_->storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(auto counts, tx.notifications().Counts(recipient_id));
    page.count = counts.first;
    page.unread_count = counts.second;
    const std::int64_t offset = static_cast<std::int64_t>(page.page - 1) * page.page_size;
    if (offset < page.count) {
      CLASH_ASSIGN_OR_RETURN(page.results, tx.notifications().List(recipient_id, offset, page.page_size));
    }
    return Status::Ok();
  }));
  page.total_pages = static_cast<int>((page.count + page.page_size - 1) / page.page_size);
  return page;
}

Result<Notification> Notifications::Get(std::int64_t recipient_id, std::int64_t id) {
  Notification out;
  CLASH_RETURN_IF_ERROR(impl_->storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.notifications().Get(recipient_id, id));
    return Status::Ok();
  }));
  return out;
}

Status Notifications::MarkRead(std::int64_t recipient_id, std::int64_t id) {
  return impl_->storage.Transact(
      [&](StorageTransaction& tx) -> Status { return tx.notifications().MarkRead(recipient_id, id); });
}

Result<std::int64_t> Notifications::MarkAllRead(std::int64_t recipient_id) {
  return CountingWrite(impl_->storage, [&](StorageTransaction& tx) { return tx.notifications().MarkAllRead(recipient_id); });
}

Status Notifications::Delete(std::int64_t recipient_id, std::int64_t id) {
  return impl_->storage.Transact(
      [&](StorageTransaction& tx) -> Status { return tx.notifications().Delete(recipient_id, id); });
}

Result<std::int64_t> Notifications::ClearAll(std::int64_t recipient_id) {
  return CountingWrite(impl_->storage, [&](StorageTransaction& tx) { return tx.notifications().DeleteAll(recipient_id); });
}

Result<FcmRegistration> Notifications::RegisterFcmToken(std::int64_t user_id, std::string_view token,
                                                        std::string_view device_id) {
  if (token.empty() || token.size() > kMaxFcmTokenBytes || !IsCleanToken(token)) {
    return Status::InvalidArgument("Token is required");
  }
  FcmRegistration out{.token = std::string(token), .device_id = std::string(device_id.substr(0, 255))};
  // Keep whole UTF-8 characters when cutting.
  while (!out.device_id.empty() && device_id.size() > 255 && (static_cast<unsigned char>(device_id[out.device_id.size()]) & 0xC0) == 0x80) {
    out.device_id.pop_back();
  }
  CLASH_RETURN_IF_ERROR(impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out.created,
                           tx.notifications().UpsertFcmToken(user_id, out.token, out.device_id, impl_->clock.Now()));
    return Status::Ok();
  }));
  return out;
}

}  // namespace clash
