// Matches over HTTP and /ws/matches/<id>. See match_routes.h.
#include "routes/match_routes.h"

#include <charconv>
#include <deque>

#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include "clash/pubsub.h"
#include "http/json_body.h"
#include "http/json_response.h"
#include "ws/ws_hub.h"

namespace clash::host {
namespace {

using nlohmann::json;

json TimeJson(const std::optional<Timestamp>& t) {
  return t ? json(t->unix_micros() / 1000) : json(nullptr);
}

json CaseJson(const IoCase& c) { return json{{"input", c.input}, {"output", c.expected_output}}; }

json ResultJson(const MatchResult& r) {
  json players = json::array();
  for (const PlayerResult& p : r.players) {
    players.push_back(json{{"user_id", p.user_id},
                           {"username", p.username},
                           {"rank", p.rank},
                           {"score", p.score},
                           {"tests_passed", p.tests_passed},
                           {"tests_total", p.tests_total},
                           {"chars", p.chars},
                           {"elapsed_ms", p.elapsed_ms ? json(*p.elapsed_ms) : json(nullptr)},
                           {"xp", p.xp},
                           {"code", p.code ? json(*p.code) : json(nullptr)},
                           {"language", p.language ? json(*p.language) : json(nullptr)}});
  }
  return json{{"match_id", r.match_id}, {"mode", MatchModeName(r.mode)}, {"players", players}};
}

json ViewJson(const MatchView& v) {
  const MatchRecord& m = v.match;
  json players = json::array();
  for (const MatchPlayerRecord& p : v.players) {
    players.push_back(json{{"user_id", p.user_id}, {"username", p.username}, {"spectator", p.spectator},
                           {"ready", p.ready}, {"left", p.left}, {"is_host", p.user_id == m.host_id}});
  }
  json progress = json::array();
  for (const PlayerProgress& p : v.progress) {
    progress.push_back(json{{"user_id", p.user_id}, {"submissions", p.submissions}, {"best_passed", p.best_passed},
                            {"tests_total", p.tests_total}});
  }
  json samples = json::array();
  for (const IoCase& c : v.sample_cases) samples.push_back(CaseJson(c));
  return json{{"id", m.id},
              {"mode", MatchModeName(m.mode)},
              {"state", MatchStateName(m.state)},
              {"puzzle", {{"slug", m.puzzle_slug}, {"title", v.puzzle_title}}},
              {"host_id", m.host_id},
              {"is_public", m.is_public},
              {"join_code", m.join_code.empty() ? json(nullptr) : json(m.join_code)},
              {"time_limit_seconds", m.time_limit_seconds},
              {"max_players", m.max_players},
              {"created_at", m.created_at.unix_micros() / 1000},
              {"countdown_ends_at", TimeJson(m.countdown_ends_at)},
              {"started_at", TimeJson(m.started_at)},
              {"ends_at", TimeJson(m.ends_at)},
              {"finished_at", TimeJson(m.finished_at)},
              {"last_seq", m.last_seq},
              {"players", players},
              {"statement", v.statement ? json(*v.statement) : json(nullptr)},
              {"samples", samples},
              {"progress", progress},
              {"results", v.result ? ResultJson(*v.result) : json(nullptr)}};
}

json EventJson(const MatchEventRecord& e) {
  return json{{"type", e.type}, {"seq", e.seq}, {"match_id", e.match_id}, {"at", e.at.unix_micros() / 1000},
              {"data", json::parse(e.data_json, nullptr, false)}};
}

std::int64_t ViewerOf(const Caller& caller) { return caller.user ? caller.user->id : 0; }

void WriteView(HttpResponse& resp, int status, const Result<MatchView>& v) {
  if (!v.ok()) return WriteError(resp, v.status());
  WriteJson(resp, status, ViewJson(*v));
}

void WriteDone(HttpResponse& resp, const Status& s) {
  if (!s.ok()) return WriteError(resp, s);
  WriteJson(resp, 200, json{{"ok", true}});
}

// The mode of a body or query value; writes the 400 and returns nullopt when it is unknown.
std::optional<MatchMode> ModeOr400(const std::string& name, HttpResponse& resp) {
  Result<MatchMode> m = ParseMatchMode(name);
  if (!m.ok()) {
    WriteFieldError(resp, "mode", "mode must be fastest, shortest or reverse");
    return std::nullopt;
  }
  return *m;
}

int QueryInt(const HttpRequest& req, const char* key, int fallback) {
  auto it = req.query.find(key);
  if (it == req.query.end()) return fallback;
  std::optional<std::int64_t> v = LenientInt(json(it->second));
  return v ? static_cast<int>(std::clamp<std::int64_t>(*v, -1, 1'000'000'000)) : -1;
}

}  // namespace

void AddMatchRoutes(Router& router, RouteContext& ctx) {
  Engine& e = ctx.engine;
  router.Add("POST", "/api/matches/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    json body;
    if (!ReadJsonObject(req, resp, &body)) return;
    std::optional<std::string> mode, puzzle;
    std::optional<bool> is_public;
    std::optional<std::int64_t> minutes, max_players;
    if (!OptionalString(body, "mode", resp, &mode) || !OptionalString(body, "puzzle", resp, &puzzle) ||
        !OptionalBool(body, "is_public", resp, &is_public) ||
        !OptionalInt(body, "time_limit_minutes", resp, &minutes) ||
        !OptionalInt(body, "max_players", resp, &max_players)) {
      return;
    }
    MatchSettings s;
    if (mode) {
      std::optional<MatchMode> m = ModeOr400(*mode, resp);
      if (!m) return;
      s.mode = *m;
    }
    s.is_public = is_public.value_or(true);
    s.time_limit_minutes = static_cast<int>(std::clamp<std::int64_t>(minutes.value_or(5), -1, 1000));
    s.max_players = static_cast<int>(std::clamp<std::int64_t>(max_players.value_or(8), -1, 1000));
    s.puzzle_slug = puzzle.value_or("");
    WriteView(resp, 201, e.matches().Create(c.user->id, s));
  }));

