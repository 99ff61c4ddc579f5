// Internal: what chat and notification connections share: the login they hold, its expiry, the
// peer, the strand their client frames run on, and closing exactly once.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "chat/executor.h"
#include "clash/chat.h"

namespace clash::internal {

class Client : public ChatConnection {
 public:
  Client(const ChatTicket& t, std::shared_ptr<ChatPeer> peer, bool watcher)
      : user_id(t.user_id),
        username(t.username),
        avatar_url(t.avatar_url),
        staff(t.staff),
        superuser(t.superuser),
        watcher(watcher),
        peer(std::move(peer)),
        expires_us_(t.expires_at.unix_micros()),
        session_id_(t.session_id) {}

  // Sends `code` and stops further work on this connection; later calls do nothing.
  void CloseOnce(int code, std::string_view reason) {
    if (closing_.exchange(true)) return;
    peer->Close(code, reason);
  }
  bool closing() const { return closing_.load(); }
  // The transport is gone: nothing more is sent. Returns false if it already was.
  bool MarkGone() {
    closing_ = true;
    return !gone_.exchange(true);
  }
  // True when the token has expired at `now` (watchers never expire).
  bool Expired(Timestamp now) const { return !watcher && expires_us_.load() <= now.unix_micros(); }
  // True when `r` ends this connection's access.
  bool RevokedBy(const AccessRevoked& r) {
    if (watcher || r.user_id != user_id) return false;
    if (r.session_id.empty()) return true;
    std::lock_guard<std::mutex> lock(mu_);
    return r.session_id == session_id_;
  }
  std::string session_id() {
    std::lock_guard<std::mutex> lock(mu_);
    return session_id_;
  }
  void Renew(const std::string& session_id, Timestamp expires_at) {
    std::lock_guard<std::mutex> lock(mu_);
    session_id_ = session_id;
    expires_us_ = expires_at.unix_micros();
  }

  const std::int64_t user_id;
  const std::string username;
  const std::string avatar_url;
  const bool staff;
  const bool superuser;
  const bool watcher;
  const std::shared_ptr<ChatPeer> peer;
  // The connection's client frames, in order (its shared_ptr is made with the aliasing constructor).
  Strand strand;

 private:
  std::atomic<bool> closing_{false};
  std::atomic<bool> gone_{false};
  std::atomic<std::int64_t> expires_us_;
  std::mutex mu_;
  std::string session_id_;  // guarded by mu_
};

}  // namespace clash::internal
