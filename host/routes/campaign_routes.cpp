// The campaign's challenge routes. See campaign_routes.h.
#include "routes/campaign_routes.h"

#include <memory>
#include <optional>
#include <string>

#include "http/json_body.h"
#include "http/json_response.h"
#include "routes/campaign_json.h"

namespace clash::host {
namespace {

using nlohmann::json;

// A staff write's answer: the level (no secrets) and its validation report.
json LevelWriteJson(const LevelWrite& w) {
  json j = LevelJson(w.level);
  j["validation"] = json{{"mutants", w.report.mutants},
                         {"killed", w.report.killed},
                         {"mutation_score", w.report.score},
                         {"mutation_checked", w.report.mutation_checked}};
  return j;
}

// Refusals of a staff write carry the validator's findings.
void WriteLevelError(HttpResponse& resp, const Status& s) {
  if (const LevelReport* r = s.payload<LevelReport>(); r != nullptr) {
    return WriteError(resp, s, json{{"errors", r->errors}, {"survivors", r->survivors}});
  }
  WriteError(resp, s);
}

json TaskJson(const TaskRecord& t) {
  json j = {{"task_id", t.id}, {"status", std::string(TaskStateName(t.state))}, {"kind", t.kind}};
  const bool done = t.state == TaskState::kSuccess || t.state == TaskState::kFailed;
  j["date_done"] = done ? json(t.updated_at.ToIso8601()) : json(nullptr);
  if (t.state == TaskState::kSuccess) {
    json result = json::parse(t.result_json, nullptr, false);
    j["result"] = result.is_discarded() ? json(t.result_json) : result;
  }
  if (t.state == TaskState::kFailed) j["error"] = t.error;
  return j;
}

void WriteReview(HttpResponse& resp, Engine& engine, const HttpRequest& req, const Caller& caller) {
  json body;
  if (!ReadJsonObject(req, resp, &body)) return;
  std::string code;
  if (!StringField(body, "user_code", resp, &code)) return;
  Result<CodeReview> review = engine.campaign().Review(*caller.user, req.path_params.at("slug"), code);
  if (!review.ok()) return WriteError(resp, review.status());
  WriteJson(resp, 200, ReviewJson(*review));
}

// An anonymous visitor's look at a level: as a new player would see it, nothing recorded.
void WritePreview(HttpResponse& resp, Engine& engine, const std::string& slug) {
  Result<PlayerMapView> view = engine.campaign().PreviewView();
  if (!view.ok()) return WriteError(resp, view.status());
  for (const PlayerMapView::Entry& e : view->entries) {
    if (view->level(e).slug != slug) continue;
    return WriteJson(resp, 200, PlayerLevelJson(PlayerLevel{.level = view->level(e), .state = e.state}));
  }
  WriteError(resp, 404, "Not found.");
}

}  // namespace

void AddCampaignRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  auto list_renderer = std::make_shared<ChallengeListRenderer>();
  router.Add(
      "GET", "/api/challenges/",
      GuardDefault(ctx, Access::kAnyone,
                   [&engine, list_renderer](HttpRequest&, HttpResponse& resp, const Caller& caller) {
                     resp.status = 200;
                     resp.content_type = "application/json";
                     if (caller.user) {
                       Result<PlayerMapView> view = engine.campaign().MapView(*caller.user);
                       if (!view.ok()) return WriteError(resp, view.status());
                       resp.body = list_renderer->Render(*view);
                       return;
                     }
                     // Anonymous visitors see a new player's map (a preview; nothing recorded).
                     Result<PlayerMapView> view = engine.campaign().PreviewView();
                     if (!view.ok()) return WriteError(resp, view.status());
                     resp.shared_body = list_renderer->RenderPreview(*view);
                   }),
      // The anonymous preview from the loop while the catalogue's snapshot is fresh in memory and
      // nothing throttles anonymous callers (the limiter may be remote); otherwise the pool.
      [&engine, list_renderer](const HttpRequest& req, HttpResponse& resp) {
        if (req.Header("authorization") || CookieValue(req, "access_token")) return false;
        if (engine.rate_limiter() != nullptr) return false;
        std::optional<PlayerMapView> view = engine.campaign().CachedPreviewView();
        if (!view) return false;
        resp.status = 200;
        resp.content_type = "application/json";
        resp.shared_body = list_renderer->RenderPreview(*view);
        return true;
      });

