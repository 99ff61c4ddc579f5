// host/routes/internal_routes.h — routes for other services and workers, authenticated with signed
// requests (clash/service_auth.h): an API key id plus HMAC-SHA256 over timestamp, nonce, method,
// path and body hash, within 120 s, each nonce once.
//
//   GET /api/challenges/internal-list/   every level with its secrets (for the AI tutor and workers)
#pragma once

#include "clash/engine.h"
#include "clash/service_auth.h"
#include "http/router.h"

namespace clash::host {

// Requests are checked by engine.service_verifier(); without one (no internal keys configured)
// internal routes answer 403 "Internal API is not configured."
void AddInternalRoutes(Router& router, Engine& engine);

}  // namespace clash::host
