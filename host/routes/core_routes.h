// host/routes/core_routes.h — health and metrics (the campaign's routes: campaign_routes.h).
//
//   GET /health/                 {status, service, checks{database}}; 503 when unhealthy
//   GET /ready/                  {status: ready}; 503 {status: "not ready"} while the storage does not answer
//   GET /metrics                 Prometheus text
// With test routes enabled (never in production): GET /api/test/slow/?ms=N answers after N ms.
#pragma once

#include "clash/engine.h"
#include "http/metrics.h"
#include "http/router.h"

namespace clash::host {

void AddCoreRoutes(Router& router, Engine& engine, Metrics& metrics);
void AddTestRoutes(Router& router);

}  // namespace clash::host
