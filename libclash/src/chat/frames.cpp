// Chat frames and the host-to-host envelope (chat/frames.h), timestamps and text checks.
#include "chat/frames.h"

#include <charconv>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

namespace clash {
namespace {

using json = nlohmann::json;

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

// Reads exactly `n` digits at `p`.
bool Digits(std::string_view s, std::size_t p, std::size_t n, int& out) {
  if (p + n > s.size()) return false;
  out = 0;
  for (std::size_t i = p; i < p + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::string ChatTimestamp(Timestamp t) {
  const std::int64_t us = t.unix_micros();
  std::int64_t secs = us >= 0 ? us / 1'000'000 : -((-us + 999'999) / 1'000'000);
  const std::int64_t frac = us - secs * 1'000'000;
  std::int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  const std::int64_t sod = secs - days * 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(days, y, m, d);
  char buf[160];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lld+00:00", static_cast<long long>(y), m,
                d, static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                static_cast<long long>(sod % 60), static_cast<long long>(frac));
  return buf;
}

std::optional<Timestamp> ParseChatTimestamp(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!Digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::size_t p = 19;
  std::int64_t frac = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    int digits = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (digits < 6) frac = frac * 10 + (s[p] - '0');
      ++digits;
      ++p;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) frac *= 10;
  }
  std::int64_t offset = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    int oh = 0, om = 0;
    if (!Digits(s, p + 1, 2, oh) || p + 3 >= s.size() || s[p + 3] != ':' || !Digits(s, p + 4, 2, om)) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (s[p] == '+' ? 1 : -1);
    p += 6;
  } else {
    return std::nullopt;  // a naive time would be ambiguous
  }
  if (p != s.size()) return std::nullopt;
  const std::int64_t secs = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                            h * 3600 + mi * 60 + se - offset;
  return Timestamp::FromUnixMicros(secs * 1'000'000 + frac);
}

Result<ChatHistoryQuery> ParseChatHistoryQuery(std::optional<std::string_view> before,
                                               std::optional<std::string_view> limit) {
  auto parse = [](std::string_view t) -> std::optional<std::int64_t> {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
    return v;
  };
  ChatHistoryQuery q;
  if (before) {
    std::optional<std::int64_t> v = parse(*before);
    if (!v || *v < 1) return Status::InvalidArgument("before must be a positive integer");
    q.before = *v;
  }
  if (limit) {
    std::optional<std::int64_t> v = parse(*limit);
    if (!v || *v < 1 || *v > 100) return Status::InvalidArgument("limit must be 1-100");
    q.limit = static_cast<int>(*v);
  }
  return q;
}

namespace internal {
namespace {

json Avatar(const std::string& url) { return url.empty() ? json(nullptr) : json(url); }

json UserJson(const ChatUser& u) {
  return json{{"user_id", u.user_id}, {"username", u.username}, {"avatar_url", Avatar(u.avatar_url)}};
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json ReactionsJson(const ChatReactions& r) {
  json out = json::object();
  for (const auto& [emoji, users] : r) out[emoji] = users;
  return out;
}

json MessageItem(const ChatMessage& m) {
  return json{{"id", m.id},
              {"seq", m.seq},
              {"room", m.room},
              {"message", m.text},
              {"user_id", m.user_id},
              {"username", m.username},
              {"avatar_url", Avatar(m.avatar_url)},
              {"timestamp", ChatTimestamp(m.created_at)},
              {"reactions", ReactionsJson(m.reactions)},
              {"edited", m.edited_at.has_value()}};
}

}  // namespace

std::string MessageItemJson(const ChatMessage& m) { return Dump(MessageItem(m)); }

std::string ChatMessageFrame(const ChatMessage& m) {
  json j = MessageItem(m);
  j["type"] = "chat_message";
  j.erase("reactions");
  j.erase("edited");
  return Dump(j);
}

std::string EditFrame(const ChatMessage& m, std::int64_t seq) {
  return Dump(json{{"type", "chat_edit"},
                   {"timestamp", ChatTimestamp(m.created_at)},
                   {"message", m.text},
                   {"user_id", m.user_id},
                   {"room", m.room},
                   {"id", m.id},
                   {"seq", seq},
                   {"edited_at", m.edited_at ? json(ChatTimestamp(*m.edited_at)) : json(nullptr)}});
}

std::string DeleteFrame(const ChatMessage& m, std::int64_t seq, std::int64_t deleted_by) {
  return Dump(json{{"type", "chat_delete"},
                   {"timestamp", ChatTimestamp(m.created_at)},
                   {"user_id", m.user_id},
                   {"room", m.room},
                   {"id", m.id},
                   {"seq", seq},
                   {"deleted_by", deleted_by}});
}

std::string ReactFrame(const ChatMessage& m, std::int64_t seq, std::string_view emoji, std::string_view username,
                       std::int64_t user_id, bool added) {
  return Dump(json{{"type", "chat_react"},
                   {"timestamp", ChatTimestamp(m.created_at)},
                   {"emoji", std::string(emoji)},
                   {"username", std::string(username)},
                   {"user_id", user_id},
                   {"reactions", ReactionsJson(m.reactions)},
                   {"room", m.room},
                   {"id", m.id},
                   {"seq", seq},
                   {"added", added}});
}

std::string PinFrame(const ChatMessage& m, std::int64_t seq, std::string_view pinned_by) {
  json j{{"type", "chat_pin"},          {"timestamp", ChatTimestamp(m.created_at)},
         {"message", m.text},           {"pinned_by", std::string(pinned_by)},
         {"room", m.room},              {"id", m.id},
         {"user_id", m.user_id},        {"username", m.username}};
  if (seq > 0) j["seq"] = seq;
  return Dump(j);
}

std::string UnpinFrame(const std::optional<ChatMessage>& m, std::string_view room, std::int64_t seq,
                       std::string_view unpinned_by) {
  return Dump(json{{"type", "chat_unpin"},
                   {"timestamp", m ? json(ChatTimestamp(m->created_at)) : json(nullptr)},
                   {"pinned_by", std::string(unpinned_by)},
                   {"message", m ? m->text : std::string()},
                   {"room", std::string(room)},
                   {"id", m ? json(m->id) : json(nullptr)},
                   {"seq", seq}});
}

std::string TypingFrame(std::string_view room, const ChatUser& who, std::int64_t ttl_ms) {
  return Dump(json{{"type", "typing"},
                   {"user_id", who.user_id},
                   {"username", who.username},
                   {"room", std::string(room)},
                   {"expires_in_ms", ttl_ms}});
}

std::string HistoryFrame(std::string_view room, std::string_view items_json, std::int64_t last_seq, bool gap) {
  std::string out = Dump(json{{"type", "history"}, {"room", std::string(room)}, {"last_seq", last_seq}, {"gap", gap}});
  out.pop_back();  // the closing brace: append the (already encoded) messages
  out += ",\"messages\":";
  out += items_json;
  out += '}';
  return out;
}

std::string ResumeFrame(std::string_view room, std::int64_t after_seq, std::int64_t last_seq,
                        const std::vector<ChatEventRecord>& events) {
  std::string out = Dump(json{{"type", "resume"},
                              {"room", std::string(room)},
                              {"after_seq", after_seq},
                              {"last_seq", last_seq},
                              {"gap", false}});
  out.pop_back();
  out += ",\"events\":[";
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i > 0) out += ',';
    out += events[i].frame;
  }
  out += "]}";
  return out;
}

std::string OnlineUsersJson(const std::vector<ChatUser>& users) {
  json list = json::array();
  for (const ChatUser& u : users) list.push_back(UserJson(u));
  return Dump(list);
}

std::string OnlineFrame(std::string_view room, std::int64_t count, const std::vector<ChatUser>& users) {
  json list = json::array();
  for (const ChatUser& u : users) list.push_back(UserJson(u));
  return Dump(json{{"type", "online"},
                   {"room", std::string(room)},
                   {"count", count},
                   {"users", list},
                   {"truncated", static_cast<std::int64_t>(users.size()) < count}});
}

std::string PresenceFrame(std::string_view room, bool join, const ChatUser& who, std::int64_t count, Timestamp at,
                          const std::vector<ChatUser>& joined, const std::vector<ChatUser>& left) {
  json j{{"type", "presence"},         {"event", join ? "join" : "leave"},
         {"user_id", who.user_id},     {"username", who.username},
         {"avatar_url", Avatar(who.avatar_url)}, {"count", count},
         {"timestamp", ChatTimestamp(at)}, {"room", std::string(room)}};
  json jl = json::array(), ll = json::array();
  for (const ChatUser& u : joined) jl.push_back(UserJson(u));
  for (const ChatUser& u : left) ll.push_back(UserJson(u));
  j["joined"] = std::move(jl);
  j["left"] = std::move(ll);
  return Dump(j);
}

std::string ErrorFrame(std::string_view message, std::string_view code, int retry_after) {
  json j{{"type", "error"}, {"message", std::string(message)}, {"code", std::string(code)}};
  if (retry_after > 0) j["retry_after"] = retry_after;
  return Dump(j);
}

std::string MentionFrame(std::string_view sender, std::string_view room, const ChatMessage& m) {
  // The first 100 code points of the message.
  std::size_t end = 0;
  for (int cps = 0; end < m.text.size() && cps < 100; ++cps) {
    ++end;
    while (end < m.text.size() && (static_cast<unsigned char>(m.text[end]) & 0xC0) == 0x80) ++end;
  }
  return Dump(json{{"type", "mention"},
                   {"sender", std::string(sender)},
                   {"room", std::string(room)},
                   {"message", m.text.substr(0, end)},
                   {"message_id", m.id},
                   {"seq", m.seq},
                   {"timestamp", ChatTimestamp(m.created_at)}});
}

std::string AuthFrame(Timestamp expires_at) {
  return Dump(json{{"type", "auth"}, {"expires_at", ChatTimestamp(expires_at)}});
}

std::string MuteFrame(std::int64_t user_id, std::optional<Timestamp> until) {
  return Dump(json{{"type", "chat_mute"},
                   {"user_id", user_id},
                   {"until", until ? json(ChatTimestamp(*until)) : json(nullptr)}});
}

Status CheckMessageText(std::string_view text, std::size_t max_chars) {
  std::size_t cps = 0;
  bool blank = true;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > text.size()) return Status::InvalidArgument("Message is not valid UTF-8.");
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return Status::InvalidArgument("Message is not valid UTF-8.");
      }
    }
    if (n > 1 || !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) blank = false;
    if (n == 1 && c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
      return Status::InvalidArgument("Message may not contain control characters.");
    }
    i += n;
    ++cps;
  }
  if (cps == 0 || cps > max_chars || blank) {
    return Status::InvalidArgument("Message must be 1-" + std::to_string(max_chars) + " characters.");
  }
  return Status::Ok();
}