  router.Add("GET", "/api/matches/", GuardDefault(ctx, Access::kAnyone, [&e](HttpRequest& req, HttpResponse& resp, const Caller&) {
    std::optional<MatchMode> mode;
    if (auto it = req.query.find("mode"); it != req.query.end()) {
      mode = ModeOr400(it->second, resp);
      if (!mode) return;
    }
    Result<std::vector<MatchView>> open = e.matches().ListOpen(mode, QueryInt(req, "limit", 50));
    if (!open.ok()) return WriteError(resp, open.status());
    json out = json::array();
    for (const MatchView& v : *open) out.push_back(ViewJson(v));
    WriteJson(resp, 200, out);
  }));

  router.Add("GET", "/api/matches/{id}/", GuardDefault(ctx, Access::kAnyone, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    WriteView(resp, 200, e.matches().Get(req.path_params["id"], ViewerOf(c)));
  }));

  router.Add("POST", "/api/matches/{id}/join/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    json body;
    if (!ReadJsonObject(req, resp, &body)) return;
    std::optional<bool> spectator;
    std::optional<std::string> code;
    if (!OptionalBool(body, "spectator", resp, &spectator) || !OptionalString(body, "join_code", resp, &code)) return;
    WriteView(resp, 200, e.matches().Join(c.user->id, req.path_params["id"],
                                          JoinOptions{.spectator = spectator.value_or(false), .join_code = code.value_or("")}));
  }));

  router.Add("POST", "/api/matches/join-by-code/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    json body;
    std::string code;
    if (!ReadJsonObject(req, resp, &body) || !StringField(body, "join_code", resp, &code)) return;
    WriteView(resp, 200, e.matches().JoinByCode(c.user->id, code));
  }));

  router.Add("POST", "/api/matches/{id}/leave/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    WriteDone(resp, e.matches().Leave(c.user->id, req.path_params["id"]));
  }));

  router.Add("POST", "/api/matches/{id}/ready/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    json body;
    std::optional<bool> ready;
    if (!ReadJsonObject(req, resp, &body) || !OptionalBool(body, "ready", resp, &ready)) return;
    WriteDone(resp, e.matches().SetReady(c.user->id, req.path_params["id"], ready.value_or(true)));
  }));

  router.Add("POST", "/api/matches/{id}/reveal/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    json body;
    std::optional<bool> reveal;
    if (!ReadJsonObject(req, resp, &body) || !OptionalBool(body, "reveal_code", resp, &reveal)) return;
    WriteDone(resp, e.matches().SetRevealCode(c.user->id, req.path_params["id"], reveal.value_or(true)));
  }));

  router.Add("POST", "/api/matches/{id}/kick/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    json body;
    std::optional<std::int64_t> target;
    if (!ReadJsonObject(req, resp, &body) || !OptionalInt(body, "user_id", resp, &target)) return;
    if (!target) return WriteFieldError(resp, "user_id", "This field is required.");
    WriteDone(resp, e.matches().Kick(c.user->id, req.path_params["id"], *target));
  }));

  router.Add("POST", "/api/matches/{id}/start/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    WriteDone(resp, e.matches().Start(c.user->id, req.path_params["id"]));
  }));

  router.Add("POST", "/api/matches/{id}/submit/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    json body;
    std::string language, code;
    if (!ReadJsonObject(req, resp, &body) || !StringField(body, "language", resp, &language) ||
        !StringField(body, "code", resp, &code)) {
      return;
    }
    Result<SubmitOutcome> s = e.matches().Submit(c.user->id, req.path_params["id"], language, code);
    if (!s.ok()) return WriteError(resp, s.status());
    WriteJson(resp, 200, json{{"submission_id", s->submission.id},
                              {"verdict", VerdictName(s->verdict)},
                              {"message", s->message},
                              {"tests_passed", s->submission.tests_passed},
                              {"tests_total", s->submission.tests_total},
                              {"chars", s->submission.chars},
                              {"elapsed_ms", s->submission.elapsed_ms},
                              {"best", s->best}});
  }));

  router.Add("GET", "/api/matches/{id}/events/", GuardDefault(ctx, Access::kAnyone, [&e](HttpRequest& req, HttpResponse& resp, const Caller&) {
    const int after = QueryInt(req, "after", 0);
    if (after < 0) return WriteFieldError(resp, "after", "after must be a sequence number >= 0");
    Result<std::vector<MatchEventRecord>> events = e.matches().EventsSince(req.path_params["id"], after);
    if (!events.ok()) return WriteError(resp, events.status());
    json out = json::array();
    for (const MatchEventRecord& ev : *events) out.push_back(EventJson(ev));
    WriteJson(resp, 200, out);
  }));

  router.Add("GET", "/api/matches/{id}/results/", GuardDefault(ctx, Access::kAnyone, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    Result<MatchResult> r = e.matches().Results(req.path_params["id"], ViewerOf(c));
    if (!r.ok()) return WriteError(resp, r.status());
    WriteJson(resp, 200, ResultJson(*r));
  }));

  router.Add("GET", "/api/matches/history/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    Result<std::vector<MatchView>> h = e.matches().History(c.user->id, QueryInt(req, "limit", 20));
    if (!h.ok()) return WriteError(resp, h.status());
    json out = json::array();
    for (const MatchView& v : *h) out.push_back(ViewJson(v));
    WriteJson(resp, 200, out);
  }));

  router.Add("GET", "/api/matches/current/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest&, HttpResponse& resp, const Caller& c) {
    Result<std::optional<std::string>> m = e.matches().CurrentMatch(c.user->id);
    if (!m.ok()) return WriteError(resp, m.status());
    WriteJson(resp, 200, json{{"match_id", *m ? json(**m) : json(nullptr)}});
  }));

  router.Add("GET", "/api/matches/leaderboard/{mode}/", GuardDefault(ctx, Access::kAnyone, [&e](HttpRequest& req, HttpResponse& resp, const Caller&) {
    std::optional<MatchMode> mode = ModeOr400(req.path_params["mode"], resp);
    if (!mode) return;
    Result<std::vector<MatchLeaderboardEntry>> board = e.matches().Leaderboard(*mode, QueryInt(req, "limit", 50));
    if (!board.ok()) return WriteError(resp, board.status());
    json out = json::array();
    for (const MatchLeaderboardEntry& b : *board) {
      out.push_back(json{{"user_id", b.user_id}, {"username", b.username}, {"rating", b.rating},
                         {"played", b.played}, {"wins", b.wins}});
    }
    WriteJson(resp, 200, out);
  }));

  router.Add("POST", "/api/matches/queue/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest& req, HttpResponse& resp, const Caller& c) {
    json body;
    std::string mode_name;
    if (!ReadJsonObject(req, resp, &body) || !StringField(body, "mode", resp, &mode_name)) return;
    std::optional<MatchMode> mode = ModeOr400(mode_name, resp);
    if (!mode) return;
    WriteDone(resp, e.matches().Enqueue(c.user->id, *mode));
  }));
  router.Add("DELETE", "/api/matches/queue/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest&, HttpResponse& resp, const Caller& c) {
    WriteDone(resp, e.matches().Dequeue(c.user->id));
  }));
  router.Add("GET", "/api/matches/queue/", GuardDefault(ctx, Access::kUser, [&e](HttpRequest&, HttpResponse& resp, const Caller& c) {
    Result<QueueStatus> q = e.matches().Queue(c.user->id);
    if (!q.ok()) return WriteError(resp, q.status());
    WriteJson(resp, 200, json{{"queued", q->queued},
                              {"mode", q->queued ? json(MatchModeName(q->mode)) : json(nullptr)},
                              {"rating", q->queued ? json(q->rating) : json(nullptr)},
                              {"match_id", q->match_id ? json(*q->match_id) : json(nullptr)}});
  }));
}

