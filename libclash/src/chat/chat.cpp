// Chat (clash/chat.h): rooms, admitting and joining connections, the PubSub links between hosts,
// and the timer (token expiry, typing expiry, presence). The stored changes are in actions.cpp, the
// client frames in socket.cpp, the notification sockets in live_notifications.cpp.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

#include "chat/chat_impl.h"

namespace clash {

using internal::Member;
using internal::Room;
using internal::RoomSnapshot;

std::shared_ptr<const std::string> ChatFrame::Encoded(
    const std::function<std::shared_ptr<const std::string>(std::string_view)>& encode) const {
  std::call_once(encode_once_, [&] { encoded_ = encode(json_); });
  return encoded_;
}

namespace {

bool ValidRoomName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

Status CheckOptions(const ChatOptions& o) {
  if (o.rooms.empty()) return Status::InvalidArgument("chat needs at least one room");
  for (const std::string& r : o.rooms) {
    if (!ValidRoomName(r)) return Status::InvalidArgument("chat room names are 1-64 of [A-Za-z0-9_-]: '" + r + "'");
  }
  if (o.workers < 1 || o.workers > 64) return Status::InvalidArgument("chat workers must be 1-64");
  if (o.history_limit < 0 || o.history_limit > 100) return Status::InvalidArgument("chat history limit must be 0-100");
  if (o.resume_max_events < 0 || o.resume_window.count() < 0) return Status::InvalidArgument("bad chat resume window");
  if (o.max_queued_frames < 1) return Status::InvalidArgument("chat max_queued_frames must be >= 1");
  if (o.typing_ttl.count() <= 0 || o.presence_interval.count() < 0 || o.presence_heartbeat.count() <= 0) {
    return Status::InvalidArgument("chat typing_ttl and presence_heartbeat must be positive");
  }
  return Status::Ok();
}

}  // namespace

Chat::Impl::Impl(const ChatDeps& deps, ChatOptions opts)
    : storage(deps.storage),
      clock(deps.clock),
      rng(deps.rng),
      logger(deps.logger),
      pubsub(deps.pubsub),
      auth(deps.auth),
      limiter(deps.limiter),
      policy(deps.policy),
      notifications(deps.notifications),
      options(std::move(opts)),
      host_id(options.host_id.empty() ? deps.rng.HexToken(8) : options.host_id),
      executor(options.workers) {}

void Chat::Impl::PublishRaw(const std::string& topic, const std::string& payload) {
  Status s = pubsub.Publish(topic, payload);
  if (!s.ok()) ++publish_failures;
}

void Chat::Impl::Published(const std::string& room_name, std::int64_t seq, const std::string& frame) {
  ++events_stored;
  if (Room* room = FindRoom(room_name)) room->Deliver(seq, std::make_shared<const ChatFrame>(frame, seq));
  PublishRaw(internal::RoomTopic(room_name), internal::EncodeEnvelope('E', host_id, seq, frame));
}

Status Chat::Impl::Limit(std::string_view scope, std::int64_t user_id) {
  if (limiter == nullptr) return Status::Ok();
  CLASH_ASSIGN_OR_RETURN(RateLimit limit, policy.Limit(scope));
  return CheckRateLimit(*limiter, std::string(scope) + ":u" + std::to_string(user_id), limit);
}

Result<ChatTicket> Chat::Impl::Grant(std::string_view access_token) {
  CLASH_ASSIGN_OR_RETURN(AccessGrant g, auth.Grant(access_token));
  ChatTicket t;
  t.user_id = g.user.id;
  t.username = g.user.username;
  t.avatar_url = g.user.profile.avatar_url;
  t.staff = g.user.is_staff || g.user.is_superuser;
  t.superuser = g.user.is_superuser;
  t.session_id = g.session_id;
  t.expires_at = g.expires_at;
  return t;
}

Result<RoomSnapshot> Chat::Impl::ReadSnapshot(Room& room) {
  RoomSnapshot s;
  std::vector<ChatMessage> messages;
  std::optional<ChatMessage> pin;
  std::string pinned_by;
  CHAT_RETURN_IF_ERROR(storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(ChatRoomRecord rec, tx.chat().Room(room.name()));
    s.seq = rec.last_seq;
    CLASH_ASSIGN_OR_RETURN(messages, tx.chat().History(room.name(), std::nullopt, options.history_limit));
    std::erase_if(messages, [&](const ChatMessage& m) { return m.seq > rec.last_seq; });
    std::vector<std::int64_t> ids;
    for (const ChatMessage& m : messages) ids.push_back(m.id);
    if (rec.pinned_message_id) {
      Result<ChatMessage> p = tx.chat().GetMessage(room.name(), *rec.pinned_message_id);
      if (p.ok() && !p->deleted) {
        pin = std::move(p).value();
        if (rec.pinned_by) {
          Result<User> by = tx.users().GetById(*rec.pinned_by);
          if (by.ok()) pinned_by = by->username;
        }
      }
    }
    if (!ids.empty()) {
      CLASH_ASSIGN_OR_RETURN(auto reactions, tx.chat().Reactions(ids));
      for (ChatMessage& m : messages) {
        auto it = reactions.find(m.id);
        if (it != reactions.end()) m.reactions = std::move(it->second);
      }
    }
    return Status::Ok();
  }));
  std::reverse(messages.begin(), messages.end());
  s.items_json = "[";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) s.items_json += ',';
    s.items_json += internal::MessageItemJson(messages[i]);
  }
  s.items_json += ']';
  s.history = std::make_shared<const ChatFrame>(internal::HistoryFrame(room.name(), s.items_json, s.seq, false));
  if (pin) s.pin = std::make_shared<const ChatFrame>(internal::PinFrame(*pin, 0, pinned_by));
  return s;
}

