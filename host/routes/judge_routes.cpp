#include "routes/judge_routes.h"

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "http/json_response.h"

namespace clash::host {
namespace {

// The pool's counters and queue metrics, for staff and monitoring.
nlohmann::json PoolStatsJson(const JudgePoolStats& s) {
  return {{"workers", s.workers},          {"queue_capacity", s.queue_capacity}, {"submitted", s.submitted},
          {"rejected", s.rejected},        {"completed", s.completed},           {"queued", s.queued},
          {"running", s.running},          {"wait_ms_total", s.wait_ms_total},   {"wait_ms_max", s.wait_ms_max},
          {"run_ms_total", s.run_ms_total}};
}

}  // namespace

void AddJudgeRoutes(Router& router, RouteContext& ctx) {
  router.Add("GET", "/api/judge/stats/",
             Guard(ctx, Access::kStaff, "judge",
                   [&engine = ctx.engine](HttpRequest&, HttpResponse& resp, const Caller&) {
                     Result<JudgePool*> judge = engine.judge();
                     if (!judge.ok()) {
                       return WriteError(resp, Status::Unavailable("judge unavailable").WithRetryAfter(60));
                     }
                     resp.status = 200;
                     resp.content_type = "application/json";
                     resp.body = PoolStatsJson((*judge)->Stats()).dump();
                   }));
  router.Add("POST", "/api/judge/run/",
             Guard(ctx, Access::kStaff, "judge",
                   [&engine = ctx.engine](HttpRequest& req, HttpResponse& resp, const Caller&) {
                     Result<JudgePool*> judge = engine.judge();
                     if (!judge.ok()) {
                       return WriteError(resp, Status::Unavailable("judge unavailable").WithRetryAfter(60));
                     }
                     JudgePool* pool = *judge;
                     std::string type = req.Header("content-type").value_or("");
                     if (type.find("application/json") == std::string::npos) {
                       return WriteError(resp, 415, "Content-Type must be application/json.");
                     }
                     Result<JudgeRequest> request = ParseJudgeRequestJson(req.body, pool->MaxLimits());
                     if (!request.ok()) return WriteError(resp, request.status());
                     // Blocks this HTTP thread while the submission waits and runs; a full queue
                     // answers Unavailable + retry-after at once (503 + Retry-After).
                     Result<JudgeResult> result = pool->Run(std::move(request).value());
                     if (!result.ok()) return WriteError(resp, result.status());
                     resp.status = 200;
                     resp.content_type = "application/json";
                     resp.body = EncodeJudgeResult(*result);
                   }));
}

}  // namespace clash::host
