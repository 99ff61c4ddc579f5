#include "http/guard.h"

#include <utility>

#include "http/json_response.h"

namespace clash::host {

RouteHandler Guard(RouteContext& ctx, Access access, std::string scope, GuardedHandler handler) {
  return [&ctx, access, scope = std::move(scope), handler = std::move(handler)](HttpRequest& req, HttpResponse& resp) {
    Result<Caller> caller = ResolveCaller(req, ctx.engine);
    if (!caller.ok()) {
      resp.SetHeader("WWW-Authenticate", "Bearer");
      return WriteError(resp, caller.status());
    }
    if (Status origin = CheckOrigin(req, *caller, ctx.callers); !origin.ok()) return WriteError(resp, origin);
    if (access != Access::kAnyone && !caller->user) {
      resp.SetHeader("WWW-Authenticate", "Bearer");
      return WriteError(resp, 401, "Authentication credentials were not provided.");
    }
    if (access == Access::kStaff) {
      if (Status s = Require(*caller->user, Permission::kViewAdmin); !s.ok()) return WriteError(resp, s);
    }
    if (RateLimiter* limiter = ctx.engine.rate_limiter(); limiter != nullptr) {
      const RateLimitPolicy& policy = ctx.engine.rate_limits();
      Result<RateLimit> limit = policy.Limit(scope);
      if (!limit.ok()) return WriteError(resp, Status::Internal(limit.status().message()));
      const bool per_address = policy.KeyOf(scope) == RateLimitKey::kClientAddress || !caller->user;
      const std::string key =
          scope + ":" + (per_address ? "ip" + ClientIp(req, ctx.callers) : "u" + std::to_string(caller->user->id));
      Status limited = CheckRateLimit(*limiter, key, *limit);
      if (limited.code() == StatusCode::kResourceExhausted) {
        return WriteError(resp, Status::ResourceExhausted("Too many requests. Please try again later.")
                                    .WithRetryAfter(limited.retry_after_seconds().value_or(1)));
      }
    }
    handler(req, resp, *caller);
  };
}

RouteHandler GuardDefault(RouteContext& ctx, Access access, GuardedHandler handler) {
  RouteHandler user = Guard(ctx, access, "user", handler);
  RouteHandler anon = Guard(ctx, access, "anon", std::move(handler));
  return [user = std::move(user), anon = std::move(anon)](HttpRequest& req, HttpResponse& resp) {
    bool has_credentials = req.Header("authorization").has_value() || CookieValue(req, "access_token").has_value();
    (has_credentials ? user : anon)(req, resp);
  };
}

}  // namespace clash::host
