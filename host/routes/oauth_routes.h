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

#include "clash/oauth.h"
#include "http/router.h"
#include "routes/auth_routes.h"

namespace clash::host {

// The engine's OAuthLogin serves the flows; a provider without a client id answers 503
// "<Provider> login is not configured." (OAuthLogin::Begin/Complete say so).
void AddOAuthRoutes(Router& router, RouteContext& ctx);

}  // namespace clash::host
