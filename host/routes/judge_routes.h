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

#include "clash/judge.h"
#include "http/router.h"
#include "routes/auth_routes.h"

namespace clash::host {

// Adds the judge routes; they judge on ctx.engine.judge(). Without a judge (disabled, or the
// sandbox could not start) they answer 503 and never run code.
void AddJudgeRoutes(Router& router, RouteContext& ctx);

}  // namespace clash::host