// ---------------------------------------------------------------------------------------------
// The live socket

namespace {

// Shared by the socket's session and its pub/sub subscription: frames wait until the socket is
// open and the stored backlog is sent, then live events pass in sequence order without repeats.
struct MatchFeed {
  std::mutex mu;
  std::weak_ptr<WsConnection> conn;
  bool live = false;
  std::int64_t last_seq = 0;
  std::string state_frame;
  std::vector<std::pair<std::int64_t, std::string>> backlog;
  std::deque<std::pair<std::int64_t, std::string>> pending;

  void Send(std::int64_t seq, const std::string& frame) {  // mu held
    if (seq <= last_seq) return;
    last_seq = seq;
    if (auto c = conn.lock()) c->SendText(frame);
  }
  void Deliver(const PubSubMessage& m) {
    const json frame = json::parse(m.payload, nullptr, false);
    if (!frame.is_object() || !frame.contains("seq") || !frame["seq"].is_number_integer()) return;
    std::lock_guard lock(mu);
    if (!live) {
      pending.emplace_back(frame["seq"].get<std::int64_t>(), m.payload);
      return;
    }
    Send(frame["seq"].get<std::int64_t>(), m.payload);
  }
};

class MatchSocket final : public WsSessionHandler {
 public:
  MatchSocket(std::shared_ptr<MatchFeed> feed, std::unique_ptr<Subscription> sub)
      : feed_(std::move(feed)), sub_(std::move(sub)) {}
  void OnOpen(WsConnection& c) override {
    std::lock_guard lock(feed_->mu);
    feed_->conn = c.weak_from_this();
    c.SendText(feed_->state_frame);
    for (const auto& [seq, frame] : feed_->backlog) feed_->Send(seq, frame);
    for (const auto& [seq, frame] : feed_->pending) feed_->Send(seq, frame);
    feed_->backlog.clear();
    feed_->pending.clear();
    feed_->live = true;
  }
  void OnText(WsConnection& c, std::string_view) override {
    c.SendText(R"({"type":"error","error":"this socket only sends; act through the HTTP routes"})");
  }
  void OnClose(WsConnection&, std::uint16_t) override { sub_.reset(); }

