// Check-in, achievements, referrals, XP history and staff XP adjustments. See economy_routes.h.
#include "routes/economy_routes.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/json_body.h"
#include "http/json_response.h"
#include "routes/economy_json.h"

namespace clash::host {
namespace {

using nlohmann::json;

// The query parameter `key` as an integer: unset when absent or empty; false (with a 400) otherwise.
bool QueryInt(const HttpRequest& req, const char* key, HttpResponse& resp, std::optional<std::int64_t>* out) {
  auto it = req.query.find(key);
  if (it == req.query.end() || it->second.empty()) return true;
  *out = LenientInt(json(it->second));
  if (!*out) {
    WriteError(resp, 400, std::string("\"") + key + "\" must be an integer.");
    return false;
  }
  return true;
}

void AddCheckInRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("GET", "/api/rewards/check-in/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<CheckInStatus> status = engine.check_ins().Status(caller.user->id);
               if (!status.ok()) return WriteError(resp, status.status());
               resp.SetHeader("Cache-Control", "no-store");
               WriteJson(resp, 200, CheckInStatusJson(*status));
             }));

  router.Add("POST", "/api/rewards/check-in/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<CheckInOutcome> outcome = engine.check_ins().CheckIn(caller.user->id);
               if (outcome.ok()) return WriteJson(resp, 201, CheckInOutcomeJson(*outcome));
               // "Already checked in today" carries today's check-in, as the reference's 400 does.
               json extra = json::object();
               if (const CheckInRecord* today = outcome.status().payload<CheckInRecord>()) {
                 extra["check_in"] = CheckInJson(*today);
               }
               WriteError(resp, outcome.status(), extra);
             }));
}

void AddAchievementRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("GET", "/api/achievements/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<std::vector<AchievementView>> views = engine.achievements().ForViewer(caller.user->id);
               if (!views.ok()) return WriteError(resp, views.status());
               json out = json::array();
               for (const AchievementView& v : *views) {
                 out.push_back(AchievementJson(v.achievement, v.is_unlocked, v.unlocked_at));
               }
               WriteJson(resp, 200, out);
             }));

  router.Add("GET", "/api/achievements/user/{username}/",
             GuardDefault(ctx, Access::kAnyone, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               Result<std::vector<UnlockedAchievement>> unlocked =
                   engine.achievements().OfUser(req.path_params["username"]);
               if (!unlocked.ok()) return WriteError(resp, unlocked.status());
               // As the reference: the nested achievement shows the unlock to signed-in viewers only.
               const bool signed_in = caller.user.has_value();
               json out = json::array();
               for (const UnlockedAchievement& u : *unlocked) {
                 std::optional<Timestamp> at = signed_in ? std::optional<Timestamp>(u.unlocked_at) : std::nullopt;
                 out.push_back(json{{"id", u.achievement.id},
                                    {"achievement", AchievementJson(u.achievement, signed_in, at)},
                                    {"unlocked_at", u.unlocked_at.ToIso8601()}});
               }
               WriteJson(resp, 200, out);
             }));
}

void AddProfileEconomyRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("POST", "/api/profiles/user/redeem-referral/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               json body;
               std::string code;
               if (!ReadJsonObject(req, resp, &body) || !StringField(body, "code", resp, &code)) return;
               Result<ReferralOutcome> r = engine.referrals().Redeem(caller.user->id, code);
               if (!r.ok()) return WriteError(resp, r.status());
               WriteJson(resp, 200,
                         json{{"message", "Referral code redeemed successfully"},
                              {"xp_awarded", r->redeemer_xp_awarded},
                              {"redeemer_xp_awarded", r->redeemer_xp_awarded},
                              {"referrer_xp_awarded", r->referrer_xp_awarded},
                              {"new_total_xp", r->new_total_xp},
                              {"referrer_new_total_xp", r->referrer_new_total_xp}});
             }));

  router.Add("GET", "/api/profiles/user/xp-history/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> limit, before;
               if (!QueryInt(req, "limit", resp, &limit) || !QueryInt(req, "before", resp, &before)) return;
               // Clamped into int only; the library refuses anything outside 1-200.
               int n = limit ? static_cast<int>(std::clamp<std::int64_t>(*limit, INT32_MIN, INT32_MAX)) : 50;
               Result<LedgerPage> page = engine.ledger().History(caller.user->id, n, before);
               if (!page.ok()) return WriteError(resp, page.status());
               Result<std::int64_t> balance = engine.ledger().Balance(caller.user->id);
               if (!balance.ok()) return WriteError(resp, balance.status());
               json results = json::array();
               for (const LedgerEntry& e : page->entries) results.push_back(LedgerEntryJson(e));
               resp.SetHeader("Cache-Control", "no-store");
               WriteJson(resp, 200,
                         json{{"results", results},
                              {"next_before", page->next_before_id ? json(*page->next_before_id) : json(nullptr)},
                              {"balance", *balance}});
             }));

  router.Add("POST", "/api/admin/users/{username}/xp/",
             GuardDefault(ctx, Access::kStaff, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               json body;
               std::optional<std::int64_t> amount;
               std::string reason, key;
               if (!ReadJsonObject(req, resp, &body) || !OptionalInt(body, "amount", resp, &amount) ||
                   !StringField(body, "reason", resp, &reason) || !StringField(body, "idempotency_key", resp, &key)) {
                 return;
               }
               if (!amount) return WriteFieldError(resp, "amount", "This field is required.");
               Result<User> target = engine.auth().GetUserByUsername(req.path_params["username"]);
               if (!target.ok()) return WriteError(resp, target.status());
               Result<LedgerResult> r =
                   engine.ledger().Adjust(*caller.user, target->id, *amount, std::move(reason), std::move(key));
               if (!r.ok()) return WriteError(resp, r.status());
               WriteJson(resp, 200,
                         json{{"entry", LedgerEntryJson(r->entry)}, {"balance", r->balance}, {"applied", r->applied}});
             }));
}

}  // namespace

void AddEconomyRoutes(Router& router, RouteContext& ctx) {
  AddCheckInRoutes(router, ctx);
  AddAchievementRoutes(router, ctx);
  AddProfileEconomyRoutes(router, ctx);
}

}  // namespace clash::host
