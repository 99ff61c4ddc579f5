#include "judge/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
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

#include "judge/channel.h"
#include "judge/seccomp_filter.h"

namespace clash::internal {
namespace {

constexpr int kSandboxUid = 65534;
constexpr int kUidRangeSize = 1024;  // host uids per judge process (root), see LeaseUidRange
constexpr int kFirstFileFd = 6;  // 0-2 stdio, 3 control, 4 usage, 5 seccomp
constexpr const char* kInitPath = "/sandbox-init";

// A helper's default path: the build tree's copy while it exists, else the installed one.
std::string BuiltOrInstalled(const char* built, const char* installed, int mode) {
  return access(built, mode) == 0 ? built : installed;
}

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
    l->init_ = env != nullptr && *env != '\0' ? env : BuiltOrInstalled(CLASH_SANDBOX_INIT_PATH,
                                                                       CLASH_SANDBOX_INIT_INSTALLED_PATH, X_OK);
  }
  if (access(l->init_.c_str(), X_OK) != 0) {
    return Status::FailedPrecondition("judge sandbox unavailable: clash-sandbox-init not executable at " +
                                      l->init_ + " (set SandboxJudgeOptions::sandbox_init_path or "
                                      "CLASH_SANDBOX_INIT)");
  }
  l->zygote_helper_ = options.zygote_helper_path;
  if (l->zygote_helper_.empty()) {
    const char* env = std::getenv("CLASH_ZYGOTE_HELPER");
    l->zygote_helper_ = env != nullptr && *env != '\0' ? env : BuiltOrInstalled(CLASH_ZYGOTE_HELPER_PATH,
                                                                                CLASH_ZYGOTE_HELPER_INSTALLED_PATH, R_OK);
  }
  if (access(l->zygote_helper_.c_str(), R_OK) != 0) l->zygote_helper_.clear();
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
  CLASH_ASSIGN_OR_RETURN(l->seccomp_bpf_, BuildSeccompBpf(SeccompProfile::kPlayer));
  CLASH_ASSIGN_OR_RETURN(l->zygote_seccomp_bpf_, BuildSeccompBpf(SeccompProfile::kZygote));
  l->as_root_ = geteuid() == 0;
  if (options.max_sandboxes < 1) return Status::InvalidArgument("max_sandboxes must be >= 1");
  l->uid_base_ = options.sandbox_uid_base;
  if (l->as_root_) CLASH_RETURN_IF_ERROR(l->LeaseUidRange(options));
  l->slot_used_.assign(static_cast<size_t>(options.max_sandboxes), false);
  return l;
}

