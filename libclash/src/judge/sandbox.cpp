#include "judge/sandbox.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "judge/seccomp_filter.h"

namespace clash::internal {
namespace {

constexpr int kSandboxUid = 65534;
constexpr int kFirstFileFd = 6;  // 0-2 stdio, 3 control, 4 usage, 5 seccomp
constexpr const char* kInitPath = "/sandbox-init";

Result<UniqueFd> MemFd(const std::string& content) {
  UniqueFd fd(memfd_create("clash-sandbox", MFD_CLOEXEC));
  if (!fd.valid()) return Status::Internal("memfd_create failed");
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = write(fd.get(), content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::Internal("writing a sandbox file failed");
    off += static_cast<size_t>(n);
  }
  if (lseek(fd.get(), 0, SEEK_SET) != 0) return Status::Internal("lseek failed");
  return fd;
}

struct Limit {
  int resource;
  rlim_t soft;
  rlim_t hard;
};

// Everything below runs in the forked child of a possibly multi-threaded process: only
// async-signal-safe calls, raw syscalls for credentials (they must affect this thread only).
[[noreturn]] void ChildExec(const int* fds, int nfds, const Limit* limits, int nlimits, bool as_root,
                            uid_t uid, pid_t parent, const char* bwrap, char* const* argv,
                            char* const* envp, int err_fd) {
  // Move every fd to a high number first so the dup2s below cannot clobber each other.
  int high[32];
  for (int i = 0; i < nfds; ++i) {
    high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 64);
    if (high[i] < 0) goto fail;
  }
  for (int i = 0; i < nfds; ++i) {
    if (dup2(high[i], i) < 0) goto fail;
  }
  {
    int e = fcntl(err_fd, F_DUPFD_CLOEXEC, nfds);
    if (e < 0) goto fail;
    err_fd = e;
    syscall(SYS_close_range, static_cast<unsigned>(nfds), static_cast<unsigned>(err_fd) - 1, 0u);
    syscall(SYS_close_range, static_cast<unsigned>(err_fd) + 1, ~0u, 0u);
  }
  for (int i = 0; i < nlimits; ++i) {
    struct rlimit rl = {limits[i].soft, limits[i].hard};
    if (setrlimit(limits[i].resource, &rl) != 0) goto fail;
  }
  if (as_root) {
    if (syscall(SYS_setgroups, 0, nullptr) != 0) goto fail;
    if (syscall(SYS_setresgid, uid, uid, uid) != 0) goto fail;
    if (syscall(SYS_setresuid, uid, uid, uid) != 0) goto fail;
  }
  // After the uid change (which clears it): die with the thread that started us.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) goto fail;
  if (getppid() != parent) _exit(127);
  {
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);
  }
  execve(bwrap, argv, envp);
fail:
  int e = errno;
  while (write(err_fd, &e, sizeof e) < 0 && errno == EINTR) {
  }
  _exit(127);
}

}  // namespace

Result<std::unique_ptr<SandboxLauncher>> SandboxLauncher::Create(const SandboxJudgeOptions& options) {
  std::unique_ptr<SandboxLauncher> l(new SandboxLauncher());
  l->bwrap_ = options.bwrap_path;
  if (l->bwrap_.empty()) {
    const char* env = std::getenv("CLASH_BWRAP");
    l->bwrap_ = env != nullptr && *env != '\0' ? env : "/usr/bin/bwrap";
  }
  if (access(l->bwrap_.c_str(), X_OK) != 0) {
    return Status::FailedPrecondition("judge sandbox unavailable: bubblewrap not executable at " +
                                      l->bwrap_ + " (install the 'bubblewrap' package)");
  }
  l->init_ = options.sandbox_init_path;
  if (l->init_.empty()) {
    const char* env = std::getenv("CLASH_SANDBOX_INIT");
    l->init_ = env != nullptr && *env != '\0' ? env : CLASH_SANDBOX_INIT_PATH;
  }
  if (access(l->init_.c_str(), X_OK) != 0) {
    return Status::FailedPrecondition("judge sandbox unavailable: clash-sandbox-init not executable at " +
                                      l->init_ + " (set SandboxJudgeOptions::sandbox_init_path or "
                                      "CLASH_SANDBOX_INIT)");
  }
  for (const std::string& dir : options.system_dirs) {
    if (dir.empty() || dir[0] != '/' || dir == "/") {
      return Status::InvalidArgument("system dir must be an absolute path below /: " + dir);
    }
    struct stat st {};
    if (lstat(dir.c_str(), &st) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t n = readlink(dir.c_str(), target, sizeof target - 1);
      if (n <= 0) continue;
      l->fs_args_.insert(l->fs_args_.end(), {"--symlink", std::string(target, static_cast<size_t>(n)), dir});
    } else if (S_ISDIR(st.st_mode)) {
      l->fs_args_.insert(l->fs_args_.end(), {"--ro-bind", dir, dir});
    }
  }
  CLASH_ASSIGN_OR_RETURN(l->seccomp_bpf_, BuildSeccompBpf());
  l->as_root_ = geteuid() == 0;
  l->uid_base_ = options.sandbox_uid_base;
  if (options.max_sandboxes < 1) return Status::InvalidArgument("max_sandboxes must be >= 1");
  l->slot_used_.assign(static_cast<size_t>(options.max_sandboxes), false);
  return l;
}

