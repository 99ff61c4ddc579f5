#include "routes/oauth_routes.h"

#include <nlohmann/json.hpp>

#include "http/json_response.h"

namespace clash::host {
namespace {

using nlohmann::json;

std::string FlowCookieName(const std::string& provider) { return "oauth_state_" + provider; }

std::string FlowCookie(const std::string& provider, const std::string& value, std::int64_t max_age,
                       const CallerOptions& options) {
  return FlowCookieName(provider) + "=" + value + "; Max-Age=" + std::to_string(max_age) +
         "; Path=/api/auth/; HttpOnly; SameSite=Lax" + (options.cookie_secure ? "; Secure" : "");
}

// "scheme://host[:port]" of an absolute URL, or "".
std::string OriginOfUrl(const std::string& url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  std::size_t end = url.find('/', scheme + 3);
  return url.substr(0, end);
}

// The origin the browser is on: Origin, else Referer's origin, else the Host header (http, or the
// X-Forwarded-Proto a proxy set). Only used when oauth_redirect_base is not configured; the
// provider accepts registered redirect URIs only, so a forged value just fails the flow.
std::string RequestOrigin(const HttpRequest& req) {
  if (auto origin = req.Header("origin"); origin && *origin != "null" && !origin->empty()) return *origin;
  if (auto referer = req.Header("referer")) {
    if (std::string origin = OriginOfUrl(*referer); !origin.empty()) return origin;
  }
  std::string proto = req.Header("x-forwarded-proto").value_or("http");
  if (proto != "https") proto = "http";
  return proto + "://" + req.Header("host").value_or("localhost");
}

void AddProvider(Router& router, RouteContext& ctx, OAuthLogin& oauth, const std::string& provider) {
  const CallerOptions& callers = ctx.callers;

  router.Add("GET", "/api/auth/" + provider + "/",
             GuardDefault(ctx, Access::kAnyone, [&oauth, provider, &callers](HttpRequest& req, HttpResponse& resp, const Caller&) {
               auto state = req.query.find("state");
               std::string client_state = state == req.query.end() ? "" : state->second;
               std::string redirect_uri = RequestOrigin(req) + "/auth/" + provider + "/callback";
               Result<OAuthStart> start = oauth.Begin(provider, client_state, redirect_uri);
               if (!start.ok()) return WriteError(resp, start.status());
               resp.SetHeader("Set-Cookie", FlowCookie(provider, start->flow_token, 600, callers));
               resp.SetHeader("Cache-Control", "no-store");
               WriteJson(resp, 200, json{{"url", start->url}, {"state", start->state}});
             }));

  router.Add("POST", "/api/auth/" + provider + "/callback/",
             Guard(ctx, Access::kAnyone, "auth",
                   [&oauth, provider, &callers, &engine = ctx.engine](HttpRequest& req, HttpResponse& resp, const Caller&) {
                     std::optional<std::string> flow = CookieValue(req, FlowCookieName(provider));
                     // One flow, one callback: the cookie goes whatever the outcome.
                     if (flow) resp.SetHeader("Set-Cookie", FlowCookie(provider, "", 0, callers));
                     json body = json::object();
                     if (!req.body.empty()) {
                       body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
                       if (body.is_discarded() || !body.is_object()) {
                         return WriteError(resp, 400, "Request body must be a JSON object.");
                       }
                     }
                     auto text = [&body](const char* key) {
                       auto it = body.find(key);
                       return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
                     };
                     Result<Session> session = oauth.Complete(provider, text("code"), flow.value_or(""), text("state"));
                     if (!session.ok()) return WriteError(resp, session.status());
                     WriteSession(engine, resp, *session, callers);
                   }));
}

}  // namespace

void AddOAuthRoutes(Router& router, RouteContext& ctx) {
  AddProvider(router, ctx, ctx.engine.oauth(), "github");
  AddProvider(router, ctx, ctx.engine.oauth(), "google");
}

}  // namespace clash::host
