// host/routes/core_routes.h — health, metrics and the level catalogue.
//
//   GET /health/                 {status, service, checks{database}}; 503 when unhealthy
//   GET /ready/                  {status: ready}; 503 {status: "not ready"} while the storage does not answer
//   GET /metrics                 Prometheus text
//   GET /api/challenges/         the campaign map (client-contract.md section 4)
//   GET /api/challenges/{slug}/  one level (section 5)
// With test routes enabled (never in production): GET /api/test/slow/?ms=N answers after N ms.
#pragma once

#include "clash/engine.h"
#include "http/metrics.h"
#include "http/router.h"

namespace clash::host {

void AddCoreRoutes(Router& router, Engine& engine, Metrics& metrics);
void AddTestRoutes(Router& router);

}  // namespace clash::host
