// The stored changes of a chat room: each is one transaction that takes the room's next sequence
// number, changes the messages, logs the exact frame clients get and, after the commit, delivers it
// here and publishes it to the other hosts (Chat::Impl::Published). Nothing is sent for work that
// rolled back.
#include <algorithm>

#include "chat/chat_impl.h"

namespace clash {

using internal::Room;

namespace {

bool IsStaff(const User& u) { return u.is_staff || u.is_superuser; }

Status CheckMute(StorageTransaction& tx, std::int64_t user_id, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(std::optional<Timestamp> until, tx.chat().MutedUntil(user_id));
  if (until && *until > now) {
    return Status::FailedPrecondition("You are muted until " + ChatTimestamp(*until) + ".")
        .WithDetail("reason", std::string("muted"));
  }
  return Status::Ok();
}

// A message that exists and is not deleted.
Result<ChatMessage> LiveMessage(StorageTransaction& tx, std::string_view room, std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(ChatMessage m, tx.chat().GetMessage(room, id));
  if (m.deleted) return Status::NotFound("Message not found.");
  return m;
}

std::string Preview(std::string_view text, std::size_t max_cps) {
  std::size_t end = 0;
  for (std::size_t cps = 0; end < text.size() && cps < max_cps; ++cps) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return std::string(text.substr(0, end));
}

}  // namespace

Result<ChatMessage> Chat::Impl::Post(const User& author, std::string_view room, std::string_view text) {
  if (FindRoom(room) == nullptr) return Status::NotFound("Unknown chat room.");
  CLASH_RETURN_IF_ERROR(internal::CheckMessageText(text));
  ChatMessage m;
  const std::string name(room);
  CHAT_RETURN_IF_ERROR(storage.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = clock.Now();
    CLASH_RETURN_IF_ERROR(CheckMute(tx, author.id, now));
    CLASH_ASSIGN_OR_RETURN(ChatPosition pos, tx.chat().NextEvent(room, now));
    m = ChatMessage{};
    m.room = name;
    m.seq = pos.seq;
    m.user_id = author.id;
    m.username = author.username;
    m.avatar_url = author.profile.avatar_url;
    m.text = std::string(text);
    m.created_at = pos.at;
    CLASH_ASSIGN_OR_RETURN(m.id, tx.chat().InsertMessage(m));
    std::string frame = internal::ChatMessageFrame(m);
    CLASH_RETURN_IF_ERROR(tx.chat().AppendEvent(room, {pos.seq, pos.at, frame}));
    if (notifications != nullptr) {
      for (const std::string& who : internal::Mentions(text, options.max_mentions)) {
        if (who == author.username) continue;
        Result<User> target = tx.users().GetByUsername(who);
        if (!target.ok() || !target->is_active) continue;
        NewNotification n;
        n.recipient_id = target->id;
        n.actor_id = author.id;
        n.verb = "mentioned you in chat";
        n.title = "New mention";
        n.body = author.username + ": " + Preview(m.text, 100);
        n.data = {{"sender", author.username},
                  {"room", name},
                  {"message", Preview(m.text, 100)},
                  {"message_id", std::to_string(m.id)},
                  {"seq", std::to_string(m.seq)},
                  {"timestamp", ChatTimestamp(m.created_at)}};
        n.socket_type = "mention";
        CLASH_RETURN_IF_ERROR(notifications->Notify(tx, n));
      }
    }
    // Keep the log to its window: what is older than the window or beyond the event cap goes.
    if (pos.seq % 100 == 0) {
      const Timestamp cutoff = now - std::chrono::duration_cast<std::chrono::microseconds>(options.resume_window);
      Result<std::int64_t> pruned = tx.chat().PruneEvents(room, pos.seq - options.resume_max_events - 1, cutoff);
      if (!pruned.ok()) return pruned.status();
    }
    tx.OnCommit([this, name, seq = pos.seq, frame = std::move(frame)] { Published(name, seq, frame); });
    return Status::Ok();
  }));
  return m;
}

