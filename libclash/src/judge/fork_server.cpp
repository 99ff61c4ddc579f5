#include "judge/fork_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "judge/channel.h"

namespace clash::internal {
namespace {

bool SendWithFds(int sock, std::string_view msg, const std::vector<int>& fds) {
  return SendFds(sock, msg.data(), msg.size(), fds.data(), static_cast<int>(fds.size()));
}

// Waits up to `timeout` for one message; `fds` receives the descriptors attached (others closed).
Status ReceiveWithFds(int sock, std::chrono::milliseconds timeout, std::string& msg, std::vector<UniqueFd>& fds,
                      size_t max_fds = 2) {
  struct pollfd p = {sock, POLLIN, 0};
  int rc;
  do {
    rc = poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  if (rc == 0) return Status::Unavailable("no answer within " + std::to_string(timeout.count()) + " ms");
  if (rc < 0) return Status::Unavailable(std::string("poll: ") + std::strerror(errno));
  char buf[256];
  int got[kMaxPassedFds];
  int count = 0;
  const ssize_t n = ReceiveFds(sock, buf, sizeof buf, got, kMaxPassedFds, &count, MSG_DONTWAIT);
  for (int i = 0; i < count; ++i) {
    if (fds.size() < max_fds) {
      fds.emplace_back(got[i]);
    } else {
      close(got[i]);
    }
  }
  if (n <= 0) return Status::Unavailable(n == 0 ? "the channel was closed" : std::strerror(errno));
  msg.assign(buf, static_cast<size_t>(n));
  return Status::Ok();
}

// What the zygote wrote to stderr before it failed (it writes nothing while healthy).
std::string StderrOf(SandboxProcess& p) {
  std::string err;
  char buf[4096];
  ssize_t n;
  while ((n = read(p.stderr_fd.get(), buf, sizeof buf)) > 0 && err.size() < 4096) err.append(buf, static_cast<size_t>(n));
  return err;
}

}  // namespace

Zygote::Zygote(std::unique_ptr<SandboxProcess> sandbox, const SandboxJudgeOptions& options)
    : sandbox_(std::move(sandbox)), timeout_(options.zygote_reply_timeout), max_runs_(options.zygote_max_runs) {}

Result<std::unique_ptr<Zygote>> Zygote::Start(SandboxLauncher& launcher, const SandboxJudgeOptions& options) {
  SpawnSpec spec;
  spec.zygote = true;
  spec.argv = PythonZygoteArgv(options.python_path);
  spec.files = {{"/tmp/clash-player.bpf", launcher.player_seccomp_bpf(), false}};
  // The zygote's own limits: its children inherit them as hard ceilings and each execution lowers
  // them to its job's (the harness). Its CPU counts only its own forks; the per-uid process limit
  // covers one execution at a time plus the next, prepared one.
  spec.limits = options.max_limits;
  spec.limits.cpu_time = std::chrono::hours(1);
  spec.limits.processes = options.max_limits.processes + 16;
  CLASH_ASSIGN_OR_RETURN(std::unique_ptr<SandboxProcess> proc, launcher.Spawn(spec));
  for (UniqueFd* fd : {&proc->stdout_fd, &proc->stderr_fd}) fcntl(fd->get(), F_SETFL, O_NONBLOCK);
  std::unique_ptr<Zygote> z(new Zygote(std::move(proc), options));
  std::string msg;
  std::vector<UniqueFd> none;
  Status ready = ReceiveWithFds(z->sandbox_->control_fd.get(), options.zygote_reply_timeout, msg, none, 0);
  if (!ready.ok() || msg != "ready") {
    std::string why = StderrOf(*z->sandbox_);
    if (why.size() > 600) why = why.substr(why.size() - 600);
    return Status::Unavailable("judge: the fork server did not start: " +
                               (ready.ok() ? "unexpected answer" : ready.message()) + (why.empty() ? "" : ": " + why));
  }
  CLASH_RETURN_IF_ERROR(z->RequestFork());  // the first execution is prepared at once
  return z;
}

Status Zygote::Doubt(std::string why) {
  doubt_ = true;
  return Status::Unavailable("judge: fork server: " + why);
}

Status Zygote::RequestFork() {
  if (!SendWithFds(sandbox_->control_fd.get(), "F", {})) return Doubt("the zygote does not listen");
  fork_requested_ = true;
  return Status::Ok();
}

Status Zygote::AwaitPrepared() {
  std::string msg;
  std::vector<UniqueFd> sock;
  Status s = ReceiveWithFds(sandbox_->control_fd.get(), timeout_, msg, sock, 1);
  if (!s.ok()) return Doubt("the zygote did not fork: " + s.message());
  if (msg.empty() || msg[0] != 'P' || sock.size() != 1) return Doubt("the zygote answered '" + msg + "'");
  fork_requested_ = false;
  prepared_ = std::move(sock[0]);
  return Status::Ok();
}

Result<std::unique_ptr<SandboxProcess>> Zygote::Launch(std::int64_t file_bytes) {
  if (InDoubt()) return Status::Unavailable("judge: fork server: the zygote is retired");
  if (!prepared_.valid()) {
    if (!fork_requested_) CLASH_RETURN_IF_ERROR(RequestFork());
    CLASH_RETURN_IF_ERROR(AwaitPrepared());
  }
  // The prepared execution reports its init (pidfd, usage pipe) and its player standing by, in
  // either order (they are two processes).
  UniqueFd execution = std::move(prepared_);
  std::vector<UniqueFd> ready;
  bool standing_by = false;
  while (ready.empty() || !standing_by) {
    std::string msg;
    std::vector<UniqueFd> fds;
    Status got = ReceiveWithFds(execution.get(), timeout_, msg, fds);
    if (got.ok() && msg == "R" && fds.size() == 2 && ready.empty()) {
      ready = std::move(fds);
    } else if (got.ok() && msg == "S" && fds.empty() && !standing_by) {
      standing_by = true;
    } else {
      return Doubt("the execution was not prepared: " + (got.ok() ? "answer '" + msg + "'" : got.message()));
    }
  }
  // The execution's channels, as a cold sandbox has them (sandbox.h).
  FdPair in, ctl, out, err;
  if (!MakeSocketPair(SOCK_STREAM, in) || !MakeSocketPair(SOCK_STREAM, ctl) || !MakePipe(out) || !MakePipe(err)) {
    return Status::Internal("judge: cannot create an execution's channels");
  }
  if (!SendWithFds(execution.get(), "J " + std::to_string(file_bytes),
                   {in.child.get(), out.child.get(), err.child.get(), ctl.child.get()})) {
    return Doubt("the prepared execution is gone");
  }
  ++runs_;
  std::unique_ptr<SandboxProcess> proc = SandboxProcess::Adopt(std::move(ready[0]));
  proc->stdin_fd = std::move(in.parent);
  proc->stdout_fd = std::move(out.parent);
  proc->stderr_fd = std::move(err.parent);
  proc->control_fd = std::move(ctl.parent);
  proc->usage_fd = std::move(ready[1]);
  // Prepare the next execution while this one runs (a failure only retires the zygote).
  if (runs_ < max_runs_) (void)RequestFork();
  return proc;
}

void ZygotePool::Release(std::unique_ptr<Zygote> z) {
  if (!z->InDoubt()) {
    zygotes_.Put(std::move(z));
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++replaced_;
  }
  zygotes_.RequestStart();  // a replacement, started in the background
  // `z` is destroyed here: its sandbox is killed (its execution has ended).
}

Result<DriveResult> ZygotePool::Run(const DriveSpec& spec, std::int64_t file_bytes, const Clock& clock,
                                    const std::function<bool(const DriveResult&)>& started) {
  Result<DriveResult> last = Status::Unavailable("judge: fork server unavailable");
  for (int attempt = 0; attempt < 3; ++attempt) {
    CLASH_ASSIGN_OR_RETURN(std::unique_ptr<Zygote> z, zygotes_.Take());
    Result<std::unique_ptr<SandboxProcess>> proc = z->Launch(file_bytes);
    if (!proc.ok()) {
      last = proc.status();
      Release(std::move(z));
      continue;
    }
    DriveResult d = Drive(**proc, spec, clock);
    proc->reset();
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++executions_;
    }
    // An execution the judge did not end must have started and been reported on by its init;
    // otherwise the zygote's sandbox failed under it (init cannot be killed from inside), and the
    // result says nothing about the submission: it runs again on a fresh zygote.
    const bool judge_ended_it = d.timed_out || d.output_exceeded || d.control_exceeded;
    if (!judge_ended_it && (!d.command.known || !started(d))) {
      z->MarkInDoubt();
      Release(std::move(z));
      last = std::move(d);
      continue;
    }
    Release(std::move(z));
    return d;
  }
  return last;
}

ForkServerStats ZygotePool::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {zygotes_.started(), replaced_, executions_};
}

std::vector<pid_t> ZygotePool::IdleSandboxPidsForTests() const {
  std::vector<pid_t> pids;
  zygotes_.ForEachIdle([&pids](const Zygote& z) { pids.push_back(z.sandbox_pid()); });
  return pids;
}

}  // namespace clash::internal
