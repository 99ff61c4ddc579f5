// clash/judge_gateway.h — how the campaign, the level validator and the code reviewer reach a judge.
//
// A JudgeGateway queues judge requests and calls back with the verdict. The engine's gateway runs
// them on its sandbox judge pool (Engine::judge()); NewSandboxJudgeGateway() builds a standalone
// one (for authoring tools such as clash.levels.validate); tests implement it to hold verdicts back
// or to answer without a sandbox.
//
// Thread-safety: implementations must be safe for concurrent use; callbacks may run on any thread.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(auto gateway, clash::NewSandboxJudgeGateway({}, {.workers = 2}));
//   CLASH_ASSIGN_OR_RETURN(clash::JudgeResult r, gateway->RunAndWait(request));
#pragma once

#include <functional>
#include <memory>

#include "clash/export.h"
#include "clash/judge.h"
#include "clash/status.h"

namespace clash {

class CLASH_EXPORT JudgeGateway {
 public:
  using Callback = std::function<void(Result<JudgeResult>)>;
  virtual ~JudgeGateway() = default;

  // Queues `request`; `done` runs exactly once, on some thread, with the verdict (or the judge's
  // error). Returns Unavailable (with retry-after) when the queue is full, FailedPrecondition when
  // there is no judge; `done` is not called then.
  virtual Status Submit(JudgeRequest request, Callback done) = 0;
  // True when a request submitted now would wait for a worker.
  virtual bool Busy() = 0;
  // The largest limits a request may ask for.
  virtual JudgeLimits MaxLimits() = 0;

  // Submit() and wait for the verdict. Must not be called from a callback of this gateway.
  Result<JudgeResult> RunAndWait(JudgeRequest request);
};

// A gateway over `pool` (which must outlive it) with `workers` workers (Busy() compares with it).
CLASH_EXPORT std::unique_ptr<JudgeGateway> NewPoolJudgeGateway(JudgePool& pool, int workers);

// A gateway that owns a sandbox judge and a pool of its own. FailedPrecondition with the reason if
// the sandbox cannot start or the library was built without the judge.
CLASH_EXPORT Result<std::unique_ptr<JudgeGateway>> NewSandboxJudgeGateway(SandboxJudgeOptions sandbox,
                                                                          JudgePoolOptions pool);

}  // namespace clash