Status SandboxLauncher::LeaseUidRange(const SandboxJudgeOptions& options) {
  // Ranges have one size for every process (whatever its max_sandboxes), so two leases of the same
  // base never overlap.
  const std::uint64_t span = kUidRangeSize;
  if (options.max_sandboxes > kUidRangeSize) {
    return Status::InvalidArgument("max_sandboxes must be at most " + std::to_string(kUidRangeSize) + " as root");
  }
  if (options.uid_ranges < 1 ||
      options.sandbox_uid_base + span * static_cast<std::uint64_t>(options.uid_ranges) > 0xFFFF'FFFEull) {
    return Status::InvalidArgument("sandbox uids: sandbox_uid_base + uid_ranges * 1024 must stay below 2^32 - 1");
  }
  if (mkdir(options.uid_lease_dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Status::FailedPrecondition("judge sandbox unavailable: cannot create " + options.uid_lease_dir + ": " +
                                      std::strerror(errno));
  }
  for (int k = 0; k < options.uid_ranges; ++k) {
    const std::uint32_t first = options.sandbox_uid_base + static_cast<std::uint32_t>(span * static_cast<std::uint64_t>(k));
    const std::string path = options.uid_lease_dir + "/uids-" + std::to_string(first) + "-" + std::to_string(span) + ".lock";
    UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid()) {
      return Status::FailedPrecondition("judge sandbox unavailable: cannot open " + path + ": " + std::strerror(errno));
    }
    // Held until this process exits (or the launcher is destroyed): a crashed judge frees its range.
    if (flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
      uid_lease_ = std::move(fd);
      uid_base_ = first;
      return Status::Ok();
    }
  }
  return Status::FailedPrecondition("judge sandbox unavailable: every sandbox uid range in " + options.uid_lease_dir +
                                    " is held by another judge process (raise uid_ranges)");
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
  // A zygote is uid 0 of its own user namespace with CAP_SYS_ADMIN there, and its children create
  // user namespaces of their own (so no --disable-userns); every other sandbox is uid 65534
  // without capabilities and cannot create namespaces at all.
  const std::string inside_uid = std::to_string(spec.zygote ? 0 : kSandboxUid);
  std::vector<std::string> args = {bwrap_, "--unshare-all", "--unshare-user", "--die-with-parent", "--as-pid-1",
                                   "--new-session", "--cap-drop", "ALL", "--uid", inside_uid, "--gid", inside_uid,
                                   "--hostname", "sandbox"};
  if (spec.zygote) {
    if (zygote_helper_.empty()) {
      return Status::FailedPrecondition("judge: libclash-zygote.so not found (set SandboxJudgeOptions::"
                                        "zygote_helper_path or CLASH_ZYGOTE_HELPER)");
    }
    args.insert(args.end(), {"--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETFCAP", "--ro-bind",
                             zygote_helper_, "/clash-zygote.so"});
  } else {
    args.emplace_back("--disable-userns");
  }
  args.insert(args.end(), fs_args_.begin(), fs_args_.end());
  const std::string tmp_size = std::to_string(std::max<std::int64_t>(lim.file_bytes, 1 << 20));
  args.insert(args.end(), {"--ro-bind", init_, kInitPath, "--proc", "/proc", "--dev", "/dev", "--size", "1048576", "--tmpfs",
                           "/dev/shm", "--size", tmp_size, "--tmpfs", "/tmp", "--size", tmp_size,
                           "--tmpfs", "/work"});
  // fds: 0 stdin, 1 stdout, 2 stderr, 3 control, 4 usage, 5 seccomp, 6.. files.
  FdPair in, ctl, out, err, exec_err, usage;
  if (!MakeSocketPair(SOCK_STREAM, in) || !MakeSocketPair(spec.zygote ? SOCK_SEQPACKET : SOCK_STREAM, ctl) ||
      !MakePipe(out) || !MakePipe(err) || !MakePipe(exec_err) || !MakePipe(usage)) {
    return Status::Internal("judge: cannot create a sandbox's channels");
  }
  UniqueFd& exec_err_r = exec_err.parent;
  UniqueFd& exec_err_w = exec_err.child;
  CLASH_ASSIGN_OR_RETURN(UniqueFd seccomp_fd, MemFd(spec.zygote ? zygote_seccomp_bpf_ : seccomp_bpf_));
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
  for (int fd : {in.child.get(), out.child.get(), err.child.get(), ctl.child.get(), usage.child.get(),
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
  proc->stdin_fd = std::move(in.parent);
  proc->stdout_fd = std::move(out.parent);
  proc->stderr_fd = std::move(err.parent);
  proc->control_fd = std::move(ctl.parent);
  proc->usage_fd = std::move(usage.parent);
  return proc;
}

std::unique_ptr<SandboxProcess> SandboxProcess::Adopt(UniqueFd pidfd) {
  std::unique_ptr<SandboxProcess> proc(new SandboxProcess(nullptr, -1, -1));
  proc->pidfd = std::move(pidfd);
  return proc;
}

SandboxProcess::~SandboxProcess() {
  if (!reaped_) {
    Kill();
    Reap();
  }
}

void SandboxProcess::Kill() {
  if (reaped_) return;
  if (launcher_ == nullptr) {
    syscall(SYS_pidfd_send_signal, pidfd.get(), SIGKILL, nullptr, 0u);
  } else {
    ::kill(pid_, SIGKILL);
  }
}

bool SandboxProcess::HasExited() const {
  if (reaped_) return true;
  if (launcher_ == nullptr) {
    struct pollfd p = {pidfd.get(), POLLIN, 0};
    return poll(&p, 1, 0) != 0;
  }
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;
  return info.si_pid == pid_;
}

ExitInfo SandboxProcess::Reap() {
  ExitInfo info;
  if (reaped_) return info;
  if (launcher_ == nullptr) {
    // Not our child: wait for the exit the pidfd reports (the process is reaped by its parent).
    struct pollfd p = {pidfd.get(), POLLIN, 0};
    while (poll(&p, 1, -1) < 0 && errno == EINTR) {
    }
    info.wait_status = SIGKILL;  // "killed": the exact status, if any, came on the usage channel
    reaped_ = true;
    return info;
  }
  pid_t r;
  do {
    r = wait4(pid_, &info.wait_status, 0, &info.usage);
  } while (r < 0 && errno == EINTR);
  reaped_ = true;
  launcher_->ReleaseSlot(slot_);
  return info;
}

}  // namespace clash::internal
