// host/http/auth_context.h — who is calling, and may this request proceed (CSRF, rate limits).
//
// Credentials: `Authorization: Bearer <jwt>` first, then the `access_token` cookie. A bad Bearer
// token is a 401; a bad cookie counts as anonymous so public routes keep working (as the reference).
// CSRF: an unsafe method (POST, PUT, PATCH, DELETE) is refused with 403 when it carries an Origin
// that is not allowed, or when it is cookie-authenticated and has neither Origin nor Referer.
// Allowed origins are the configured list, or the request's own origin when the list is empty.
// Bearer requests are exempt (no ambient credentials).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clash/engine.h"
#include "clash/ratelimit.h"
#include "http/http_types.h"

namespace clash::host {

struct CallerOptions {
  std::vector<std::string> allowed_origins;  // "https://clash.example"; empty: same origin only
  bool cookie_secure = true;
  std::string cookie_samesite = "Lax";
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
};

struct Caller {
  std::optional<User> user;
  bool via_bearer = false;
  bool via_cookie = false;
  std::string access_token;  // the credential that authenticated `user` (logout ends its login)
};

// The value of cookie `name`, if the request has one.
std::optional<std::string> CookieValue(const HttpRequest& request, const std::string& name);

// Resolves the caller. Unauthenticated for a bad Bearer token or a blocked user.
Result<Caller> ResolveCaller(const HttpRequest& request, Engine& engine);

// PermissionDenied("CSRF check failed: ...") when the request must be refused; see above.
Status CheckOrigin(const HttpRequest& request, const Caller& caller, const CallerOptions& options);

// For WebSocket upgrades: browsers always send Origin there, so a present Origin must be allowed
// (configured list, or the request's own origin); an absent one (non-browser clients) passes.
bool WebSocketOriginAllowed(const std::optional<std::string>& origin, const std::string& host,
                            const CallerOptions& options);

// Adds Set-Cookie headers for a session / for logging out.
void SetSessionCookies(HttpResponse& response, const Session& session, const CallerOptions& options);
void ClearSessionCookies(HttpResponse& response, const CallerOptions& options);

// The peer address of the connection (host part, without the port).
std::string ClientKey(const HttpRequest& request);

// The client's address for the per-address throttles and the audit log: the peer address, unless
// the peer is a trusted proxy;
// then the right-most X-Forwarded-For entry that is not a trusted proxy (entries further left were
// written by the client and prove nothing).
std::string ClientIp(const HttpRequest& request, const CallerOptions& options);

}  // namespace clash::host
