#include "routes/core_routes.h"

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "http/json_response.h"

namespace clash::host {
namespace {

using nlohmann::json;

}  // namespace

void AddCoreRoutes(Router& router, Engine& engine, Metrics& metrics) {
  router.Add("GET", "/health/", [&engine](HttpRequest&, HttpResponse& resp) {
    json checks = json::object();
    bool healthy = true;
    for (const HealthCheck& c : engine.CheckHealth()) {
      // A working dependency shows "ok", or its degraded state (the pub/sub link while Redis is away).
      checks[c.name] = c.ok ? (c.detail.starts_with("degraded") ? c.detail : "ok") : "error: " + c.detail;
      healthy = healthy && c.ok;
    }
    WriteJson(resp, healthy ? 200 : 503,
              json{{"status", healthy ? "healthy" : "unhealthy"}, {"service", "clash-host"}, {"checks", checks}});
  });

  // Readiness (load balancers, Kubernetes): the storage answers now. /health/ is the same check with
  // the per-check detail; /ready/ is the cheap one to probe every few seconds.
  router.Add("GET", "/ready/", [&engine](HttpRequest&, HttpResponse& resp) {
    bool ready = engine.storage().Ping().ok();
    WriteJson(resp, ready ? 200 : 503, json{{"status", ready ? "ready" : "not ready"}});
  });

  router.Add("GET", "/metrics", [&metrics](HttpRequest&, HttpResponse& resp) {
    resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
    resp.body = metrics.Render();
  });
}

void AddTestRoutes(Router& router) {
  router.Add("GET", "/api/test/slow/", [](HttpRequest& req, HttpResponse& resp) {
    int ms = 0;
    try {
      ms = std::stoi(req.query["ms"]);
    } catch (const std::exception&) {
      return WriteError(resp, 400, "ms must be an integer");
    }
    if (ms < 0 || ms > 60000) return WriteError(resp, 400, "ms must be 0-60000");
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    WriteJson(resp, 200, json{{"slept_ms", ms}});
  });
  router.Add("POST", "/api/test/echo/", [](HttpRequest& req, HttpResponse& resp) {
    WriteJson(resp, 200, json{{"bytes", req.body.size()}});
  });
}

}  // namespace clash::host
