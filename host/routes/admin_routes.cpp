// The admin console's routes. See admin_routes.h.
#include "routes/admin_routes.h"

#include <string>

#include <nlohmann/json.hpp>

#include "clash/timezone.h"
#include "http/json_body.h"
#include "http/json_response.h"
#include "routes/social_routes.h"

namespace clash::host {
namespace {

using nlohmann::json;

std::string Query(const HttpRequest& req, const char* key) {
  auto it = req.query.find(key);
  return it == req.query.end() ? "" : it->second;
}

int QueryInt(const HttpRequest& req, const char* key, int fallback, int lo, int hi) {
  std::optional<std::int64_t> v = LenientInt(json(Query(req, key)));
  if (!v) return fallback;
  return static_cast<int>(std::clamp<std::int64_t>(*v, lo, hi));
}

// "YYYY-MM-DD" (start of the day, or its end for `end_of_day`) or "YYYY-MM-DDTHH:MM[:SS][Z]", UTC.
std::optional<Timestamp> ParseWhen(const std::string& text, bool end_of_day) {
  if (text.size() < 10) return std::nullopt;
  Result<CivilDate> date = CivilDate::Parse(std::string_view(text).substr(0, 10));
  if (!date.ok()) return std::nullopt;
  std::int64_t seconds = date->DaysSinceEpoch() * 86400;
  if (text.size() == 10) return Timestamp::FromUnixSeconds(seconds + (end_of_day ? 86399 : 0)) +
                                (end_of_day ? std::chrono::microseconds(999'999) : std::chrono::microseconds(0));
  int h = 0, m = 0, s = 0;
  char sep = 0;
  if (std::sscanf(text.c_str() + 10, "%c%2d:%2d:%2d", &sep, &h, &m, &s) < 3 || (sep != 'T' && sep != ' ')) {
    return std::nullopt;
  }
  if (h > 23 || m > 59 || s > 59) return std::nullopt;
  return Timestamp::FromUnixSeconds(seconds + h * 3600 + m * 60 + s);
}

json OptTime(const std::optional<Timestamp>& t) { return t ? json(t->ToIso8601()) : json(nullptr); }

json AdminUserJson(const AdminUser& a) {
  const User& u = a.user;
  return json{{"id", u.id},
              {"username", u.username},
              {"email", u.email},
              {"first_name", u.first_name},
              {"last_name", u.last_name},
              {"is_active", u.is_active},
              {"is_staff", u.is_staff},
              {"is_superuser", u.is_superuser},
              {"role", RoleName(u.role())},
              {"date_joined", u.date_joined.ToIso8601()},
              {"last_login", OptTime(a.last_login)},
              {"profile", json{{"avatar_url", NullableUrl(u.profile.avatar_url)},
                               {"bio", u.profile.bio},
                               {"provider", u.profile.provider},
                               {"xp", a.xp}}}};
}

json AuditJson(const AuditEntry& e) {
  json details = json::parse(e.details_json, nullptr, false);
  return json{{"id", e.id},
              {"admin", e.admin_username},
              {"action", e.action},
              {"target", e.target_username},
              {"details", details.is_object() ? details : json::object()},
              {"timestamp", e.created_at.ToIso8601()},
              {"request_id", e.request_id},
              {"actor_ip", e.actor_ip.empty() ? json(nullptr) : json(e.actor_ip)}};
}

json NoteJson(const AdminNote& n) {
  return json{{"id", n.id}, {"admin", n.admin_username}, {"target", n.target_username}, {"body", n.body},
              {"is_pinned", n.is_pinned}, {"created_at", n.created_at.ToIso8601()}};
}

json ReportJson(const AdminReport& r) {
  json context = json::parse(r.context_json, nullptr, false);
  return json{{"id", r.id},
              {"target", r.target_username},
              {"target_username", r.target_username},
              {"created_by", r.created_by.empty() ? json(nullptr) : json(r.created_by)},
              {"resolved_by", r.resolved_by.empty() ? json(nullptr) : json(r.resolved_by)},
              {"title", r.title},
              {"summary", r.summary},
              {"category", r.category},
              {"priority", r.priority},
              {"status", r.status},
              {"context", context.is_object() ? context : json::object()},
              {"created_at", r.created_at.ToIso8601()},
              {"updated_at", r.updated_at.ToIso8601()},
              {"resolved_at", OptTime(r.resolved_at)}};
}

json LevelJson(const LevelAnalytics& l) {
  // Attempts, times and stars come with stored progress (the campaign); until then a level's
  // attempts are its completions.
  return json{{"id", l.slug},          {"slug", l.slug},
              {"title", l.title},      {"order", l.order},
              {"attempts", l.completions}, {"completions", l.completions},
              {"completion_rate", l.completion_rate}, {"abandonment_rate", 0.0},
              {"average_time_seconds", nullptr}, {"avg_stars", nullptr},
              {"xp_paid", l.xp_paid},  {"is_personalized", false}};
}

json ItemJson(const ItemAnalytics& i) {
  return json{{"id", i.id}, {"name", i.name}, {"category", i.category}, {"cost", i.cost}, {"sales", i.sales},
              {"revenue", i.revenue}};
}

json DaysJson(const std::vector<DailyCount>& days) {
  json out = json::array();
  for (const DailyCount& d : days) out.push_back(json{{"date", d.date}, {"count", d.count}});
  return out;
}

json TopUsersJson(const std::vector<TopUser>& users) {
  json out = json::array();
  for (const TopUser& u : users) out.push_back(json{{"username", u.username}, {"xp", u.xp}, {"followers", u.followers}});
  return out;
}

UserQuery UserQueryOf(const HttpRequest& req) {
  return UserQuery{.search = Query(req, "search"), .role = Query(req, "role"), .status = Query(req, "status"),
                   .page = QueryInt(req, "page", 1, 1, 1'000'000'000),
                   .page_size = QueryInt(req, "page_size", 25, 1, 100)};
}

// 400 for a bad audit filter; else the query.
std::optional<AuditQuery> AuditQueryOf(const HttpRequest& req, HttpResponse& resp) {
  AuditQuery q{.action = Query(req, "action"), .admin = Query(req, "admin"), .target = Query(req, "target"),
               .search = Query(req, "search"), .ordering = Query(req, "ordering")};
  for (auto [key, end, field] : {std::tuple{"date_from", false, &q.from}, std::tuple{"date_to", true, &q.to}}) {
    std::string v = Query(req, key);
    if (v.empty()) continue;
    *field = ParseWhen(v, end);
    if (!*field) {
      WriteFieldError(resp, key, "Enter a valid date or date/time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS).");
      return std::nullopt;
    }
  }
  const int limit = QueryInt(req, "limit", 50, 1, 500);
  q.page_size = QueryInt(req, "page_size", limit, 1, 500);
  q.page = QueryInt(req, "page", 1, 1, 1'000'000'000);
  if (req.query.count("offset") != 0 && req.query.count("page") == 0) {
    q.page = QueryInt(req, "offset", 0, 0, 1'000'000'000) / q.page_size + 1;
  }
  return q;
}

void WriteCsv(HttpResponse& resp, const std::string& filename, std::string body) {
  resp.status = 200;
  resp.content_type = "text/csv; charset=utf-8";
  resp.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  resp.SetHeader("X-Content-Type-Options", "nosniff");
  resp.body = std::move(body);
}

}  // namespace

AdminContext AdminContextOf(const HttpRequest& req, const Caller& caller, const CallerOptions& callers) {
  return AdminContext{.actor = *caller.user,
                      .request_id = req.request_id,
                      .actor_ip = ClientIp(req, callers),
                      .user_agent = req.Header("user-agent").value_or("")};
}

void AddAdminRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  Admin& admin = engine.admin();
  const CallerOptions& callers = ctx.callers;
  // Registers a staff route whose handler gets the admin context.
  auto add = [&](const char* method, const char* path,
                 std::function<void(HttpRequest&, HttpResponse&, const AdminContext&)> fn) {
    router.Add(method, path,
               GuardDefault(ctx, Access::kStaff, [fn, &callers](HttpRequest& req, HttpResponse& resp, const Caller& c) {
                 resp.SetHeader("Cache-Control", "no-store");
                 fn(req, resp, AdminContextOf(req, c, callers));
               }));
  };

  add("GET", "/api/admin/stats/", [&admin](HttpRequest&, HttpResponse& resp, const AdminContext& a) {
    Result<AdminStats> s = admin.Stats(a);
    if (!s.ok()) return WriteError(resp, s.status());
    WriteJson(resp, 200, json{{"total_users", s->total_users}, {"active_sessions", s->active_sessions},
                              {"oauth_logins", s->oauth_logins}, {"total_gems", s->total_gems}});
  });
  add("GET", "/api/admin/analytics/challenges/", [&admin](HttpRequest&, HttpResponse& resp, const AdminContext& a) {
    Result<std::vector<LevelAnalytics>> levels = admin.LevelStats(a);
    if (!levels.ok()) return WriteError(resp, levels.status());
    json out = json::array();
    for (const LevelAnalytics& l : *levels) out.push_back(LevelJson(l));
    WriteJson(resp, 200, out);
  });
  add("GET", "/api/admin/analytics/store/", [&admin](HttpRequest&, HttpResponse& resp, const AdminContext& a) {
    Result<std::vector<ItemAnalytics>> items = admin.StoreStats(a);
    if (!items.ok()) return WriteError(resp, items.status());
    json out = json::array();
    std::int64_t spent = 0;
    for (const ItemAnalytics& i : *items) {
      out.push_back(ItemJson(i));
      spent += i.revenue;
    }
    WriteJson(resp, 200, json{{"items", out}, {"total_xp_spent", spent}});
  });
  add("GET", "/api/admin/analytics/engagement/", [&admin](HttpRequest&, HttpResponse& resp, const AdminContext& a) {
    Result<EngagementAnalytics> e = admin.Engagement(a);
    if (!e.ok()) return WriteError(resp, e.status());
    json providers = json::array();
    for (const auto& [provider, count] : e->auth_distribution) providers.push_back(json{{"provider", provider}, {"count", count}});
    WriteJson(resp, 200, json{{"daily_growth", DaysJson(e->daily_growth)}, {"active_users_24h", e->active_users_24h},
                              {"auth_distribution", providers}, {"top_users", TopUsersJson(e->top_users)}});
  });
  add("GET", "/api/admin/analytics/ultimate/", [&admin](HttpRequest&, HttpResponse& resp, const AdminContext& a) {
    Result<UltimateAnalytics> u = admin.Ultimate(a);
    if (!u.ok()) return WriteError(resp, u.status());
    json levels = json::array(), items = json::array();
    for (const LevelAnalytics& l : u->top_levels) levels.push_back(LevelJson(l));
    for (const ItemAnalytics& i : u->top_items) items.push_back(ItemJson(i));
    WriteJson(resp, 200,
              json{{"overview", json{{"total_users", u->total_users}, {"active_24h", u->active_24h},
                                     {"total_challenges", u->total_levels}, {"store_catalog", u->store_catalog}}},
                   {"growth_trends", DaysJson(u->growth_trends)},
                   {"economy_pulse", json{{"total_circulation_xp", u->total_circulation_xp},
                                          {"total_store_revenue", u->total_store_revenue},
                                          {"avg_xp_per_user", u->avg_xp_per_user}}},
                   {"top_challenges", levels},
                   {"top_items", items},
                   {"community_leaders", TopUsersJson(u->community_leaders)},
                   {"system_health", json{{"database", u->database_online ? "online" : "offline"},
                                          {"audit_pipeline", "active"},
                                          {"open_reports", u->open_reports},
                                          {"pinned_notes", u->pinned_notes},
                                          {"featured_store_items", u->featured_store_items},
                                          {"last_broadcast_at", OptTime(u->last_broadcast_at)}}}});
  });

  add("GET", "/api/admin/audit-logs/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    std::optional<AuditQuery> q = AuditQueryOf(req, resp);
    if (!q) return;
    if (Query(req, "format") == "csv") {
      Result<std::string> csv = admin.AuditCsv(a, *q);
      if (!csv.ok()) return WriteError(resp, csv.status());
      return WriteCsv(resp, "admin-audit-logs.csv", std::move(csv).value());
    }
    Result<AuditPage> page = admin.AuditLog(a, *q);
    if (!page.ok()) return WriteError(resp, page.status());
    json results = json::array();
    for (const AuditEntry& e : page->results) results.push_back(AuditJson(e));
    WriteJson(resp, 200, json{{"count", page->count}, {"page", page->page}, {"page_size", page->page_size},
                              {"total_pages", page->total_pages}, {"results", results}});
  });

  add("GET", "/api/admin/users/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    Result<AdminUserPage> page = admin.Users(a, UserQueryOf(req));
    if (!page.ok()) return WriteError(resp, page.status());
    json results = json::array();
    for (const AdminUser& u : page->results) results.push_back(AdminUserJson(u));
    WriteJson(resp, 200, json{{"count", page->count}, {"page", page->page}, {"page_size", page->page_size},
                              {"total_pages", page->total_pages}, {"results", results}});
  });
  add("GET", "/api/admin/users/export/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    Result<std::string> csv = admin.ExportUsers(a, UserQueryOf(req));
    if (!csv.ok()) return WriteError(resp, csv.status());
    WriteCsv(resp, "admin-users.csv", std::move(csv).value());
  });
  add("POST", "/api/admin/users/bulk/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    json body;
    if (!ReadJsonObject(req, resp, &body)) return;
    const json* action = body.contains("action") ? &body["action"] : nullptr;
    const json* names = body.contains("usernames") ? &body["usernames"] : nullptr;
    std::vector<std::string> usernames;
    bool ok = action && action->is_string() && (*action == "block" || *action == "unblock") && names &&
              names->is_array() && !names->empty();
    for (const json& n : ok ? *names : json::array()) {
      if (!n.is_string()) ok = false;
      else usernames.push_back(n.get<std::string>());
    }
    if (!ok) return WriteError(resp, 400, "Invalid bulk action payload.");
    Result<BulkResult> r = admin.BulkSetActive(a, *action == "unblock", usernames);
    if (!r.ok()) return WriteError(resp, r.status());
    json skipped = json::array();
    for (const BulkSkip& s : r->skipped) skipped.push_back(json{{"username", s.username}, {"reason", s.reason}});
    WriteJson(resp, 200, json{{"updated", r->updated}, {"skipped", skipped}, {"action", *action}});
  });
  add("GET", "/api/admin/users/{username}/details/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    Result<UserDetails> d = admin.Details(a, req.path_params["username"]);
    if (!d.ok()) return WriteError(resp, d.status());
    json completions = json::array(), purchases = json::array(), notes = json::array(), reports = json::array(),
         audit = json::array();
    for (const auto& [slug, at] : d->recent_completions) completions.push_back(json{{"slug", slug}, {"completed_at", at.ToIso8601()}});
    for (const auto& [name, at] : d->recent_purchases) purchases.push_back(json{{"item", name}, {"purchased_at", at.ToIso8601()}});
    for (const AdminNote& n : d->notes) notes.push_back(NoteJson(n));
    for (const AdminReport& r : d->reports) reports.push_back(ReportJson(r));
    for (const AuditEntry& e : d->audit_logs) audit.push_back(AuditJson(e));
    WriteJson(resp, 200,
              json{{"user", AdminUserJson(d->user)},
                   {"role", RoleName(d->user.user.role())},
                   {"summary", json{{"joined_at", d->user.user.date_joined.ToIso8601()},
                                    {"last_login", OptTime(d->user.last_login)},
                                    {"completed_challenges", d->completed_levels},
                                    {"purchase_count", d->purchase_count},
                                    {"open_reports", d->open_reports},
                                    {"followers", d->followers},
                                    {"following", d->following},
                                    {"posts", d->posts},
                                    {"xp", d->user.xp}}},
                   {"recent_completions", completions},
                   {"recent_purchases", purchases},
                   {"notes", notes},
                   {"reports", reports},
                   {"audit_logs", audit}});
  });
  add("PATCH", "/api/admin/users/{username}/role/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    json body;
    std::string role_name;
    if (!ReadJsonObject(req, resp, &body) || !StringField(body, "role", resp, &role_name)) return;
    Result<Role> role = ParseRole(role_name);
    if (!role.ok()) return WriteError(resp, 400, "Invalid role.");
    const std::string& name = req.path_params["username"];
    if (Status s = admin.SetRole(a, name, *role); !s.ok()) return WriteError(resp, s);
    WriteJson(resp, 200, json{{"message", "Updated " + name + " role to " + role_name + "."}, {"role", role_name}});
  });
  add("GET", "/api/admin/users/{username}/notes/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    Result<std::vector<AdminNote>> notes = admin.Notes(a, req.path_params["username"]);
    if (!notes.ok()) return WriteError(resp, notes.status());
    json out = json::array();
    for (const AdminNote& n : *notes) out.push_back(NoteJson(n));
    WriteJson(resp, 200, out);
  });
  add("POST", "/api/admin/users/{username}/notes/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    json body;
    std::string text;
    std::optional<bool> pinned;
    if (!ReadJsonObject(req, resp, &body) || !StringField(body, "body", resp, &text) ||
        !OptionalBool(body, "is_pinned", resp, &pinned)) {
      return;
    }
    Result<AdminNote> note = admin.AddNote(a, req.path_params["username"], text, pinned.value_or(false));
    if (!note.ok()) return WriteError(resp, note.status());
    WriteJson(resp, 201, NoteJson(*note));
  });
  add("POST", "/api/admin/users/{username}/toggle-block/",
      [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
        json body;
        std::string reason;
        if (!ReadJsonObject(req, resp, &body) || !StringField(body, "reason", resp, &reason)) return;
        Result<bool> active = admin.ToggleBlock(a, req.path_params["username"], reason);
        if (!active.ok()) return WriteError(resp, active.status());
        WriteJson(resp, 200, json{{"message", *active ? "User unblocked successfully" : "User blocked successfully"},
                                  {"is_active", *active}});
      });
  add("DELETE", "/api/admin/users/{username}/delete/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    const std::string& name = req.path_params["username"];
    if (Status s = admin.DeleteUser(a, name, Query(req, "reason")); !s.ok()) return WriteError(resp, s);
    WriteJson(resp, 200, json{{"message", "User " + name + " deleted successfully"}});
  });

  add("GET", "/api/admin/reports/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    Result<std::vector<AdminReport>> reports = admin.Reports(
        a, ReportQuery{.status = Query(req, "status"), .priority = Query(req, "priority"), .target = Query(req, "target")});
    if (!reports.ok()) return WriteError(resp, reports.status());
    json results = json::array();
    for (const AdminReport& r : *reports) results.push_back(ReportJson(r));
    WriteJson(resp, 200, json{{"count", results.size()}, {"results", results}});
  });
  add("POST", "/api/admin/reports/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    json body;
    NewReport r;
    std::optional<std::string> category, priority;
    if (!ReadJsonObject(req, resp, &body) || !StringField(body, "target", resp, &r.target_username) ||
        !StringField(body, "title", resp, &r.title) || !StringField(body, "summary", resp, &r.summary) ||
        !OptionalString(body, "category", resp, &category) || !OptionalString(body, "priority", resp, &priority)) {
      return;
    }
    if (category) r.category = *category;
    if (priority) r.priority = *priority;
    if (body.contains("context") && !body["context"].is_null()) {
      if (!body["context"].is_object()) return WriteFieldError(resp, "context", "Must be a JSON object.");
      r.context_json = body["context"].dump();
    }
    Result<AdminReport> created = admin.CreateReport(a, r);
    if (!created.ok()) return WriteError(resp, created.status());
    WriteJson(resp, 201, ReportJson(*created));
  });
  add("PATCH", "/api/admin/reports/{id}/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    std::optional<std::int64_t> id = PathId(req.path_params["id"]);
    if (!id) return WriteError(resp, 404, "Report not found.");
    json body;
    ReportUpdate u;
    if (!ReadJsonObject(req, resp, &body) || !OptionalString(body, "status", resp, &u.status) ||
        !OptionalString(body, "priority", resp, &u.priority) || !OptionalString(body, "summary", resp, &u.summary)) {
      return;
    }
    Result<AdminReport> r = admin.UpdateReport(a, *id, u);
    if (!r.ok()) return WriteError(resp, r.status());
    WriteJson(resp, 200, ReportJson(*r));
  });

  add("POST", "/api/admin/notifications/broadcast/", [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
    json body;
    std::string message, reason;
    std::optional<bool> include_staff;
    if (!ReadJsonObject(req, resp, &body) || !StringField(body, "message", resp, &message) ||
        !OptionalBool(body, "include_staff", resp, &include_staff) || !StringField(body, "reason", resp, &reason)) {
      return;
    }
    Result<std::int64_t> n = admin.SendBroadcast(a, message, include_staff.value_or(false), reason);
    if (!n.ok()) return WriteError(resp, n.status());
    WriteJson(resp, 200, json{{"message", "Broadcast sent to " + std::to_string(*n) + " users"},
                              {"recipient_count", *n}, {"request_id", a.request_id}});
  });
  add("GET", "/api/admin/notifications/history/", [&admin](HttpRequest&, HttpResponse& resp, const AdminContext& a) {
    Result<std::vector<Broadcast>> list = admin.Broadcasts(a);
    if (!list.ok()) return WriteError(resp, list.status());
    json results = json::array();
    for (const Broadcast& b : *list) {
      results.push_back(json{{"request_id", b.request_id}, {"message", b.message}, {"recipient_count", b.recipient_count},
                             {"include_staff", b.include_staff}, {"reason", b.reason},
                             {"timestamp", b.sent_at.ToIso8601()}, {"admin", b.admin}});
    }
    WriteJson(resp, 200, json{{"results", results}});
  });
  add("POST", "/api/admin/notifications/history/{request_id}/resend/",
      [&admin](HttpRequest& req, HttpResponse& resp, const AdminContext& a) {
        Result<std::int64_t> n = admin.ResendBroadcast(a, req.path_params["request_id"]);
        if (!n.ok()) return WriteError(resp, n.status());
        WriteJson(resp, 200, json{{"message", "Broadcast resent to " + std::to_string(*n) + " users"}});
      });

  add("GET", "/api/admin/system/integrity/", [&admin](HttpRequest&, HttpResponse& resp, const AdminContext& a) {
    Result<IntegrityReport> r = admin.Integrity(a);
    if (!r.ok()) return WriteError(resp, r.status());
    json out = json(r->counts);
    out["checks"] = json(r->violations);
    out["database"] = r->database_online ? "online" : "offline";
    out["healthy"] = r->ok();
    WriteJson(resp, 200, out);
  });
  add("GET", "/api/admin/system/health/", [&admin](HttpRequest&, HttpResponse& resp, const AdminContext& a) {
    Result<SystemHealth> h = admin.Health(a);
    if (!h.ok()) return WriteError(resp, h.status());
    WriteJson(resp, 200, json{{"database", h->database_online ? "online" : "offline"},
                              {"authentication", h->database_online ? "online" : "offline"},
                              {"notifications", h->push_enabled ? "online" : "sockets only (no FCM configured)"},
                              {"audit_pipeline", h->database_online ? "active" : "offline"},
                              {"latest_audit_at", OptTime(h->latest_audit_at)},
                              {"latest_broadcast_at", OptTime(h->latest_broadcast_at)},
                              {"open_reports", h->open_reports}});
  });
}

}  // namespace clash::host
