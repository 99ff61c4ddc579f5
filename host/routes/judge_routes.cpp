#include "routes/judge_routes.h"

#include <string>
#include <utility>

#include "http/json_response.h"

namespace clash::host {

void AddJudgeRoutes(Router& router, RouteContext& ctx) {
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