Result<ChatMessage> Chat::Impl::Edit(const User& actor, std::string_view room, std::int64_t id, std::string_view text) {
  if (FindRoom(room) == nullptr) return Status::NotFound("Unknown chat room.");
  CLASH_RETURN_IF_ERROR(internal::CheckMessageText(text));
  ChatMessage m;
  const std::string name(room);
  CHAT_RETURN_IF_ERROR(storage.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = clock.Now();
    CLASH_RETURN_IF_ERROR(CheckMute(tx, actor.id, now));
    CLASH_ASSIGN_OR_RETURN(ChatPosition pos, tx.chat().NextEvent(room, now));
    CLASH_ASSIGN_OR_RETURN(m, LiveMessage(tx, room, id));
    if (m.user_id != actor.id) return Status::PermissionDenied("You can only edit your own messages.");
    CLASH_RETURN_IF_ERROR(tx.chat().EditMessage(id, text, pos.at));
    m.text = std::string(text);
    m.edited_at = pos.at;
    std::string frame = internal::EditFrame(m, pos.seq);
    CLASH_RETURN_IF_ERROR(tx.chat().AppendEvent(room, {pos.seq, pos.at, frame}));
    tx.OnCommit([this, name, seq = pos.seq, frame = std::move(frame)] { Published(name, seq, frame); });
    return Status::Ok();
  }));
  return m;
}

Status Chat::Impl::Delete(const User& actor, std::string_view room, std::int64_t id) {
  if (FindRoom(room) == nullptr) return Status::NotFound("Unknown chat room.");
  const std::string name(room);
  return storage.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = clock.Now();
    CLASH_ASSIGN_OR_RETURN(ChatPosition pos, tx.chat().NextEvent(room, now));
    CLASH_ASSIGN_OR_RETURN(ChatMessage m, LiveMessage(tx, room, id));
    if (m.user_id != actor.id && !IsStaff(actor)) {
      return Status::PermissionDenied("You can only delete your own messages.");
    }
    CLASH_RETURN_IF_ERROR(tx.chat().DeleteMessage(id, actor.id, pos.at));
    std::vector<std::pair<std::int64_t, std::string>> frames;
    frames.emplace_back(pos.seq, internal::DeleteFrame(m, pos.seq, actor.id));
    CLASH_RETURN_IF_ERROR(tx.chat().AppendEvent(room, {pos.seq, pos.at, frames.back().second}));
    CLASH_ASSIGN_OR_RETURN(ChatRoomRecord rec, tx.chat().Room(room));
    if (rec.pinned_message_id == id) {  // a deleted message is no longer pinned
      CLASH_ASSIGN_OR_RETURN(ChatPosition unpin, tx.chat().NextEvent(room, now));
      CLASH_RETURN_IF_ERROR(tx.chat().SetPin(room, std::nullopt, std::nullopt));
      frames.emplace_back(unpin.seq, internal::UnpinFrame(m, room, unpin.seq, actor.username));
      CLASH_RETURN_IF_ERROR(tx.chat().AppendEvent(room, {unpin.seq, unpin.at, frames.back().second}));
    }
    tx.OnCommit([this, name, frames = std::move(frames)] {
      for (const auto& [seq, frame] : frames) Published(name, seq, frame);
    });
    return Status::Ok();
  });
}

