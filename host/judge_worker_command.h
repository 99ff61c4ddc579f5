// host/judge_worker_command.h — `clash-host judge-worker`: judges the storage's judge queue
// (submissions enqueued by hosts running `serve --judge remote`) until SIGTERM/SIGINT.
#pragma once

#include "clash/config.h"
#include "clash/log.h"

namespace clash::host {

// Opens the storage (--storage, migrating it like serve), starts the sandbox judge and a
// JudgeWorker on NewStorageJudgeQueue with --judge-workers threads (0: one per core), leases of
// --judge-lease-ms and the worker id --judge-worker-id (default HOSTNAME:PID). Prints
// "judge worker ID ready" on stdout once claiming; on SIGTERM/SIGINT stops claiming, finishes the
// jobs in hand and returns 0. A worker killed mid-job loses nothing: its lease expires and another
// worker claims the job. Returns the exit code (1 with a message on stderr if it cannot start).
int RunJudgeWorker(const Config& cfg, Logger& logger);

}  // namespace clash::host