void Chat::Impl::Join(const std::shared_ptr<Member>& m) {
  Room& room = *m->room;
  room.AddJoining(m);
  std::vector<ChatFramePtr> first;
  std::int64_t min_seq = 0;
  bool resumed = false;
  if (m->resume_after) {
    // Exactly the events after resume_after, if the log still holds all of them.
    const std::int64_t after = *m->resume_after;
    std::int64_t last = 0;
    std::vector<ChatEventRecord> events;
    bool complete = false;
    Status s = storage.Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(ChatRoomRecord rec, tx.chat().Room(room.name()));
      last = rec.last_seq;
      if (after < 0 || after > last || last - after > options.resume_max_events) return Status::Ok();
      if (last == after) {
        complete = true;
        return Status::Ok();
      }
      CLASH_ASSIGN_OR_RETURN(events, tx.chat().EventsAfter(room.name(), after, static_cast<int>(last - after)));
      const Timestamp oldest_allowed = clock.Now() - std::chrono::duration_cast<std::chrono::microseconds>(options.resume_window);
      complete = static_cast<std::int64_t>(events.size()) == last - after && events.front().seq == after + 1 &&
                 events.front().at >= oldest_allowed;
      return Status::Ok();
    });
    if (s.ok() && complete) {
      first.push_back(std::make_shared<const ChatFrame>(internal::ResumeFrame(room.name(), after, last, events)));
      min_seq = last;
      resumed = true;
    }
  }
  // The snapshot's pin is sent after a resume too; it comes from the cache when nothing changed.
  std::optional<RoomSnapshot> snap = room.CachedSnapshot();
  {
    if (!snap) {
      Result<RoomSnapshot> fresh = ReadSnapshot(room);
      if (!fresh.ok()) {
        logger.Warn("chat history unavailable", {{"room", room.name()}, {"error", fresh.status().ToString()}});
        m->peer->Send(std::make_shared<const ChatFrame>(
            internal::ErrorFrame("Chat is unavailable, try again later.", "unavailable")));
        m->CloseOnce(1011, "storage unavailable");
        room.Remove(*m);
        return;
      }
      room.StoreSnapshot(*fresh);
      snap = std::move(fresh).value();
    }
  }
  if (!resumed) {
    min_seq = snap->seq;
    if (m->resume_after) {
      first.push_back(std::make_shared<const ChatFrame>(
          internal::HistoryFrame(room.name(), snap->items_json, snap->seq, true)));
    } else {
      first.push_back(snap->history);
    }
  }
  if (snap->pin) first.push_back(snap->pin);
  ChatUser me{m->user_id, m->username, m->avatar_url};
  auto [count, users] = room.Shown(100, m->watcher ? nullptr : &me);
  first.push_back(std::make_shared<const ChatFrame>(internal::OnlineFrame(room.name(), count, users)));
  room.GoLive(m, first, min_seq);
}

void Chat::Impl::OnRoomMessage(const PubSubMessage& message) {
  std::optional<internal::Envelope> e = internal::DecodeEnvelope(message.payload);
  if (!e) return;
  std::string_view topic = message.topic;
  if (!topic.starts_with("chat:room:")) return;
  Room* room = FindRoom(topic.substr(10));
  if (room == nullptr) return;
  switch (e->kind) {
    case 'E':
      room->Deliver(e->seq, std::make_shared<const ChatFrame>(std::move(e->body), e->seq));
      break;
    case 'T': {
      if (e->host == host_id) break;
      auto users = internal::ParseUsersJson(e->body);
      if (!users || users->size() != 1) break;
      room->Typing(users->front(), clock.Now());
      room->Broadcast(std::make_shared<const ChatFrame>(
                          internal::TypingFrame(room->name(), users->front(), options.typing_ttl.count())),
                      users->front().user_id);
      break;
    }
    case 'P': {
      if (e->host == host_id) break;
      auto users = internal::ParseUsersJson(e->body);
      if (users) room->RemotePresence(e->host, std::move(*users), clock.Now());
      break;
    }
    case 'S':
      if (e->host != host_id) room->RequestAnnounce();
      break;
    case 'B':
      if (e->host != host_id) room->RemoteHostGone(e->host);
      break;
    default:
      break;
  }
}