Result<ChatMessage> Chat::Impl::React(const User& actor, std::string_view room, std::int64_t id,
                                      std::string_view emoji) {
  if (FindRoom(room) == nullptr) return Status::NotFound("Unknown chat room.");
  CLASH_RETURN_IF_ERROR(internal::CheckEmoji(emoji));
  ChatMessage m;
  const std::string name(room);
  CHAT_RETURN_IF_ERROR(storage.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = clock.Now();
    CLASH_RETURN_IF_ERROR(CheckMute(tx, actor.id, now));
    CLASH_ASSIGN_OR_RETURN(ChatPosition pos, tx.chat().NextEvent(room, now));
    CLASH_ASSIGN_OR_RETURN(m, LiveMessage(tx, room, id));
    CLASH_ASSIGN_OR_RETURN(bool added, tx.chat().ToggleReaction(id, emoji, actor.id, now));
    if (added) {
      CLASH_ASSIGN_OR_RETURN(int emojis, tx.chat().ReactionEmojiCount(id));
      if (emojis > options.max_reaction_emojis) return Status::InvalidArgument("Too many different reactions.");
    }
    CLASH_ASSIGN_OR_RETURN(auto reactions, tx.chat().Reactions({id}));
    if (auto it = reactions.find(id); it != reactions.end()) m.reactions = std::move(it->second);
    std::string frame = internal::ReactFrame(m, pos.seq, emoji, actor.username, actor.id, added);
    CLASH_RETURN_IF_ERROR(tx.chat().AppendEvent(room, {pos.seq, pos.at, frame}));
    tx.OnCommit([this, name, seq = pos.seq, frame = std::move(frame)] { Published(name, seq, frame); });
    return Status::Ok();
  }));
  return m;
}

Status Chat::Impl::Pin(const User& actor, std::string_view room, std::int64_t id) {
  if (FindRoom(room) == nullptr) return Status::NotFound("Unknown chat room.");
  if (!options.anyone_may_pin && !IsStaff(actor)) return Status::PermissionDenied("Only staff can pin messages.");
  const std::string name(room);
  return storage.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = clock.Now();
    CLASH_RETURN_IF_ERROR(CheckMute(tx, actor.id, now));
    CLASH_ASSIGN_OR_RETURN(ChatPosition pos, tx.chat().NextEvent(room, now));
    CLASH_ASSIGN_OR_RETURN(ChatMessage m, LiveMessage(tx, room, id));
    CLASH_RETURN_IF_ERROR(tx.chat().SetPin(room, id, actor.id));
    std::string frame = internal::PinFrame(m, pos.seq, actor.username);  // the stored text
    CLASH_RETURN_IF_ERROR(tx.chat().AppendEvent(room, {pos.seq, pos.at, frame}));
    tx.OnCommit([this, name, seq = pos.seq, frame = std::move(frame)] { Published(name, seq, frame); });
    return Status::Ok();
  });
}

Status Chat::Impl::Unpin(const User& actor, std::string_view room) {
  if (FindRoom(room) == nullptr) return Status::NotFound("Unknown chat room.");
  if (!options.anyone_may_pin && !IsStaff(actor)) return Status::PermissionDenied("Only staff can unpin messages.");
  const std::string name(room);
  return storage.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = clock.Now();
    CLASH_ASSIGN_OR_RETURN(ChatPosition pos, tx.chat().NextEvent(room, now));
    CLASH_ASSIGN_OR_RETURN(ChatRoomRecord rec, tx.chat().Room(room));
    if (!rec.pinned_message_id) return Status::NotFound("No message is pinned.");
    std::optional<ChatMessage> m;
    if (Result<ChatMessage> r = tx.chat().GetMessage(room, *rec.pinned_message_id); r.ok()) m = std::move(r).value();
    CLASH_RETURN_IF_ERROR(tx.chat().SetPin(room, std::nullopt, std::nullopt));
    std::string frame = internal::UnpinFrame(m, room, pos.seq, actor.username);
    CLASH_RETURN_IF_ERROR(tx.chat().AppendEvent(room, {pos.seq, pos.at, frame}));
    tx.OnCommit([this, name, seq = pos.seq, frame = std::move(frame)] { Published(name, seq, frame); });
    return Status::Ok();
  });
}

