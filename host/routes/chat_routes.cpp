// Chat and notification sockets and chat history over HTTP. See chat_routes.h.
#include "routes/chat_routes.h"

#include <charconv>

#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include "http/json_response.h"
#include "ws/ws_hub.h"

namespace clash::host {
namespace {

using nlohmann::json;

// Hands frames to one WebSocket; a frame is encoded once and shared by every recipient.
class WsChatPeer final : public ChatPeer {
 public:
  explicit WsChatPeer(std::weak_ptr<WsConnection> c) : c_(std::move(c)) {}
  bool Send(const ChatFramePtr& frame) override {
    auto c = c_.lock();
    return c && c->SendShared(frame->Encoded(&WsHub::EncodeText));
  }
  void Close(int code, std::string_view reason) override {
    if (auto c = c_.lock()) c->Close(static_cast<std::uint16_t>(code), reason);
  }

 private:
  std::weak_ptr<WsConnection> c_;
};

// One socket's session: opens the chat connection when the socket is registered and passes it
// every text frame.
class ChatSocket final : public WsSessionHandler {
 public:
  using Opener = std::function<std::shared_ptr<ChatConnection>(std::shared_ptr<ChatPeer>)>;
  explicit ChatSocket(Opener open) : open_(std::move(open)) {}
  void OnOpen(WsConnection& c) override {
    conn_ = open_(std::make_shared<WsChatPeer>(c.weak_from_this()));
    open_ = nullptr;
  }
  void OnText(WsConnection&, std::string_view text) override {
    if (conn_) conn_->Receive(text);
  }
  void OnClose(WsConnection&, std::uint16_t) override {
    if (conn_) conn_->Closed();
    conn_.reset();
  }