void Chat::Impl::OnRevoked(const AccessRevoked& r) {
  std::vector<std::shared_ptr<Member>> hit;
  for (auto& [name, room] : rooms) {
    room->ForEach([&](Member& m) {
      if (m.RevokedBy(r)) hit.push_back(m.shared_from_this());
    });
  }
  const int code = r.account_disabled ? kChatClosePolicy : kChatCloseUnauthorized;
  for (auto& m : hit) {
    m->CloseOnce(code, r.account_disabled ? "account disabled" : "session ended");
    m->room->Remove(*m);
  }
  if (live) internal::RevokeLiveNotifications(*live, r);
}

void Chat::Impl::Tick() {
  const Timestamp now = clock.Now();
  for (auto& [name, room] : rooms) {
    std::vector<std::shared_ptr<Member>> expired;
    room->ForEach([&](Member& m) {
      if (m.Expired(now)) expired.push_back(m.shared_from_this());
    });
    for (auto& m : expired) {
      m->CloseOnce(kChatCloseUnauthorized, "token expired");
      room->Remove(*m);
    }
    room->Typers(now);
    room->PresenceTick(now);
  }
  if (live) internal::TickLiveNotifications(*live, now);
}

void Chat::Impl::Stop() {
  {
    std::lock_guard<std::mutex> lock(timer_mu);
    stopping = true;
  }
  timer_cv.notify_all();
  if (timer.joinable()) timer.join();
  subscriptions.clear();
  executor.Stop();
  for (auto& [name, room] : rooms) PublishRaw(internal::RoomTopic(name), internal::EncodeEnvelope('B', host_id, 0, ""));
}

Result<std::unique_ptr<Chat>> Chat::Create(const ChatDeps& deps, ChatOptions options) {
  CLASH_RETURN_IF_ERROR(CheckOptions(options));
  auto impl = std::make_shared<Impl>(deps, std::move(options));
  std::weak_ptr<Impl> weak = impl;
  for (const std::string& name : impl->options.rooms) {
    Room::Hooks hooks;
    hooks.read_events = [weak, name](std::int64_t after, int limit) -> Result<std::vector<ChatEventRecord>> {
      auto core = weak.lock();
      if (!core) return Status::Unavailable("chat stopped");
      std::vector<ChatEventRecord> out;
      CHAT_RETURN_IF_ERROR(core->storage.Read([&](StorageTransaction& tx) -> Status {
        CLASH_ASSIGN_OR_RETURN(out, tx.chat().EventsAfter(name, after, limit));
        return Status::Ok();
      }));
      return out;
    };
    Impl* raw = impl.get();
    hooks.announce = [raw, name](std::string_view users) {
      raw->PublishRaw(internal::RoomTopic(name), internal::EncodeEnvelope('P', raw->host_id, 0, users));
    };
    hooks.count_sent = [raw](std::uint64_t n) { raw->frames_sent += n; };
    hooks.count_gap = [raw] { ++raw->gaps_filled; };
    hooks.count_duplicate = [raw] { ++raw->duplicates_dropped; };
    auto room = std::make_unique<Room>(name, impl->options, std::move(hooks));
    std::int64_t last = 0;
    Status read = impl->storage.Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(ChatRoomRecord rec, tx.chat().Room(name));
      last = rec.last_seq;
      return Status::Ok();
    });
    // Storage down at start: the room learns its position from its first event.
    if (read.ok()) room->SetDelivered(last);
    else impl->logger.Warn("chat room state unavailable at start", {{"room", name}, {"error", read.ToString()}});
    impl->rooms.emplace(name, std::move(room));
  }
  impl->live = internal::NewLiveNotifications(*impl);
  Impl* raw = impl.get();
  CLASH_ASSIGN_OR_RETURN(auto rooms_sub,
                         impl->pubsub.Subscribe("chat:room:*", [raw](const PubSubMessage& m) { raw->OnRoomMessage(m); }));
  impl->subscriptions.push_back(std::move(rooms_sub));
  CLASH_ASSIGN_OR_RETURN(auto revoked_sub, impl->pubsub.Subscribe(kAccessRevokedTopic, [raw](const PubSubMessage& m) {
    if (auto r = DecodeAccessRevoked(m.payload)) raw->OnRevoked(*r);
  }));
  impl->subscriptions.push_back(std::move(revoked_sub));
  CLASH_ASSIGN_OR_RETURN(auto link_sub, impl->pubsub.WatchLink([raw](bool up) {
    if (!up) {
      raw->logger.Warn("chat: pub/sub link lost; serving this host's sockets only");
      return;
    }
    for (auto& [name, room] : raw->rooms) {
      room->CatchUp();
      room->RequestAnnounce();
      raw->PublishRaw(internal::RoomTopic(name), internal::EncodeEnvelope('S', raw->host_id, 0, ""));
    }
  }));
  impl->subscriptions.push_back(std::move(link_sub));
  for (auto& [name, room] : impl->rooms) {
    impl->PublishRaw(internal::RoomTopic(name), internal::EncodeEnvelope('S', impl->host_id, 0, ""));
  }
  if (impl->options.tick_interval.count() > 0) {
    impl->timer = std::thread([raw] {
      std::unique_lock<std::mutex> lock(raw->timer_mu);
      while (!raw->stopping) {
        raw->timer_cv.wait_for(lock, raw->options.tick_interval);
        if (raw->stopping) break;
        lock.unlock();
        raw->Tick();
        lock.lock();
      }
    });
  }
  return std::unique_ptr<Chat>(new Chat(std::move(impl)));
}