Status CheckEmoji(std::string_view emoji) {
  if (emoji.empty() || emoji.size() > 64) return Status::InvalidArgument("Emoji must be 1-64 bytes.");
  for (unsigned char c : emoji) {
    if (c <= 0x20 || c == 0x7f) return Status::InvalidArgument("Emoji may not contain spaces or control characters.");
  }
  return CheckMessageText(emoji, 64);
}

std::vector<std::string> Mentions(std::string_view text, int max) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  };
  for (std::size_t i = 0; i < text.size() && static_cast<int>(out.size()) < max; ++i) {
    if (text[i] != '@' || (i > 0 && word(text[i - 1]))) continue;
    std::size_t j = i + 1;
    while (j < text.size() && word(text[j])) ++j;
    std::string name(text.substr(i + 1, j - i - 1));
    while (!name.empty() && (name.back() == '.' || name.back() == '-')) name.pop_back();
    if (!name.empty() && name.size() <= 150 && seen.insert(name).second) out.push_back(name);
    i = j - 1;
  }
  return out;
}

std::string EncodeEnvelope(char kind, std::string_view host, std::int64_t seq, std::string_view body) {
  std::string out;
  out.reserve(host.size() + body.size() + 24);
  out += kind;
  out += '|';
  out += host;
  out += '|';
  out += std::to_string(seq);
  out += '\n';
  out += body;
  return out;
}

