#include "routes/judge_routes.h"

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "http/json_response.h"

namespace clash::host {

using nlohmann::json;

Result<HostJudge> StartHostJudge(const Config& cfg, const Logger& logger) {
  HostJudge out;
  CLASH_ASSIGN_OR_RETURN(bool enabled, cfg.GetBool("judge"));
  CLASH_ASSIGN_OR_RETURN(std::int64_t workers, cfg.GetInt("judge_workers"));
  CLASH_ASSIGN_OR_RETURN(std::int64_t queue, cfg.GetInt("judge_queue"));
  if (workers < 0 || workers > 256) return Status::InvalidArgument("option judge_workers must be 0-256 (0: one per core)");
  if (queue < 0 || queue > 100'000) return Status::InvalidArgument("option judge_queue must be 0-100000");
  if (!enabled) {
    logger.Info("judge disabled (--judge false): /api/judge/ answers 503");
    return out;
  }
  Result<std::unique_ptr<Judge>> judge = NewSandboxJudge({});
  if (!judge.ok()) {
    logger.Error("judge unavailable: the sandbox cannot start; /api/judge/ answers 503 and no code is run",
                 {{"reason", judge.status().ToString()}});
    return out;
  }
  JudgePoolOptions pool_options;
  if (workers > 0) pool_options.workers = static_cast<int>(workers);  // else the default: one per core
  pool_options.queue_capacity = static_cast<int>(queue);
  CLASH_ASSIGN_OR_RETURN(out.pool, JudgePool::Create(**judge, pool_options));
  out.judge = std::move(judge).value();
  logger.Info("judge ready", {{"workers", pool_options.workers}, {"queue", pool_options.queue_capacity}});
  return out;
}

namespace {

// The pool's counters and queue metrics, for staff and monitoring.
json PoolStatsJson(const JudgePoolStats& s) {
  return {{"workers", s.workers},          {"queue_capacity", s.queue_capacity}, {"submitted", s.submitted},
          {"rejected", s.rejected},        {"completed", s.completed},           {"queued", s.queued},
          {"running", s.running},          {"wait_ms_total", s.wait_ms_total},   {"wait_ms_max", s.wait_ms_max},
          {"run_ms_total", s.run_ms_total}};
}

}  // namespace

void AddJudgeRoutes(Router& router, RouteContext& ctx, JudgePool* pool) {
  router.Add("GET", "/api/judge/stats/",
             Guard(ctx, Access::kStaff, kJudgeRateLimit, "judge", [pool](HttpRequest&, HttpResponse& resp, const Caller&) {
               if (pool == nullptr) return WriteError(resp, Status::Unavailable("judge unavailable").WithRetryAfter(60));
               resp.status = 200;
               resp.content_type = "application/json";
               resp.body = PoolStatsJson(pool->Stats()).dump();
             }));
  router.Add("POST", "/api/judge/run/",
             Guard(ctx, Access::kStaff, kJudgeRateLimit, "judge",
                   [pool](HttpRequest& req, HttpResponse& resp, const Caller&) {
                     if (pool == nullptr) {
                       return WriteError(resp, Status::Unavailable("judge unavailable").WithRetryAfter(60));
                     }
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
