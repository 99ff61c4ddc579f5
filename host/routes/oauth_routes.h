// host/routes/oauth_routes.h — GitHub and Google login over HTTP (client-contract.md section 3).
//
//   GET  /api/auth/{github,google}/?state=<client state>  -> {url, state}
//        + Set-Cookie oauth_state_<provider>=<signed flow token> (HttpOnly, SameSite=Lax,
//          Path=/api/auth/, Max-Age=600)
//   POST /api/auth/{github,google}/callback/  {code, state?}  -> {user} + session cookies
//        The flow cookie is required (it binds the callback to the browser that started the flow)
//        and is cleared by every callback; `state`, when sent, must equal the flow's state.
//
// The redirect URI is the provider config's, else <request origin>/auth/<provider>/callback.
#pragma once

#include <memory>

#include "clash/config.h"
#include "clash/oauth.h"
#include "clash/transport.h"
#include "http/router.h"
#include "routes/auth_routes.h"

namespace clash::host {

// The OAuthLogin clash-host runs, from its options: github_/google_client_id and _client_secret,
// oauth_redirect_base (providers redirect to <base>/auth/<provider>/callback; empty: the request's
// origin), oauth_state_secret (empty: a random per-process secret), and oauth_github_base_url /
// oauth_google_base_url (tests: one base URL replacing all of a provider's endpoints). `engine` and
// `http` must outlive the result.
Result<std::unique_ptr<OAuthLogin>> NewOAuthLogin(const Config& cfg, Engine& engine, HttpClient& http);

// `oauth` may be null: the routes then answer 503 "<Provider> login is not configured.".
void AddOAuthRoutes(Router& router, RouteContext& ctx, OAuthLogin* oauth);

}  // namespace clash::host
