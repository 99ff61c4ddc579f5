// host/routes/auth_routes.h — identity over HTTP (client-contract.md sections 1-3).
//
//   POST   /api/auth/otp/request/    {email}            -> {message}
//   POST   /api/auth/otp/verify/     {email, otp}       -> {user} + cookies
//   POST   /api/auth/refresh/        {} or {refresh_token} (cookie) -> {user} + rotated cookies
//   POST   /api/auth/logout/                            -> {message}, cookies cleared, family revoked
//   POST   /api/auth/admin/login/    {username, password} -> {user} + cookies (staff only)
//   DELETE /api/auth/user/delete/                       -> {message}
//   GET    /api/auth/jwks.json                          -> JWKS
//   GET    /api/profiles/user/                          -> the current user (session probe)
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "clash/engine.h"
#include "http/auth_context.h"
#include "http/guard.h"
#include "http/router.h"

namespace clash::host {

void AddAuthRoutes(Router& router, RouteContext& ctx);

// A login's response: the session cookies and {user}. The user JSON needs the wallet summary; if that
// read fails its error is written instead and no cookie is set (the unused tokens simply expire).
void WriteSession(Engine& engine, HttpResponse& resp, const Session& session, const CallerOptions& options);

// The client contract's UserSerializer shape; xp, streak_freezes, is_referred and referral_code come
// from `wallet` (CheckIns::Summary).
// followers_count and following_count come from `counts`.
nlohmann::json UserJson(const User& user, const WalletSummary& wallet, const FollowCounts& counts = {});

}  // namespace clash::host
