// host/routes/judge_routes.h — running code through the sandbox judge over HTTP, for level authors
// and staff (checking a level's tests and solution before publishing it).
//
//   POST /api/judge/run/   {language, source, test_code?, cases?: [[stdin, expected], ...], limits?: {...}}
//                          -> 200 the JudgeResult JSON (EncodeJudgeResult)
//                          400 bad input; 401 no credentials; 403 not staff;
//                          503 + Retry-After when the judge pool's queue is full;
//                          503 "judge unavailable" when the host runs without a judge.
//   GET  /api/judge/stats/ -> 200 the pool's counters and queue metrics (JudgePoolStats), staff only
#pragma once

#include <memory>

#include "clash/config.h"
#include "clash/judge.h"
#include "clash/log.h"
#include "http/router.h"
#include "routes/auth_routes.h"

namespace clash::host {

// The host's judge: the sandbox judge and the pool in front of it, or neither.
struct HostJudge {
  std::unique_ptr<Judge> judge;
  std::unique_ptr<JudgePool> pool;  // null: judge disabled or unavailable
};

// Reads the options `judge`, `judge_workers` (0: one per core) and `judge_queue` and starts the
// sandbox judge.
// InvalidArgument for a malformed option. If the sandbox cannot start, logs the reason as an error
// and returns a HostJudge without a pool (the routes then answer 503): code never runs unsandboxed.
Result<HostJudge> StartHostJudge(const Config& cfg, const Logger& logger);

// Adds the judge routes. `pool` may be null (judge disabled or the sandbox could not start): the
// routes then answer 503 and never run code. `pool` must outlive the router.
void AddJudgeRoutes(Router& router, RouteContext& ctx, JudgePool* pool);

}  // namespace clash::host
