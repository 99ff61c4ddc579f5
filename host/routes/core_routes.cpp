#include "routes/core_routes.h"

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "http/json_response.h"

namespace clash::host {
namespace {

using nlohmann::json;

// The fields of the reference's ChallengePublicSerializer (client-contract.md section 4).
json LevelJson(const Level& level) {
  return json{{"id", level.id},
              {"title", level.title},
              {"slug", level.slug},
              {"description", level.description},
              {"initial_code", level.initial_code},
              {"test_code", level.test_code},
              {"order", level.order},
              {"xp_reward", level.xp_reward},
              {"time_limit", level.time_limit_seconds},
              {"target_time_seconds", level.target_time_seconds},
              {"created_for_user", nullptr}};
}

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

  router.Add("GET", "/metrics", [&metrics](HttpRequest&, HttpResponse& resp) {
    resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
    resp.body = metrics.Render();
  });

  router.Add("GET", "/api/challenges/", [&engine](HttpRequest&, HttpResponse& resp) {
    Result<std::vector<LevelStanding>> map = engine.catalogue().MapForNewPlayer();
    if (!map.ok()) return WriteError(resp, map.status());
    json out = json::array();
    for (const LevelStanding& s : *map) {
      json j = LevelJson(s.level);
      j["status"] = std::string(LevelStateName(s.state));
      j["stars"] = s.stars;
      out.push_back(std::move(j));
    }
    WriteJson(resp, 200, out);
  });

  router.Add("GET", "/api/challenges/{slug}/", [&engine](HttpRequest& req, HttpResponse& resp) {
    Result<std::vector<LevelStanding>> map = engine.catalogue().MapForNewPlayer();
    if (!map.ok()) return WriteError(resp, map.status());
    for (const LevelStanding& s : *map) {
      if (s.level.slug != req.path_params["slug"]) continue;
      json j = LevelJson(s.level);
      j["status"] = std::string(LevelStateName(s.state));
      j["stars"] = s.stars;
      j["ai_hints_purchased"] = 0;
      j["started_at"] = nullptr;
      return WriteJson(resp, 200, j);
    }
    WriteError(resp, 404, "Not found.");
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
