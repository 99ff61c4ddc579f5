#include "judge_worker_command.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "clash/judge.h"
#include "clash/storage.h"

namespace clash::host {
namespace {

int Fail(const Status& s) {
  std::fprintf(stderr, "clash-host: %s\n", s.ToString().c_str());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

Result<std::int64_t> IntIn(const Config& cfg, const std::string& key, std::int64_t lo, std::int64_t hi) {
  CLASH_ASSIGN_OR_RETURN(std::int64_t v, cfg.GetInt(key));
  if (v < lo || v > hi) {
    return Status::InvalidArgument("option " + key + " must be " + std::to_string(lo) + "-" + std::to_string(hi));
  }
  return v;
}

std::string DefaultWorkerId() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
  return std::string(name[0] != '\0' ? name : "worker") + ":" + std::to_string(getpid());
}

}  // namespace

int RunJudgeWorker(const Config& cfg, Logger& logger) {
  Result<std::int64_t> threads = IntIn(cfg, "judge_workers", 0, 256);
  if (!threads.ok()) return Fail(threads.status());
  Result<std::int64_t> lease_ms = IntIn(cfg, "judge_lease_ms", 1000, 24LL * 3600 * 1000);
  if (!lease_ms.ok()) return Fail(lease_ms.status());
  Result<std::int64_t> poll_ms = IntIn(cfg, "judge_poll_ms", 10, 60'000);
  if (!poll_ms.ok()) return Fail(poll_ms.status());
  JudgeWorkerOptions options;
  options.worker_id = cfg.Get("judge_worker_id").empty() ? DefaultWorkerId() : cfg.Get("judge_worker_id");
  options.concurrency = *threads > 0 ? static_cast<int>(*threads) : AvailableCores();
  options.lease = std::chrono::milliseconds(*lease_ms);
  options.idle_poll = std::chrono::milliseconds(*poll_ms);

  // Block the stop signals in every thread we start; the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Result<std::unique_ptr<Storage>> storage = OpenStorage(cfg.Get("storage"));
  if (!storage.ok()) return Fail(storage.status());
  Result<std::unique_ptr<JudgeQueue>> queue = NewStorageJudgeQueue(**storage, Clock::Real());
  if (!queue.ok()) return Fail(queue.status());
  Result<std::unique_ptr<Judge>> judge = NewSandboxJudge({});
  if (!judge.ok()) return Fail(Status::FailedPrecondition("judge unavailable: " + judge.status().message()));
  Result<std::unique_ptr<JudgeWorker>> worker = JudgeWorker::Start(**queue, **judge, options);
  if (!worker.ok()) return Fail(worker.status());
  logger.Info("judge worker ready", {{"worker_id", options.worker_id}, {"threads", options.concurrency},
                                     {"lease_ms", *lease_ms}, {"storage", std::string((*storage)->backend_name())}});
  std::printf("judge worker %s ready\n", options.worker_id.c_str());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  logger.Info("judge worker stopping", {{"signal", sig}});
  std::int64_t done = (*worker)->jobs_completed();
  worker->reset();  // stops claiming, finishes the jobs in hand
  logger.Info("judge worker stopped", {{"jobs_completed", done}});
  return 0;
}

}  // namespace clash::host
