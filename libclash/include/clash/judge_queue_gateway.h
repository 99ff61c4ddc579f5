// clash/judge_queue_gateway.h — a JudgeGateway whose judging happens in other processes: requests go
// to a JudgeQueue (clash/judge.h) that judge workers pull from. clash-host `serve --judge remote`
// injects one over NewStorageJudgeQueue as EngineOptions::judge_gateway; `clash-host judge-worker`
// processes judge the jobs (docs/judge.md).
//
// Thread-safety: safe for concurrent use; verdict callbacks run on the gateway's poller thread.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(auto queue, clash::NewStorageJudgeQueue(*storage, clash::Clock::Real()));
//   options.judge_gateway = clash::NewQueueJudgeGateway(*queue);   // queue outlives the engine
#pragma once

#include <chrono>
#include <memory>

#include "clash/export.h"
#include "clash/judge.h"
#include "clash/judge_gateway.h"

namespace clash {

struct QueueJudgeGatewayOptions {
  std::chrono::milliseconds poll{200};  // how often unfinished jobs are looked up
  JudgeLimits max_limits;               // MaxLimits(); the worker's judge checks its own
};

// A gateway that enqueues every request on `queue` (which must outlive it) and delivers each
// verdict, on the gateway's poller thread, once a worker stored it. Busy() is always true, so the
// campaign answers submissions 202 and finishes their tasks later. Verdicts of jobs still
// unfinished when the gateway is destroyed are not delivered (the jobs stay queued and are judged;
// their callbacks are dropped). Submit returns the queue's error (Unavailable with retry-after for
// a full queue).
CLASH_EXPORT std::unique_ptr<JudgeGateway> NewQueueJudgeGateway(JudgeQueue& queue, QueueJudgeGatewayOptions options = {});

}  // namespace clash