 private:
  Opener open_;
  std::shared_ptr<ChatConnection> conn_;
};

// Bearer header first, then the access_token cookie (as the HTTP routes).
std::string TokenOf(const Poco::Net::HTTPServerRequest& req) {
  if (req.has("Authorization")) {
    const std::string& h = req.get("Authorization");
    if (h.size() > 7 && Poco::icompare(h.substr(0, 7), "bearer ") == 0) return h.substr(7);
  }
  Poco::Net::NameValueCollection cookies;
  req.getCookies(cookies);
  return cookies.get("access_token", "");
}

bool OriginOk(const Poco::Net::HTTPServerRequest& req, const CallerOptions& callers) {
  std::optional<std::string> origin;
  if (req.has("Origin")) origin = req.get("Origin");
  return WebSocketOriginAllowed(origin, req.getHost(), callers);
}

std::optional<std::int64_t> LastSeq(const Poco::Net::HTTPServerRequest& req) {
  try {
    for (const auto& [k, v] : Poco::URI(req.getURI()).getQueryParameters()) {
      if (k != "last_seq") continue;
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec == std::errc() && end == v.data() + v.size() && n >= 0) return n;
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

json MessageJson(const ChatMessage& m) {
  json reactions = json::object();
  for (const auto& [emoji, users] : m.reactions) reactions[emoji] = users;
  return json{{"id", m.id},
              {"seq", m.seq},
              {"room", m.room},
              {"message", m.text},
              {"user_id", m.user_id},
              {"username", m.username},
              {"avatar_url", m.avatar_url.empty() ? json(nullptr) : json(m.avatar_url)},
              {"timestamp", ChatTimestamp(m.created_at)},
              {"reactions", reactions},
              {"edited", m.edited_at.has_value()}};
}

std::optional<std::string_view> QueryValue(const HttpRequest& req, const char* key) {
  auto it = req.query.find(key);
  if (it == req.query.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace

std::optional<WsSessionFactory> ChatSocketRoute(const std::string& path, Engine& engine, const CallerOptions& callers) {
  if (path == "/ws/notifications" || path == "/ws/notifications/") {
    return WsSessionFactory([&engine, &callers](const Poco::Net::HTTPServerRequest& req) -> std::shared_ptr<WsSessionHandler> {
      if (!OriginOk(req, callers)) return nullptr;
      Result<ChatTicket> t = engine.chat().notifications().Admit(TokenOf(req));
      if (!t.ok()) return nullptr;
      return std::make_shared<ChatSocket>([&engine, t = std::move(t).value()](std::shared_ptr<ChatPeer> peer) {
        return engine.chat().notifications().Open(t, std::move(peer));
      });
    });
  }
  constexpr std::string_view kPrefix = "/ws/chat/";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  std::string room = path.substr(kPrefix.size());
  if (!room.empty() && room.back() == '/') room.pop_back();
  return WsSessionFactory([&engine, &callers, room](const Poco::Net::HTTPServerRequest& req) -> std::shared_ptr<WsSessionHandler> {
    if (!OriginOk(req, callers)) return nullptr;
    Result<ChatTicket> t = engine.chat().Admit(TokenOf(req), room, LastSeq(req));
    if (!t.ok()) return nullptr;
    return std::make_shared<ChatSocket>([&engine, t = std::move(t).value()](std::shared_ptr<ChatPeer> peer) {
      return engine.chat().Open(t, std::move(peer));
    });
  });
}

std::string ChatMetrics(Engine& engine) {
  const ChatStats s = engine.chat().stats();
  const PubSubHealth p = engine.pubsub().Health();
  std::ostringstream out;
  auto line = [&](const char* name, const char* type, const char* help, auto value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n' << name << ' ' << value << '\n';
  };
  line("clash_chat_connections", "gauge", "Open chat sockets on this host.", s.connections);
  line("clash_notification_connections", "gauge", "Open notification sockets on this host.", s.notification_connections);
  line("clash_chat_events_stored_total", "counter", "Chat events this host stored.", s.events_stored);
  line("clash_chat_frames_sent_total", "counter", "Chat frames handed to sockets.", s.frames_sent);
  line("clash_chat_frames_rejected_total", "counter", "Client frames answered with an error.", s.frames_rejected);
  line("clash_chat_gap_events_total", "counter", "Events read from storage because the pub/sub missed them.", s.gaps_filled);
  line("clash_chat_duplicates_dropped_total", "counter", "Events that arrived twice.", s.duplicates_dropped);
  line("clash_chat_publish_failures_total", "counter", "Publishes the pub/sub refused.", s.publish_failures);
  line("clash_pubsub_connected", "gauge", "1 while the pub/sub link is up (in-process: always).", p.connected ? 1 : 0);
  line("clash_pubsub_link_losses_total", "counter", "Times the pub/sub link was lost.", p.link_losses);
  out << "# HELP clash_chat_online_users Distinct users online in a room, on every host.\n"
      << "# TYPE clash_chat_online_users gauge\n";
  for (const auto& [room, n] : s.online) out << "clash_chat_online_users{room=\"" << room << "\"} " << n << '\n';
  return out.str();
}

void AddChatRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("GET", "/api/chat/history/",
             Guard(ctx, Access::kUser, "user", [&engine](HttpRequest& req, HttpResponse& resp, const Caller&) {
               Result<ChatHistoryQuery> q = ParseChatHistoryQuery(QueryValue(req, "before"), QueryValue(req, "limit"));
               if (!q.ok()) return WriteError(resp, q.status());
               Result<ChatHistoryPage> page = engine.chat().History("global", *q);
               if (!page.ok()) return WriteError(resp, page.status());
               json messages = json::array();
               for (const ChatMessage& m : page->messages) messages.push_back(MessageJson(m));
               resp.SetHeader("Cache-Control", "no-store");
               WriteJson(resp, 200, json{{"room", page->room},
                                         {"messages", messages},
                                         {"has_more", page->has_more},
                                         {"last_seq", page->last_seq}});
             }));
  router.Add("GET", "/api/chat/online/",
             Guard(ctx, Access::kUser, "user", [&engine](HttpRequest&, HttpResponse& resp, const Caller&) {
               Result<ChatPresence> p = engine.chat().Online("global", 1000);
               if (!p.ok()) return WriteError(resp, p.status());
               json users = json::array();
               for (const ChatUser& u : p->users) {
                 users.push_back(json{{"user_id", u.user_id}, {"username", u.username},
                                      {"avatar_url", u.avatar_url.empty() ? json(nullptr) : json(u.avatar_url)}});
               }
               WriteJson(resp, 200, json{{"room", p->room}, {"count", p->count}, {"users", users}});
             }));
}

}  // namespace clash::host