Result<Timestamp> Chat::Impl::Mute(const User& actor, std::int64_t user_id, std::chrono::seconds duration) {
  if (duration < std::chrono::seconds(1) || duration > std::chrono::hours(24 * 30)) {
    return Status::InvalidArgument("A mute lasts 1 second to 30 days.");
  }
  Timestamp until;
  CHAT_RETURN_IF_ERROR(storage.Transact([&](StorageTransaction& tx) -> Status {
    Result<User> target = tx.users().GetById(user_id);
    if (!target.ok()) return target.status().code() == StatusCode::kNotFound ? Status::NotFound("User not found.") : target.status();
    CLASH_RETURN_IF_ERROR(Require(actor, Permission::kManageUser, &*target));
    const Timestamp now = clock.Now();
    until = now + std::chrono::duration_cast<std::chrono::microseconds>(duration);
    return tx.chat().SetMute(user_id, until, actor.id, now);
  }));
  return until;
}

Status Chat::Impl::Unmute(const User& actor, std::int64_t user_id) {
  return storage.Transact([&](StorageTransaction& tx) -> Status {
    Result<User> target = tx.users().GetById(user_id);
    if (!target.ok()) return target.status().code() == StatusCode::kNotFound ? Status::NotFound("User not found.") : target.status();
    CLASH_RETURN_IF_ERROR(Require(actor, Permission::kManageUser, &*target));
    Result<bool> cleared = tx.chat().ClearMute(user_id);
    return cleared.ok() ? Status::Ok() : cleared.status();
  });
}

// --- Chat's public methods ----------------------------------------------------------------------

Result<ChatMessage> Chat::Post(const User& author, std::string_view room, std::string_view text) {
  return impl_->Post(author, room, text);
}
Result<ChatMessage> Chat::Edit(const User& actor, std::string_view room, std::int64_t id, std::string_view text) {
  return impl_->Edit(actor, room, id, text);
}
Status Chat::Delete(const User& actor, std::string_view room, std::int64_t id) { return impl_->Delete(actor, room, id); }
Result<ChatMessage> Chat::React(const User& actor, std::string_view room, std::int64_t id, std::string_view emoji) {
  return impl_->React(actor, room, id, emoji);
}
Status Chat::Pin(const User& actor, std::string_view room, std::int64_t id) { return impl_->Pin(actor, room, id); }
Status Chat::Unpin(const User& actor, std::string_view room) { return impl_->Unpin(actor, room); }
Result<Timestamp> Chat::Mute(const User& actor, std::int64_t user_id, std::chrono::seconds duration) {
  return impl_->Mute(actor, user_id, duration);
}
Status Chat::Unmute(const User& actor, std::int64_t user_id) { return impl_->Unmute(actor, user_id); }

Result<ChatHistoryPage> Chat::History(std::string_view room, const ChatHistoryQuery& query) {
  if (impl_->FindRoom(room) == nullptr) return Status::NotFound("Unknown chat room.");
  if (query.limit < 1 || query.limit > 100) return Status::InvalidArgument("limit must be 1-100");
  ChatHistoryPage page;
  page.room = std::string(room);
  CHAT_RETURN_IF_ERROR(impl_->storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(ChatRoomRecord rec, tx.chat().Room(room));
    page.last_seq = rec.last_seq;
    CLASH_ASSIGN_OR_RETURN(page.messages, tx.chat().History(room, query.before, query.limit + 1));
    page.has_more = static_cast<int>(page.messages.size()) > query.limit;
    if (page.has_more) page.messages.resize(static_cast<std::size_t>(query.limit));
    std::vector<std::int64_t> ids;
    for (const ChatMessage& m : page.messages) ids.push_back(m.id);
    if (ids.empty()) return Status::Ok();
    CLASH_ASSIGN_OR_RETURN(auto reactions, tx.chat().Reactions(ids));
    for (ChatMessage& m : page.messages) {
      if (auto it = reactions.find(m.id); it != reactions.end()) m.reactions = std::move(it->second);
    }
    return Status::Ok();
  }));
  std::reverse(page.messages.begin(), page.messages.end());
  return page;
}

}  // namespace clash