int SandboxLauncher::AcquireSlot() {
  std::lock_guard<std::mutex> lock(mu_);
  // Round-robin, so a uid is reused only long after its previous sandbox's processes are gone.
  for (size_t k = 0; k < slot_used_.size(); ++k) {
    size_t i = (next_slot_ + k) % slot_used_.size();
    if (!slot_used_[i]) {
      slot_used_[i] = true;
      next_slot_ = i + 1;
      return static_cast<int>(i);
    }
  }
  return -1;
}

void SandboxLauncher::ReleaseSlot(int slot) {
  std::lock_guard<std::mutex> lock(mu_);
  slot_used_[static_cast<size_t>(slot)] = false;
}

Result<std::unique_ptr<SandboxProcess>> SandboxLauncher::Spawn(const SpawnSpec& spec) {
  const JudgeLimits& lim = spec.limits;
  std::vector<std::string> args = {bwrap_, "--unshare-all", "--unshare-user", "--disable-userns",
                                   "--die-with-parent", "--as-pid-1", "--new-session", "--cap-drop", "ALL",
                                   "--uid", std::to_string(kSandboxUid), "--gid",
                                   std::to_string(kSandboxUid), "--hostname", "sandbox"};
  args.insert(args.end(), fs_args_.begin(), fs_args_.end());
  const std::string tmp_size = std::to_string(std::max<std::int64_t>(lim.file_bytes, 1 << 20));
  args.insert(args.end(), {"--ro-bind", init_, kInitPath, "--proc", "/proc", "--dev", "/dev", "--size", "1048576", "--tmpfs",
                           "/dev/shm", "--size", tmp_size, "--tmpfs", "/tmp", "--size", tmp_size,
                           "--tmpfs", "/work"});
  // fds: 0 stdin, 1 stdout, 2 stderr, 3 control, 4 usage, 5 seccomp, 6.. files.
  std::vector<UniqueFd> child_fds;
  int in_pair[2], ctl_pair[2], out_pipe[2], err_pipe[2], exec_err[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0) return Status::Internal("socketpair failed");
  UniqueFd in_parent(in_pair[0]), in_child(in_pair[1]);
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl_pair) != 0) return Status::Internal("socketpair failed");
  UniqueFd ctl_parent(ctl_pair[0]), ctl_child(ctl_pair[1]);
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Status::Internal("pipe failed");
  UniqueFd out_parent(out_pipe[0]), out_child(out_pipe[1]);
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return Status::Internal("pipe failed");
  UniqueFd err_parent(err_pipe[0]), err_child(err_pipe[1]);
  if (pipe2(exec_err, O_CLOEXEC) != 0) return Status::Internal("pipe failed");
  UniqueFd exec_err_r(exec_err[0]), exec_err_w(exec_err[1]);
  int usage_pipe[2];
  if (pipe2(usage_pipe, O_CLOEXEC) != 0) return Status::Internal("pipe failed");
  UniqueFd usage_parent(usage_pipe[0]), usage_child(usage_pipe[1]);
  CLASH_ASSIGN_OR_RETURN(UniqueFd seccomp_fd, MemFd(seccomp_bpf_));
  std::vector<UniqueFd> file_fds;
  for (size_t i = 0; i < spec.files.size(); ++i) {
    CLASH_ASSIGN_OR_RETURN(UniqueFd f, MemFd(spec.files[i].content));
    file_fds.push_back(std::move(f));
    args.insert(args.end(), {"--perms", spec.files[i].executable ? "0755" : "0644", "--file",
                             std::to_string(kFirstFileFd + static_cast<int>(i)), spec.files[i].path});
  }
  if (file_fds.size() > 20) return Status::InvalidArgument("too many sandbox files");
  args.insert(args.end(), {"--remount-ro", "/", "--remount-ro", "/dev", "--chdir", "/work",
                           "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME",
                           "/work", "--setenv", "LANG", "C.UTF-8", "--seccomp", "5", "--", kInitPath,
                           std::to_string(spec.nproc_inside)});
  args.insert(args.end(), spec.argv.begin(), spec.argv.end());

  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  static char path_env[] = "PATH=/usr/bin:/bin";
  char* envp[] = {path_env, nullptr};

  int fds[32];
  int nfds = 0;
  for (int fd : {in_child.get(), out_child.get(), err_child.get(), ctl_child.get(), usage_child.get(),
                 seccomp_fd.get()}) {
    fds[nfds++] = fd;
  }
  for (UniqueFd& f : file_fds) fds[nfds++] = f.get();

  auto secs = [](std::chrono::milliseconds ms) { return static_cast<rlim_t>((ms.count() + 999) / 1000); };
  Limit limits[8];
  int nlimits = 0;
  limits[nlimits++] = {RLIMIT_CPU, secs(lim.cpu_time), secs(lim.cpu_time) + 1};
  limits[nlimits++] = {RLIMIT_AS, static_cast<rlim_t>(lim.memory_bytes), static_cast<rlim_t>(lim.memory_bytes)};
  limits[nlimits++] = {RLIMIT_FSIZE, static_cast<rlim_t>(lim.file_bytes), static_cast<rlim_t>(lim.file_bytes)};
  limits[nlimits++] = {RLIMIT_NOFILE, static_cast<rlim_t>(lim.open_files), static_cast<rlim_t>(lim.open_files)};
  limits[nlimits++] = {RLIMIT_CORE, 0, 0};
  limits[nlimits++] = {RLIMIT_STACK, 64 << 20, 64 << 20};
  if (as_root_) {
    // bwrap's two processes count against the per-uid limit too.
    rlim_t n = static_cast<rlim_t>(lim.processes) + 4;
    limits[nlimits++] = {RLIMIT_NPROC, n, n};
  }

  int slot = AcquireSlot();
  if (slot < 0) return Status::Unavailable("judge: every sandbox slot is in use").WithRetryAfter(1);
  uid_t uid = uid_base_ + static_cast<uid_t>(slot);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    ReleaseSlot(slot);
    return Status::Internal(std::string("judge: fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ChildExec(fds, nfds, limits, nlimits, as_root_, uid, parent, bwrap_.c_str(), argv.data(), envp,
              exec_err_w.get());
  }
  std::unique_ptr<SandboxProcess> proc(new SandboxProcess(this, pid, slot));
  exec_err_w.Reset();
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(exec_err_r.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    proc->Reap();
    return Status::Internal(std::string("judge: starting bwrap failed: ") + std::strerror(child_errno));
  }
  proc->pidfd.Reset(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!proc->pidfd.valid()) {
    proc->Kill();
    return Status::Internal("judge: pidfd_open failed");
  }
  proc->stdin_fd = std::move(in_parent);
  proc->stdout_fd = std::move(out_parent);
  proc->stderr_fd = std::move(err_parent);
  proc->control_fd = std::move(ctl_parent);
  proc->usage_fd = std::move(usage_parent);
  return proc;
}

SandboxProcess::~SandboxProcess() {
  if (!reaped_) {
    Kill();
    Reap();
  }
}

void SandboxProcess::Kill() {
  if (!reaped_) ::kill(pid_, SIGKILL);
}

bool SandboxProcess::HasExited() const {
  if (reaped_) return true;
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;
  return info.si_pid == pid_;
}

ExitInfo SandboxProcess::Reap() {
  ExitInfo info;
  if (reaped_) return info;
  pid_t r;
  do {
    r = wait4(pid_, &info.wait_status, 0, &info.usage);
  } while (r < 0 && errno == EINTR);
  reaped_ = true;
  launcher_->ReleaseSlot(slot_);
  return info;
}

}  // namespace clash::internal
