// The Python fork server: a long-lived sandbox per concurrent run holds a pre-started interpreter
// (the zygote) that has imported the harness; each execution is a fork of it.
//
//   judge ──fd 3 (SEQPACKET)── zygote: a bwrap sandbox (uid 0 with CAP_SYS_ADMIN of its own user
//                               namespace only, kZygote seccomp, read-only root, no network). After
//                               its imports it loops in C (tools/zygote_helper.cpp), keeping only
//                               CAP_SETFCAP, and never runs Python again.
//     "F" ─────────────────────▶ clones the next execution ahead of time straight into fresh user
//     ◀── "P<pid>" + socket to it   (uid 65534), mount, pid, IPC, network, UTS and cgroup
//                                   namespaces: pid 1 ("init") mounts its own tmpfs at /work, /tmp
//                                   and /dev/shm and its own /proc, forks the player (pid 2), and
//                                   stays as the namespace's init (C, not dumpable, default signals)
//     ◀── "R" + pidfd(init) + usage pipe  (from init)
//     ◀── "S"                          (from the player, standing by; R and S in either order)
//     "J <file_bytes>" + 4 fds ──▶ stdin, stdout, stderr, control (job in, results out): the player
//                                   resizes its tmpfs, takes the fds as 0-3, starts a session,
//                                   drops every capability, sets no_new_privs, loads the kPlayer
//                                   seccomp filter and returns to Python, where the harness
//                                   (python_runner.h) runs the job with the job's rlimits. init
//                                   reaps everything and reports the player's exact wait status,
//                                   CPU and peak RSS on the usage pipe, which only it holds.
// All of it up to "S" happens while the previous execution runs, so a submission waits only for
// "J" to arrive. The judge drives the execution exactly as a cold sandbox (Drive(), same
// channels) through the pidfd: polling it for the exit, pidfd_send_signal(SIGKILL) to kill the
// whole pid namespace at the wall-clock limit or output cap. The zygote never receives a job, a
// source or a test; it only forks. Expected values (data cases) never leave the judge.
//
// A zygote in doubt (it died, was stopped and did not answer, a prepared execution failed) is
// destroyed and a new one started: that costs a restart, never a verdict (a launch that fails is
// retried on a fresh zygote before any player code runs). Zygotes are also replaced after
// SandboxJudgeOptions::zygote_max_runs.
//
// Thread-safety: a Zygote is used by one thread at a time; ZygotePool is safe for concurrent use.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "clash/judge.h"
#include "judge/process_io.h"
#include "judge/sandbox.h"
#include "judge/warm_pool.h"

namespace clash::internal {

// The zygote's command line: the harness plus the fork loop.
std::vector<std::string> PythonZygoteArgv(const std::string& python_path);

class Zygote {
 public:
  // Starts a zygote sandbox and waits for its "ready" (within options.zygote_reply_timeout).
  static Result<std::unique_ptr<Zygote>> Start(SandboxLauncher& launcher, const SandboxJudgeOptions& options);

  // Starts one execution: the prepared one (or a new one), given fresh channels and a tmpfs of
  // `file_bytes`; then asks the zygote to prepare the next. The execution is driven like any
  // sandbox (its pidfd, stdin/stdout/stderr/control/usage fds). On any failure the zygote is in
  // doubt (InDoubt()) and the error is Unavailable.
  Result<std::unique_ptr<SandboxProcess>> Launch(std::int64_t file_bytes);

  // True if the zygote must not be used again (it misbehaved, died, or reached its run limit).
  bool InDoubt() const { return doubt_ || runs_ >= max_runs_ || sandbox_->HasExited(); }
  void MarkInDoubt() { doubt_ = true; }
  int runs() const { return runs_; }
  pid_t sandbox_pid() const { return sandbox_->pid(); }

 private:
  Zygote(std::unique_ptr<SandboxProcess> sandbox, const SandboxJudgeOptions& options);
  Status RequestFork();
  Status AwaitPrepared();
  Status Doubt(std::string why);

  std::unique_ptr<SandboxProcess> sandbox_;
  std::chrono::milliseconds timeout_;
  int max_runs_;
  UniqueFd prepared_;        // socket to the prepared execution
  bool fork_requested_ = false;
  bool doubt_ = false;
  int runs_ = 0;
};

struct ForkServerStats {
  std::int64_t zygotes_started = 0;
  std::int64_t zygotes_replaced = 0;  // destroyed in doubt or at their run limit
  std::int64_t executions = 0;
};

// Zygotes for the judge's concurrent runs: one per run in progress, started on demand, reused.
class ZygotePool {
 public:
  using Starter = std::function<Result<std::unique_ptr<Zygote>>()>;
  // Starts `initial` zygotes in the background.
  ZygotePool(Starter start, int initial) : zygotes_(std::move(start), 0, initial) {}

  // Runs one execution to its end on an idle zygote (waiting for one to be started if none is
  // idle; a zygote serves one execution at a time), then returns the zygote to the pool or, in
  // doubt, replaces it. An execution the judge did not end itself that either never started (a
  // failed launch, or `started` false: no player code ran) or ended without its init's report (the
  // zygote's sandbox died under it; nothing inside can kill init) puts the zygote in doubt and
  // runs again on a fresh one; after three attempts the last result (or Unavailable) is returned.
  Result<DriveResult> Run(const DriveSpec& spec, std::int64_t file_bytes, const Clock& clock,
                          const std::function<bool(const DriveResult&)>& started);
  ForkServerStats Stats() const;
  // The sandbox (bwrap) pids of the idle zygotes, for tests that kill or stop one.
  std::vector<pid_t> IdleSandboxPidsForTests() const;

 private:
  void Release(std::unique_ptr<Zygote> z);

  IdlePool<Zygote> zygotes_;
  mutable std::mutex mu_;
  std::int64_t replaced_ = 0;
  std::int64_t executions_ = 0;
};

}  // namespace clash::internal