 private:
  std::shared_ptr<MatchFeed> feed_;
  std::unique_ptr<Subscription> sub_;
};

std::string TokenOf(const Poco::Net::HTTPServerRequest& req) {
  if (req.has("Authorization")) {
    const std::string& h = req.get("Authorization");
    if (h.size() > 7 && Poco::icompare(h.substr(0, 7), "bearer ") == 0) return h.substr(7);
  }
  Poco::Net::NameValueCollection cookies;
  req.getCookies(cookies);
  return cookies.get("access_token", "");
}

std::int64_t LastSeqOf(const Poco::Net::HTTPServerRequest& req) {
  try {
    for (const auto& [k, v] : Poco::URI(req.getURI()).getQueryParameters()) {
      if (k != "last_seq") continue;
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec == std::errc() && end == v.data() + v.size() && n >= 0) return n;
    }
  } catch (const std::exception&) {
  }
  return 0;
}

}  // namespace

std::optional<WsSessionFactory> MatchSocketRoute(const std::string& path, Engine& engine, const CallerOptions& callers) {
  constexpr std::string_view kPrefix = "/ws/matches/";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  std::string id = path.substr(kPrefix.size());
  if (!id.empty() && id.back() == '/') id.pop_back();
  if (id.empty() || id.find('/') != std::string::npos) return std::nullopt;
  return WsSessionFactory([&engine, &callers, id](const Poco::Net::HTTPServerRequest& req) -> std::shared_ptr<WsSessionHandler> {
    std::optional<std::string> origin;
    if (req.has("Origin")) origin = req.get("Origin");
    if (!WebSocketOriginAllowed(origin, req.getHost(), callers)) return nullptr;
    std::int64_t viewer = 0;
    if (const std::string token = TokenOf(req); !token.empty()) {
      Result<User> user = engine.auth().Authenticate(token);
      if (!user.ok()) return nullptr;
      viewer = user->id;
    }
    // On a worker: subscribe first (live events wait in the feed), then read the stored state and
    // the events after last_seq, so nothing falls between the two.
    auto feed = std::make_shared<MatchFeed>();
    Result<std::unique_ptr<Subscription>> sub = engine.pubsub().Subscribe(
        Matches::Topic(id), [feed](const PubSubMessage& m) { feed->Deliver(m); });
    if (!sub.ok()) return nullptr;
    Result<MatchView> view = engine.matches().Get(id, viewer);
    if (!view.ok()) return nullptr;
    const std::int64_t last = LastSeqOf(req);
    Result<std::vector<MatchEventRecord>> events = engine.matches().EventsSince(id, last);
    if (!events.ok()) return nullptr;
    {
      std::lock_guard lock(feed->mu);
      feed->last_seq = last;
      feed->state_frame = json{{"type", "state"}, {"match", ViewJson(*view)}}.dump();
      for (const MatchEventRecord& e : *events) feed->backlog.emplace_back(e.seq, EventJson(e).dump());
    }
    return std::make_shared<MatchSocket>(std::move(feed), std::move(sub).value());
  });
}

MatchTicker::MatchTicker(Engine& engine, std::chrono::milliseconds period) : engine_(engine), period_(period) {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      Result<int> n = engine_.matches().Tick(engine_.clock().Now());
      if (!n.ok()) engine_.logger().Warn("match timers", {{"error", n.status().ToString()}});
      lock.lock();
      cv_.wait_for(lock, period_, [this] { return stop_; });
    }
  });
}

MatchTicker::~MatchTicker() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace clash::host