std::optional<Envelope> DecodeEnvelope(std::string_view payload) {
  const std::size_t nl = payload.find('\n');
  if (nl == std::string_view::npos || nl < 4 || payload[1] != '|') return std::nullopt;
  std::string_view head = payload.substr(0, nl);
  const std::size_t bar = head.find('|', 2);
  if (bar == std::string_view::npos) return std::nullopt;
  Envelope e;
  e.kind = head[0];
  e.host = std::string(head.substr(2, bar - 2));
  std::string_view seq = head.substr(bar + 1);
  auto [end, ec] = std::from_chars(seq.data(), seq.data() + seq.size(), e.seq);
  if (ec != std::errc() || end != seq.data() + seq.size()) return std::nullopt;
  e.body = std::string(payload.substr(nl + 1));
  return e;
}

std::string UsersJson(const std::vector<ChatUser>& users) {
  json list = json::array();
  for (const ChatUser& u : users) list.push_back(json::array({u.user_id, u.username, u.avatar_url}));
  return Dump(list);
}

std::optional<std::vector<ChatUser>> ParseUsersJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return std::nullopt;
  std::vector<ChatUser> out;
  out.reserve(j.size());
  for (const json& u : j) {
    if (!u.is_array() || u.size() != 3 || !u[0].is_number_integer() || !u[1].is_string() || !u[2].is_string()) {
      return std::nullopt;
    }
    out.push_back(ChatUser{u[0].get<std::int64_t>(), u[1].get<std::string>(), u[2].get<std::string>()});
  }
  return out;
}

std::string RoomTopic(std::string_view room) { return "chat:room:" + std::string(room); }

}  // namespace internal
}  // namespace clash
