// LiveNotifications (clash/chat.h): the /ws/notifications sockets of this host. One pattern
// subscription ("notify:user:*") serves every user; a message goes to each socket of its user.
// Clients send nothing but a fresh token ({"action":"auth","token":...}); expiry and revocation
// close them as chat sockets.
#include <charconv>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "chat/chat_impl.h"

namespace clash {

std::string EncodeAccessRevoked(const AccessRevoked& r) {
  return nlohmann::json{{"user_id", r.user_id}, {"session_id", r.session_id}, {"disabled", r.account_disabled}}.dump();
}

std::optional<AccessRevoked> DecodeAccessRevoked(std::string_view payload) {
  nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("user_id") || !j["user_id"].is_number_integer()) return std::nullopt;
  AccessRevoked r;
  r.user_id = j["user_id"].get<std::int64_t>();
  if (j.contains("session_id") && j["session_id"].is_string()) r.session_id = j["session_id"].get<std::string>();
  if (j.contains("disabled") && j["disabled"].is_boolean()) r.account_disabled = j["disabled"].get<bool>();
  return r;
}

namespace internal {

class NotificationClient;

class LiveNotificationsImpl final : public LiveNotifications {
 public:
  explicit LiveNotificationsImpl(Chat::Impl& core) : core_(core) {}
  Status Start() {
    CLASH_ASSIGN_OR_RETURN(sub_, core_.pubsub.Subscribe("notify:user:*", [this](const PubSubMessage& m) { OnMessage(m); }));
    return Status::Ok();
  }
  ~LiveNotificationsImpl() override { sub_.reset(); }

  Result<ChatTicket> Admit(std::string_view access_token) override { return core_.Grant(access_token); }
  std::shared_ptr<ChatConnection> Open(ChatTicket ticket, std::shared_ptr<ChatPeer> peer) override;
  std::uint64_t connections() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }

  void Remove(NotificationClient* c);
  void Tick(Timestamp now);
  void Revoke(const AccessRevoked& r);
  Chat::Impl& core() { return core_; }

 private:
  void OnMessage(const PubSubMessage& m);
  std::vector<std::shared_ptr<NotificationClient>> Matching(const std::function<bool(NotificationClient&)>& f);

  Chat::Impl& core_;
  mutable std::mutex mu_;
  std::unordered_multimap<std::int64_t, std::shared_ptr<NotificationClient>> by_user_;  // guarded by mu_
  std::uint64_t count_ = 0;                                                            // guarded by mu_
  std::unique_ptr<Subscription> sub_;
};

class NotificationClient final : public Client, public std::enable_shared_from_this<NotificationClient> {
 public:
  NotificationClient(const ChatTicket& t, std::shared_ptr<ChatPeer> peer, LiveNotificationsImpl& owner)
      : Client(t, std::move(peer), false), owner_(owner), core_(owner.core().weak_from_this()) {}
  void Receive(std::string_view text) override {
    if (closing()) return;
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object() || j.value("action", "") != "auth" || !j.contains("token") || !j["token"].is_string()) return;
    auto core = core_.lock();
    if (!core) return;
    std::shared_ptr<Strand> s(shared_from_this(), &strand);
    auto self = shared_from_this();
    core->executor.Post(s, [self, token = j["token"].get<std::string>()] {
      auto c = self->core_.lock();
      if (!c || self->closing()) return;
      Result<ChatTicket> t = c->Grant(token);
      if (!t.ok() || t->user_id != self->user_id) {
        self->peer->Send(std::make_shared<const ChatFrame>(ErrorFrame("Invalid or expired token.", "unauthenticated")));
        return;
      }
      self->Renew(t->session_id, t->expires_at);
      self->peer->Send(std::make_shared<const ChatFrame>(AuthFrame(t->expires_at)));
    }, 4);
  }
  void Closed() override {
    if (!MarkGone()) return;
    if (core_.lock()) owner_.Remove(this);
  }

 private:
  LiveNotificationsImpl& owner_;
  std::weak_ptr<Chat::Impl> core_;
};

std::shared_ptr<ChatConnection> LiveNotificationsImpl::Open(ChatTicket ticket, std::shared_ptr<ChatPeer> peer) {
  auto c = std::make_shared<NotificationClient>(ticket, std::move(peer), *this);
  std::lock_guard<std::mutex> lock(mu_);
  by_user_.emplace(c->user_id, c);
  ++count_;
  return c;
}

void LiveNotificationsImpl::Remove(NotificationClient* c) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [begin, end] = by_user_.equal_range(c->user_id);
  for (auto it = begin; it != end; ++it) {
    if (it->second.get() == c) {
      by_user_.erase(it);
      --count_;
      return;
    }
  }
}

void LiveNotificationsImpl::OnMessage(const PubSubMessage& m) {
  std::string_view id_text = std::string_view(m.topic).substr(std::string_view("notify:user:").size());
  std::int64_t user_id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), user_id);
  if (ec != std::errc() || end != id_text.data() + id_text.size()) return;
  auto frame = std::make_shared<const ChatFrame>(m.payload);
  std::uint64_t sent = 0;
  std::lock_guard<std::mutex> lock(mu_);
  auto [begin, stop] = by_user_.equal_range(user_id);
  for (auto it = begin; it != stop; ++it) {
    if (!it->second->closing()) sent += it->second->peer->Send(frame) ? 1 : 0;
  }
  core_.frames_sent += sent;
}

std::vector<std::shared_ptr<NotificationClient>> LiveNotificationsImpl::Matching(
    const std::function<bool(NotificationClient&)>& f) {
  std::vector<std::shared_ptr<NotificationClient>> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, c] : by_user_) {
    if (f(*c)) out.push_back(c);
  }
  return out;
}

void LiveNotificationsImpl::Tick(Timestamp now) {
  for (auto& c : Matching([&](NotificationClient& c) { return c.Expired(now); })) {
    c->CloseOnce(kChatCloseUnauthorized, "token expired");
    c->Closed();
  }
}

void LiveNotificationsImpl::Revoke(const AccessRevoked& r) {
  for (auto& c : Matching([&](NotificationClient& c) { return c.RevokedBy(r); })) {
    c->CloseOnce(r.account_disabled ? kChatClosePolicy : kChatCloseUnauthorized,
                 r.account_disabled ? "account disabled" : "session ended");
    c->Closed();
  }
}

std::shared_ptr<LiveNotificationsImpl> NewLiveNotifications(Chat::Impl& core) {
  auto live = std::make_shared<LiveNotificationsImpl>(core);
  Status s = live->Start();
  if (!s.ok()) core.logger.Error("notification sockets cannot subscribe", {{"error", s.ToString()}});
  return live;
}

void TickLiveNotifications(LiveNotificationsImpl& live, Timestamp now) { live.Tick(now); }
void RevokeLiveNotifications(LiveNotificationsImpl& live, const AccessRevoked& r) { live.Revoke(r); }
LiveNotifications& AsLiveNotifications(LiveNotificationsImpl& live) { return live; }

}  // namespace internal


}  // namespace clash
