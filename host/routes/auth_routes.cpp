#include "routes/auth_routes.h"

#include <nlohmann/json.hpp>

#include "http/json_body.h"
#include "http/json_response.h"

namespace clash::host {

using nlohmann::json;

json UserJson(const User& u, const WalletSummary& wallet, const FollowCounts& counts) {
  json profile = {{"avatar_url", u.profile.avatar_url.empty() ? json(nullptr) : json(u.profile.avatar_url)},
                  {"banner_url", u.profile.banner_url.empty() ? json(nullptr) : json(u.profile.banner_url)},
                  {"bio", u.profile.bio},
                  {"xp", wallet.xp},
                  {"referral_code", wallet.referral_code.empty() ? json(nullptr) : json(wallet.referral_code)},
                  {"is_referred", wallet.is_referred},
                  {"created_at", u.date_joined.ToIso8601()},
                  {"streak_freezes", wallet.streak_freezes},
                  {"active_theme", u.profile.active_theme},
                  {"active_font", u.profile.active_font},
                  {"active_effect", u.profile.active_effect ? json(*u.profile.active_effect) : json(nullptr)},
                  {"active_victory", u.profile.active_victory},
                  {"provider", u.profile.provider}};
  return json{{"id", u.id},
              {"username", u.username},
              {"email", u.email},
              {"first_name", u.first_name},
              {"last_name", u.last_name},
              {"profile", profile},
              {"followers_count", counts.followers},
              {"following_count", counts.following},
              {"is_staff", u.is_staff},
              {"is_superuser", u.is_superuser},
              {"is_active", u.is_active}};
}

void WriteSession(Engine& engine, HttpResponse& resp, const Session& session, const CallerOptions& options) {
  Result<WalletSummary> summary = engine.check_ins().Summary(session.user.id);
  if (!summary.ok()) return WriteError(resp, summary.status());
  Result<FollowCounts> counts = engine.social().CountsOf(session.user.id);
  if (!counts.ok()) return WriteError(resp, counts.status());
  SetSessionCookies(resp, session, options);
  WriteJson(resp, 200, json{{"user", UserJson(session.user, *summary, *counts)}});
}

void AddAuthRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  const CallerOptions& callers = ctx.callers;

  router.Add("POST", "/api/auth/otp/request/",
             Guard(ctx, Access::kAnyone, "otp", [&engine](HttpRequest& req, HttpResponse& resp, const Caller&) {
               json body;
               std::string email;
               if (!ReadJsonObject(req, resp, &body) || !StringField(body, "email", resp, &email)) return;
               if (email.empty()) return WriteError(resp, 400, "This field is required: email.");
               if (Status s = engine.auth().RequestOtp(email); !s.ok()) return WriteError(resp, s);
               WriteJson(resp, 200, json{{"message", "OTP sent successfully"}});
             }));

  router.Add("POST", "/api/auth/otp/verify/",
             Guard(ctx, Access::kAnyone, "otp_verify",
                   [&engine, &callers](HttpRequest& req, HttpResponse& resp, const Caller&) {
                     json body;
                     std::string email, otp;
                     if (!ReadJsonObject(req, resp, &body) || !StringField(body, "email", resp, &email) ||
                         !StringField(body, "otp", resp, &otp)) {
                       return;
                     }
                     if (email.empty() || otp.empty()) return WriteError(resp, 400, "email and otp are required.");
                     Result<Session> session = engine.auth().VerifyOtp(email, otp);
                     if (!session.ok()) return WriteError(resp, session.status());
                     WriteSession(engine, resp, *session, callers);
                   }));

  router.Add("POST", "/api/auth/refresh/",
             GuardDefault(ctx, Access::kAnyone, [&engine, &callers](HttpRequest& req, HttpResponse& resp, const Caller&) {
               json body;
               std::string token;
               if (!ReadJsonObject(req, resp, &body) || !StringField(body, "refresh_token", resp, &token)) return;
               if (token.empty()) token = CookieValue(req, "refresh_token").value_or("");
               if (token.empty()) return WriteError(resp, 400, "Refresh token is required");
               Result<Session> session = engine.auth().Refresh(token);
               if (!session.ok()) return WriteError(resp, session.status());
               WriteSession(engine, resp, *session, callers);
             }));

  router.Add("POST", "/api/auth/logout/",
             GuardDefault(ctx, Access::kUser, [&engine, &callers](HttpRequest& req, HttpResponse& resp,
                                                                  const Caller& caller) {
               // Ends the login of the access token used (its other access tokens stop working at
               // once) and the family of the refresh cookie, if that is another one.
               if (Status s = engine.auth().EndSession(caller.access_token); !s.ok()) return WriteError(resp, s);
               if (auto token = CookieValue(req, "refresh_token"); token && !token->empty()) {
                 (void)engine.auth().Logout(*token);  // an already invalid token needs no revoking
               }
               ClearSessionCookies(resp, callers);
               WriteJson(resp, 200, json{{"message", "Successfully logged out"}});
             }));

  router.Add("POST", "/api/auth/admin/login/",
             Guard(ctx, Access::kAnyone, "auth",
                   [&engine, &callers](HttpRequest& req, HttpResponse& resp, const Caller&) {
                     json body;
                     std::string username, password;
                     if (!ReadJsonObject(req, resp, &body) || !StringField(body, "username", resp, &username) ||
                         !StringField(body, "password", resp, &password)) {
                       return;
                     }
                     Result<Session> session = engine.auth().AdminLogin(username, password);
                     if (!session.ok()) return WriteError(resp, session.status());
                     WriteSession(engine, resp, *session, callers);
                   }));

  router.Add("DELETE", "/api/auth/user/delete/",
             Guard(ctx, Access::kUser, "sensitive",
                   [&engine, &callers](HttpRequest&, HttpResponse& resp, const Caller& caller) {
                     if (Status s = engine.auth().DeleteAccount(caller.user->id); !s.ok()) return WriteError(resp, s);
                     ClearSessionCookies(resp, callers);
                     WriteJson(resp, 200, json{{"message", "Account deleted successfully"}});
                   }));

  router.Add("GET", "/api/auth/jwks.json", [&engine](HttpRequest&, HttpResponse& resp) {
    resp.content_type = "application/json";
    resp.body = engine.auth().JwksJson();
    resp.SetHeader("Cache-Control", "public, max-age=300");
  });

  router.Add("GET", "/api/profiles/user/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<WalletSummary> summary = engine.check_ins().Summary(caller.user->id);
               if (!summary.ok()) return WriteError(resp, summary.status());
               Result<FollowCounts> counts = engine.social().CountsOf(caller.user->id);
               if (!counts.ok()) return WriteError(resp, counts.status());
               WriteJson(resp, 200, UserJson(*caller.user, *summary, *counts));
             }));
}

}  // namespace clash::host