  router.Add("POST", "/api/challenges/",
             GuardDefault(ctx, Access::kStaff, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               json body;
               if (!ReadJsonObject(req, resp, &body)) return;
               Result<LevelFields> fields = DecodeLevelFields(req.body);
               if (!fields.ok()) return WriteError(resp, fields.status());
               Result<LevelWrite> w = engine.campaign().CreateLevel(*caller.user, *fields);
               if (!w.ok()) return WriteLevelError(resp, w.status());
               WriteJson(resp, 201, LevelWriteJson(*w));
             }));

  router.Add("GET", "/api/challenges/{slug}/",
             GuardDefault(ctx, Access::kAnyone, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               if (!caller.user) return WritePreview(resp, engine, req.path_params["slug"]);
               Result<PlayerLevel> p = engine.campaign().Open(*caller.user, req.path_params["slug"]);
               if (!p.ok()) return WriteError(resp, p.status());
               WriteJson(resp, 200, PlayerLevelJson(*p));
             }));

  for (const char* method : {"PATCH", "PUT"}) {
    router.Add(method, "/api/challenges/{slug}/",
               GuardDefault(ctx, Access::kStaff, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
                 json body;
                 if (!ReadJsonObject(req, resp, &body)) return;
                 Result<LevelFields> fields = DecodeLevelFields(req.body);
                 if (!fields.ok()) return WriteError(resp, fields.status());
                 Result<LevelWrite> w = engine.campaign().UpdateLevel(*caller.user, req.path_params["slug"], *fields);
                 if (!w.ok()) return WriteLevelError(resp, w.status());
                 WriteJson(resp, 200, LevelWriteJson(*w));
               }));
  }

  router.Add("DELETE", "/api/challenges/{slug}/",
             GuardDefault(ctx, Access::kStaff, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               Status s = engine.campaign().DeleteLevel(*caller.user, req.path_params["slug"]);
               if (!s.ok()) return WriteError(resp, s);
               resp.status = 204;
               resp.body.clear();
             }));

  router.Add("POST", "/api/challenges/{slug}/submit/",
             Guard(ctx, Access::kUser, "judge", [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               json body;
               if (!ReadJsonObject(req, resp, &body)) return;
               std::optional<std::string_view> passed_query;
               if (auto it = req.query.find("passed"); it != req.query.end()) passed_query = it->second;
               Result<Submission> submission = DecodeSubmission(req.body, passed_query);
               if (!submission.ok()) return WriteError(resp, submission.status());
               Result<SubmitReply> reply = engine.campaign().Submit(*caller.user, req.path_params["slug"], *submission);
               if (!reply.ok()) return WriteError(resp, reply.status());
               if (!reply->outcome) return WriteJson(resp, 202, json{{"task_id", reply->task_id}, {"status", "queued"}});
               json out = json::parse(EncodeSubmissionOutcome(*reply->outcome));
               if (reply->outcome->status == SubmissionStatus::kFailed && reply->outcome->verdict) {
                 out["error"] = reply->outcome->verdict->message;
               }
               WriteJson(resp, 200, out);
             }));

  router.Add("POST", "/api/challenges/{slug}/purchase_ai_assist/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               Result<HintPurchase> h = engine.campaign().BuyHint(*caller.user, req.path_params["slug"]);
               if (!h.ok()) return WriteError(resp, h.status());
               WriteJson(resp, 200,
                         json{{"status", "purchased"},
                              {"remaining_xp", h->remaining_xp},
                              {"hints_purchased", h->hints_purchased},
                              {"cost", h->cost},
                              {"message", "AI hint purchased! " + std::to_string(h->remaining_xp) + " XP remaining."}});
             }));

  router.Add("POST", "/api/challenges/{slug}/ai-hint/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               json body;
               if (!ReadJsonObject(req, resp, &body)) return;
               Result<HintQuery> q = DecodeHintQuery(req.body);
               if (!q.ok()) return WriteError(resp, q.status());
               Result<HintAnswer> a = engine.campaign().Hint(*caller.user, req.path_params["slug"], q->tier, q->user_code);
               if (!a.ok()) return WriteError(resp, a.status());
               WriteJson(resp, 200,
                         json{{"hint", a->text},
                              {"hint_level", a->tier},
                              {"max_hints", kMaxHintsPerLevel},
                              {"cached", false},
                              {"source", a->source}});
             }));

  for (const char* path : {"/api/challenges/{slug}/ai-analyze/", "/api/challenges/{slug}/ai_analyze/",
                           "/api/challenges/{slug}/analyze/"}) {
    router.Add("POST", path,
               Guard(ctx, Access::kUser, "judge", [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
                 WriteReview(resp, engine, req, caller);
               }));
  }

  router.Add("GET", "/api/challenges/ai-tasks/{task_id}/status/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               Result<TaskRecord> t = engine.tasks().Get(caller.user->id, req.path_params["task_id"]);
               if (!t.ok()) return WriteError(resp, t.status());
               WriteJson(resp, 200, TaskJson(*t));
             }));

  auto board_renderer = std::make_shared<LeaderboardRenderer>();
  router.Add("GET", "/api/challenges/leaderboard/",
             GuardDefault(ctx, Access::kUser, [&engine, board_renderer](HttpRequest&, HttpResponse& resp, const Caller&) {
               Result<std::shared_ptr<const std::vector<LeaderboardEntry>>> board = engine.campaign().Leaderboard();
               if (!board.ok()) return WriteError(resp, board.status());
               resp.status = 200;
               resp.content_type = "application/json";
               resp.body = *board_renderer->Render(*board);
             }));

  router.Add("GET", "/api/challenges/completions/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               int days = 365;
               if (auto it = req.query.find("days"); it != req.query.end()) {
                 std::optional<std::int64_t> d = LenientInt(json(it->second));
                 if (!d || *d < 1 || *d > 3660) return WriteError(resp, 400, "days must be an integer between 1 and 3660");
                 days = static_cast<int>(*d);
               }
               Result<std::vector<DayCount>> counts = engine.campaign().CompletionsPerDay(caller.user->id, days);
               if (!counts.ok()) return WriteError(resp, counts.status());
               json out = json::array();
               for (const DayCount& d : *counts) out.push_back(json{{"date", d.date.ToString()}, {"count", d.count}});
               WriteJson(resp, 200, out);
             }));
}

void AddCertificateRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("GET", "/api/certificates/check_eligibility/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<CertificateEligibility> e = engine.campaign().Eligibility(*caller.user);
               if (!e.ok()) return WriteError(resp, e.status());
               WriteJson(resp, 200,
                         json{{"eligible", e->eligible},
                              {"completed_challenges", e->completed},
                              {"required_challenges", e->required},
                              {"remaining_challenges", e->remaining},
                              {"has_certificate", e->has_certificate}});
             }));

  router.Add("GET", "/api/certificates/my_certificate/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<std::optional<Certificate>> c = engine.campaign().MyCertificate(*caller.user);
               if (!c.ok()) return WriteError(resp, c.status());
               if (!*c) {
                 Result<CertificateEligibility> e = engine.campaign().Eligibility(*caller.user);
                 if (!e.ok()) return WriteError(resp, e.status());
                 return WriteJson(resp, 200,
                                  json{{"has_certificate", false},
                                       {"eligible", false},
                                       {"completed", e->completed},
                                       {"required", e->required},
                                       {"remaining", e->remaining}});
               }
               WriteJson(resp, 200, CertificateJson(**c, engine.campaign().VerificationUrl(**c)));
             }));

  router.Add("GET", "/api/certificates/verify/{id}/",
             GuardDefault(ctx, Access::kAnyone, [&engine](HttpRequest& req, HttpResponse& resp, const Caller&) {
               Result<Certificate> c = engine.campaign().FindCertificate(req.path_params["id"]);
               if (!c.ok()) {
                 if (c.status().code() == StatusCode::kNotFound) {
                   return WriteJson(resp, 404, json{{"valid", false}, {"error", "Certificate not found"}});
                 }
                 return WriteError(resp, c.status());
               }
               const Status signature = VerifyCertificateSignature(*c, engine.campaign().certificate_key().public_key());
               WriteJson(resp, 200,
                         json{{"valid", c->is_valid && signature.ok()},
                              {"signature_valid", signature.ok()},
                              {"certificate", CertificateJson(*c, engine.campaign().VerificationUrl(*c))},
                              {"document", json::parse(EncodeCertificateDocument(*c))},
                              {"public_key", engine.campaign().certificate_key().public_key()}});
             }));

  router.Add("GET", "/api/certificates/public-key/",
             GuardDefault(ctx, Access::kAnyone, [&engine](HttpRequest&, HttpResponse& resp, const Caller&) {
               const CertificateKey& key = engine.campaign().certificate_key();
               WriteJson(resp, 200,
                         json{{"algorithm", "Ed25519"}, {"key_id", key.key_id()}, {"public_key", key.public_key()}});
             }));
}

}  // namespace clash::host