Chat::Chat(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Chat::~Chat() {
  if (impl_) impl_->Stop();
}

Result<ChatTicket> Chat::Admit(std::string_view access_token, std::string_view room,
                               std::optional<std::int64_t> resume_after) {
  CLASH_ASSIGN_OR_RETURN(ChatTicket t, impl_->Grant(access_token));
  if (impl_->FindRoom(room) == nullptr) return Status::NotFound("Unknown chat room.");
  CLASH_RETURN_IF_ERROR(impl_->Limit("chat_connect", t.user_id));
  t.room = std::string(room);
  t.resume_after = resume_after;
  return t;
}

std::shared_ptr<ChatConnection> Chat::Open(ChatTicket ticket, std::shared_ptr<ChatPeer> peer) {
  Room* room = impl_->FindRoom(ticket.room);
  if (room == nullptr) {
    peer->Close(kChatClosePolicy, "unknown room");
    return nullptr;
  }
  auto m = std::make_shared<Member>(ticket, std::move(peer), false, impl_, room);
  ++impl_->connections;
  std::shared_ptr<internal::Strand> strand(m, &m->strand);
  std::weak_ptr<Impl> weak = impl_;
  if (!impl_->executor.Post(strand, [weak, m] {
        if (auto core = weak.lock()) core->Join(m);
      }, static_cast<std::size_t>(impl_->options.max_queued_frames))) {
    m->CloseOnce(1013, "server busy");
  }
  return m;
}

Result<std::shared_ptr<ChatConnection>> Chat::Watch(std::string_view room_name, std::shared_ptr<ChatPeer> peer) {
  Room* room = impl_->FindRoom(room_name);
  if (room == nullptr) return Status::NotFound("Unknown chat room.");
  ChatTicket t;
  t.room = std::string(room_name);
  auto m = std::make_shared<Member>(t, std::move(peer), true, impl_, room);
  ++impl_->connections;
  impl_->Join(m);
  return std::shared_ptr<ChatConnection>(m);
}

LiveNotifications& Chat::notifications() { return internal::AsLiveNotifications(*impl_->live); }

Result<ChatPresence> Chat::Online(std::string_view room, int limit) {
  Room* r = impl_->FindRoom(room);
  if (r == nullptr) return Status::NotFound("Unknown chat room.");
  return r->Online(limit);
}

Result<std::vector<ChatUser>> Chat::Typing(std::string_view room) {
  Room* r = impl_->FindRoom(room);
  if (r == nullptr) return Status::NotFound("Unknown chat room.");
  return r->Typers(impl_->clock.Now());
}

const ChatOptions& Chat::options() const { return impl_->options; }

ChatStats Chat::stats() const {
  ChatStats s;
  s.connections = impl_->connections.load();
  s.notification_connections = impl_->live ? internal::AsLiveNotifications(*impl_->live).connections() : 0;
  s.events_stored = impl_->events_stored.load();
  s.frames_sent = impl_->frames_sent.load();
  s.frames_rejected = impl_->frames_rejected.load();
  s.gaps_filled = impl_->gaps_filled.load();
  s.duplicates_dropped = impl_->duplicates_dropped.load();
  s.publish_failures = impl_->publish_failures.load();
  for (auto& [name, room] : impl_->rooms) s.online[name] = room->online_count();
  return s;
}

void Chat::Tick() { impl_->Tick(); }

void Chat::Flush() { impl_->executor.Flush(); }

void internal::Member::Closed() {
  if (!MarkGone()) return;
  if (auto c = core.lock()) --c->connections;
  room->Remove(*this);
}

}  // namespace clash
