// Starting one bubblewrap sandbox: namespaces, read-only system dirs, private tmpfs, seccomp, rlimits.
//
// SandboxLauncher::Spawn forks, lowers rlimits, (as root) switches to a per-sandbox unprivileged
// uid, and execs bwrap with a fixed argument list. The process inside sees: /usr and friends
// read-only, a new /proc and a minimal /dev, size-capped tmpfs at /work (cwd) and /tmp, a read-only
// root, no network, uid/gid 65534, no capabilities, no_new_privs and the seccomp filter. It talks
// to the judge only over fds 0 (socket), 1 and 2 (pipes) and 3 (socket, the control channel).
//
// Thread-safety: SandboxLauncher is safe for concurrent use; a SandboxProcess is used by one thread.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "clash/judge.h"
#include "clash/status.h"
#include "judge/unique_fd.h"

namespace clash::internal {

class SandboxLauncher;

struct SandboxFile {
  std::string path;      // absolute, under /work or /tmp
  std::string content;
  bool executable = false;
};

struct SpawnSpec {
  std::vector<std::string> argv;     // the command run inside the sandbox
  std::vector<SandboxFile> files;    // created before the command starts
  JudgeLimits limits;                // rlimits set outside and inherited (CPU, AS, FSIZE, NOFILE,
                                     // tmpfs sizes; NPROC as root). Lower them inside for less.
  int nproc_inside = 0;              // RLIMIT_NPROC set by sandbox-init for the command; 0: unchanged
  // A fork-server sandbox (fork_server.h): the command runs as uid 0 of the sandbox's user
  // namespace with CAP_SYS_ADMIN there (nothing on the host), may create nested user namespaces,
  // runs under the kZygote seccomp profile, and fd 3 is a SOCK_SEQPACKET socket. Everything else
  // (read-only root and system dirs, no network, new pid/ipc/uts/cgroup namespaces, rlimits,
  // sandbox-init as pid 1, die-with-parent) is as for any sandbox.
  bool zygote = false;
};

struct ExitInfo {
  int wait_status = 0;   // of bwrap, which exits with the command's code or 128 + signal
  struct rusage usage {};
};

// What sandbox-init reported on its usage channel about the command.
struct CommandUsage {
  bool known = false;
  int wait_status = 0;          // the command's own wait status (exact signal)
  std::int64_t cpu_us = 0;      // the command and every descendant it reaped
  std::int64_t max_rss_kib = 0;
};

// A running sandbox. Destroying it kills the whole process tree and reaps it.
class SandboxProcess {
 public:
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  // A process this judge did not start and cannot wait for (a fork-server execution, whose
  // parent is inside a sandbox), known by a pidfd. Kill() signals it through the pidfd; Reap()
  // waits until it has exited; ExitInfo then reports SIGKILL (its exact status comes from the
  // usage channel).
  static std::unique_ptr<SandboxProcess> Adopt(UniqueFd pidfd);

  pid_t pid() const { return pid_; }
  // Kills bwrap with SIGKILL; --die-with-parent then kills the namespace's init, which takes every
  // process of the pid namespace with it.
  void Kill();
  // Blocks until bwrap exits and reaps it. Call once.
  ExitInfo Reap();
  // True if bwrap has already exited (without reaping it).
  bool HasExited() const;

  UniqueFd pidfd;       // readable when bwrap exits
  UniqueFd stdin_fd;    // socket; write the input then shutdown(SHUT_WR)
  UniqueFd stdout_fd;   // pipe
  UniqueFd stderr_fd;   // pipe
  UniqueFd control_fd;  // socket; fd 3 inside
  UniqueFd usage_fd;    // pipe; sandbox-init's report (see tools/sandbox_init_main.cpp)

 private:
  friend class SandboxLauncher;
  SandboxProcess(SandboxLauncher* launcher, pid_t pid, int slot)
      : launcher_(launcher), pid_(pid), slot_(slot) {}
  SandboxLauncher* launcher_;  // null for an adopted process
  pid_t pid_;
  int slot_;
  bool reaped_ = false;
};

class SandboxLauncher {
 public:
  // Validates the options (bwrap executable, system dirs) and compiles the seccomp filter.
  // FailedPrecondition if bwrap is missing.
  static Result<std::unique_ptr<SandboxLauncher>> Create(const SandboxJudgeOptions& options);

  // Starts a sandbox. Unavailable if every uid slot is in use; Internal if fork/exec fails.
  Result<std::unique_ptr<SandboxProcess>> Spawn(const SpawnSpec& spec);

  // The compiled kPlayer seccomp filter (fork-server children load it themselves).
  const std::string& player_seccomp_bpf() const { return seccomp_bpf_; }
  // The first host uid of this launcher's range (root only; see SandboxJudgeOptions).
  std::uint32_t uid_base() const { return uid_base_; }

 private:
  friend class SandboxProcess;
  SandboxLauncher() = default;
  int AcquireSlot();
  void ReleaseSlot(int slot);

  std::string bwrap_;
  std::string init_;
  std::string zygote_helper_;  // empty: fork-server sandboxes cannot start
  std::vector<std::string> fs_args_;   // --ro-bind / --symlink for the system dirs
  Status LeaseUidRange(const SandboxJudgeOptions& options);

  std::string seccomp_bpf_;
  std::string zygote_seccomp_bpf_;
  bool as_root_ = false;
  UniqueFd uid_lease_;  // the lock file that holds this process's uid range
  std::uint32_t uid_base_ = 0;
  std::mutex mu_;
  std::vector<bool> slot_used_;
  size_t next_slot_ = 0;
};

}  // namespace clash::internal
