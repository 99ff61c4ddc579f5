// host/http/guard.h — the guard every route goes through: caller, CSRF/Origin, access, throttle.
//
// A route is registered as Guard(ctx, access, scope, handler): the guard resolves the caller (401 for
// a bad Bearer token or a blocked user), checks Origin for unsafe methods (403), enforces `access`
// (401 without credentials, 403 for non-staff on staff routes), then takes one unit of the throttle
// `scope` (429 with Retry-After). The limit and how it is counted (per caller, or per client address
// whoever calls) come from the engine's RateLimitPolicy (clash/ratelimit.h); the guard only applies
// them. A limiter backend outage (Redis down) fails open: availability over throttling.
#pragma once

#include <functional>
#include <string>

#include "clash/engine.h"
#include "http/auth_context.h"
#include "http/router.h"

namespace clash::host {

struct RouteContext {
  Engine& engine;
  CallerOptions callers;
};

enum class Access { kAnyone, kUser, kStaff };

using GuardedHandler = std::function<void(HttpRequest&, HttpResponse&, const Caller&)>;

// Wraps `handler` as described above. `scope` must be a scope of RateLimitScopes().
RouteHandler Guard(RouteContext& ctx, Access access, std::string scope, GuardedHandler handler);
// The default throttle: scope "user" with credentials, "anon" without.
RouteHandler GuardDefault(RouteContext& ctx, Access access, GuardedHandler handler);

}  // namespace clash::host
