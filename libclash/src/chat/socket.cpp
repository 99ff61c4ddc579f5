// The client frames of a chat socket (client-contract.md section 13): parsed on the connection's
// strand, checked against the limits, then turned into the Chat's actions (actions.cpp). Every
// refusal is an `error` frame; the socket stays open.
#include <nlohmann/json.hpp>

#include "chat/chat_impl.h"

namespace clash {
namespace internal {
namespace {

using json = nlohmann::json;

std::string CodeOf(const Status& s) {
  if (s.StringDetail("reason") == "muted") return "muted";
  switch (s.code()) {
    case StatusCode::kInvalidArgument: return "invalid";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kPermissionDenied: return "forbidden";
    case StatusCode::kResourceExhausted: return "rate_limited";
    case StatusCode::kFailedPrecondition: return "refused";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    default: return "unavailable";
  }
}

std::string MessageOf(const Status& s, std::string_view fallback) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kPermissionDenied:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kUnauthenticated:
    case StatusCode::kResourceExhausted:
      return s.message();
    default:
      return std::string(fallback);
  }
}

}  // namespace

// Finds the target of an edit, delete, react or pin: "id" (a message id) or "target_timestamp".
Result<std::int64_t> ResolveTarget(Chat::Impl& core, std::string_view room, const json& j) {
  if (j.contains("id") && j["id"].is_number_integer()) return j["id"].get<std::int64_t>();
  if (!j.contains("target_timestamp") || !j["target_timestamp"].is_string()) {
    return Status::InvalidArgument("target_timestamp is required.");
  }
  std::optional<Timestamp> at = ParseChatTimestamp(j["target_timestamp"].get<std::string>());
  if (!at) return Status::NotFound("Message not found.");
  std::int64_t id = 0;
  CHAT_RETURN_IF_ERROR(core.storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(ChatMessage m, tx.chat().FindMessage(room, *at));
    id = m.id;
    return Status::Ok();
  }));
  return id;
}

namespace {

User ActorOf(const Member& m) {
  User u;
  u.id = m.user_id;
  u.username = m.username;
  u.profile.avatar_url = m.avatar_url;
  u.is_staff = m.staff;
  u.is_superuser = m.superuser;
  return u;
}

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Status Dispatch(Chat::Impl& chat, Member& m, const json& j, const std::string& action) {
  const std::string& room = m.room->name();
  const User actor = ActorOf(m);
  if (action == "send") return chat.Post(actor, room, Text(j, "message")).status();
  if (action == "edit") {
    CLASH_ASSIGN_OR_RETURN(std::int64_t id, ResolveTarget(chat, room, j));
    return chat.Edit(actor, room, id, Text(j, "message")).status();
  }
  if (action == "delete") {
    CLASH_ASSIGN_OR_RETURN(std::int64_t id, ResolveTarget(chat, room, j));
    return chat.Delete(actor, room, id);
  }
  if (action == "react") {
    CLASH_ASSIGN_OR_RETURN(std::int64_t id, ResolveTarget(chat, room, j));
    return chat.React(actor, room, id, Text(j, "emoji")).status();
  }
  if (action == "pin") {
    CLASH_ASSIGN_OR_RETURN(std::int64_t id, ResolveTarget(chat, room, j));
    return chat.Pin(actor, room, id);
  }
  if (action == "unpin") return chat.Unpin(actor, room);
  if (action == "mute" || action == "unmute") {
    if (!j.contains("user_id") || !j["user_id"].is_number_integer()) {
      return Status::InvalidArgument("user_id is required.");
    }
    const std::int64_t target = j["user_id"].get<std::int64_t>();
    if (action == "unmute") return chat.Unmute(actor, target);
    std::int64_t seconds = j.contains("seconds") && j["seconds"].is_number_integer() ? j["seconds"].get<std::int64_t>() : 0;
    return chat.Mute(actor, target, std::chrono::seconds(seconds)).status();
  }
  return Status::InvalidArgument("Unknown action.");
}

}  // namespace

// Runs on the member's strand.
void HandleFrame(Chat::Impl& core, Member& m, const std::string& text) {
  if (m.closing()) return;
  auto reply = [&](std::string frame) { m.peer->Send(std::make_shared<const ChatFrame>(std::move(frame))); };
  auto refuse = [&](const Status& s, std::string_view fallback) {
    ++core.frames_rejected;
    reply(ErrorFrame(MessageOf(s, fallback), CodeOf(s), s.retry_after_seconds().value_or(0)));
  };
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return refuse(Status::InvalidArgument("Invalid message format."), "");
  std::string action = "send";
  if (j.contains("action")) {
    if (!j["action"].is_string()) return refuse(Status::InvalidArgument("Invalid message format."), "");
    action = j["action"].get<std::string>();
  }
  if (action == "auth") {
    Result<ChatTicket> t = core.Grant(Text(j, "token"));
    if (!t.ok() || t->user_id != m.user_id) return refuse(Status::Unauthenticated("Invalid or expired token."), "");
    m.Renew(t->session_id, t->expires_at);
    return reply(AuthFrame(t->expires_at));
  }
  if (action == "typing") {
    Status limited = core.Limit("chat_typing", m.user_id);
    if (!limited.ok()) return refuse(Status::ResourceExhausted("Slow down! Too many typing updates.").WithRetryAfter(limited.retry_after_seconds().value_or(1)), "");
    ChatUser who{m.user_id, m.username, m.avatar_url};
    if (!m.room->Typing(who, core.clock.Now())) return;
    m.room->Broadcast(std::make_shared<const ChatFrame>(
                          TypingFrame(m.room->name(), who, core.options.typing_ttl.count())),
                      m.user_id);
    core.PublishRaw(RoomTopic(m.room->name()), EncodeEnvelope('T', core.host_id, 0, UsersJson({who})));
    return;
  }
  Status burst = core.Limit("chat_burst", m.user_id);
  if (!burst.ok()) {
    return refuse(Status::ResourceExhausted("Slow down! Too many messages too fast").WithRetryAfter(burst.retry_after_seconds().value_or(1)), "");
  }
  Status rate = core.Limit("chat_message", m.user_id);
  if (!rate.ok()) {
    return refuse(Status::ResourceExhausted("Rate limited: too many messages").WithRetryAfter(rate.retry_after_seconds().value_or(1)), "");
  }
  Status s = Dispatch(core, m, j, action);
  if (!s.ok()) refuse(s, "Could not save the change. Please try again.");
  if (action == "send" && s.ok()) m.room->StopTyping(m.user_id);
}

void Member::Receive(std::string_view text) {
  if (closing() || watcher) return;
  auto c = core.lock();
  if (!c) return;
  std::shared_ptr<Strand> s(shared_from_this(), &strand);
  std::weak_ptr<Chat::Impl> weak = core;
  std::shared_ptr<Member> self = shared_from_this();
  if (!c->executor.Post(s, [weak, self, text = std::string(text)] {
        if (auto k = weak.lock()) HandleFrame(*k, *self, text);
      }, static_cast<std::size_t>(c->options.max_queued_frames))) {
    ++c->frames_rejected;
    peer->Send(std::make_shared<const ChatFrame>(ErrorFrame("Slow down! Too many messages waiting.", "rate_limited", 1)));
  }
}

}  // namespace internal
}  // namespace clash
