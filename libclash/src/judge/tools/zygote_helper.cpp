// libclash-zygote.so: the fork server's loop and per-execution sandbox setup, in C, loaded into
// the zygote's Python with ctypes.PyDLL (see fork_server.h for the protocol).
//
//   int clash_zygote_serve(int ctl_fd, const void* bpf, size_t bpf_len);
//
// Called once by the zygote after its imports. In the zygote it never returns (but -1 when the
// judge closes the channel or setup fails): it forks a prepared execution per "F" request. It
// returns 0 only in an execution's player process, with everything in place: fresh namespaces,
// /proc, tmpfs, stdio and fd 3 (the job channel) from the judge, a new session, no capabilities,
// no_new_privs and the player seccomp filter. The caller then runs the harness on fd 3.
//
// Doing this in C keeps the Python heap untouched between forks: the zygote and the short-lived
// "prepared" process never run Python after the first call, so neither copies pages the player's
// interpreter shares with them.
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "judge/channel.h"

namespace {

using clash::internal::kMaxPassedFds;

bool Send(int sock, const char* msg, const int* fds, int nfds) {
  return clash::internal::SendFds(sock, msg, strlen(msg), fds, nfds);
}

// Receives one message into `buf` (NUL-terminated) and its descriptors; returns their count, or
// -1 at EOF or on error.
int Receive(int sock, char* buf, size_t size, int* fds) {
  int count = 0;
  const ssize_t n = clash::internal::ReceiveFds(sock, buf, size - 1, fds, kMaxPassedFds, &count);
  if (n <= 0) {
    for (int i = 0; i < count; ++i) close(fds[i]);
    return -1;
  }
  buf[n] = '\0';
  return count;
}

bool WriteFile(const char* path, const char* text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const ssize_t len = static_cast<ssize_t>(strlen(text));
  const bool ok = write(fd, text, static_cast<size_t>(len)) == len;
  close(fd);
  return ok;
}

bool Tmpfs(const char* path, long long size, unsigned long flags) {
  char options[64];
  snprintf(options, sizeof options, "size=%lld,mode=0755", size);
  return mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | flags, options) == 0;
}

// Every capability but those in `keep` (capabilities 0-31), from every set.
bool DropCaps(unsigned keep) {
  for (int cap = 0; cap < 64; ++cap) {
    if (cap < 32 && (keep >> cap & 1u) != 0) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno == EINVAL) break;  // past the last one
  }
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  struct {
    unsigned version;
    int pid;
  } header = {0x20080522, 0};  // _LINUX_CAPABILITY_VERSION_3
  unsigned data[6] = {keep, keep, 0, 0, 0, 0};
  return syscall(SYS_capset, &header, data) == 0;
}

[[noreturn]] void Fail(int sock, const char* what) {
  char msg[160];
  snprintf(msg, sizeof msg, "E%s: %s", what, strerror(errno));
  Send(sock, msg, nullptr, 0);
  _exit(1);
}

// The player's process, pid 2 of the execution's namespaces (a child of its init). Returns to
// Python with the job's channels in place; _exits if the judge drops the prepared execution.
void Player(int sock, const sock_filter* bpf, size_t bpf_len) {
  if (!Send(sock, "S", nullptr, 0)) _exit(0);  // standing by for the job
  char msg[64];
  int fds[kMaxPassedFds];
  const int n = Receive(sock, msg, sizeof msg, fds);
  if (n != 4 || msg[0] != 'J') _exit(0);  // dropped (the judge closed the channel) or garbage
  const long long size = atoll(msg + 1) < (1 << 20) ? (1 << 20) : atoll(msg + 1);
  if (!Tmpfs("/work", size, MS_REMOUNT) || !Tmpfs("/tmp", size, MS_REMOUNT)) _exit(1);
  setsid();
  int high[4];
  for (int i = 0; i < 4; ++i) high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 64);
  for (int i = 0; i < 4; ++i) {
    if (high[i] < 0 || dup2(high[i], i) != i) _exit(1);
  }
  syscall(SYS_close_range, 4u, ~0u, 0u);
  if (chdir("/work") != 0) _exit(1);
  struct rlimit core = {0, 0}, stack = {64 << 20, 64 << 20};
  setrlimit(RLIMIT_CORE, &core);
  setrlimit(RLIMIT_STACK, &stack);
  struct sock_fprog prog = {static_cast<unsigned short>(bpf_len / sizeof(sock_filter)), const_cast<sock_filter*>(bpf)};
  if (!DropCaps(0) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    _exit(1);  // fd 3 is the job channel now: the judge sees no harness start and never accepts
  }
}

// pid 1 of the execution: not dumpable, every signal at its default (the kernel then drops the
// namespace's own signals to it), reaps every process of the namespace, and when the player (pid 2)
// has exited reports its exact wait status and the CPU and peak RSS of all it reaped on `usage`,
// which only it holds: "<wait status> <cpu microseconds> <max rss KiB>\n". Its exit ends the
// namespace (the kernel kills what is left).
[[noreturn]] void Init(int usage) {
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  int status = 0;
  for (;;) {
    int st = 0;
    const pid_t p = waitpid(-1, &st, 0);
    if (p == 2) {
      status = st;
      break;
    }
    if (p < 0 && errno != EINTR) _exit(125);  // no player: nothing to report
  }
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  struct rusage ru {};
  getrusage(RUSAGE_CHILDREN, &ru);
  const long long cpu_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec +
                           ru.ru_stime.tv_usec;
  char line[96];
  const int n = snprintf(line, sizeof line, "%d %lld %ld\n", status, cpu_us, ru.ru_maxrss);
  (void)!write(usage, line, static_cast<size_t>(n));
  _exit(0);
}

// The prepared execution, pid 1 of fresh user (uid 65534), mount, pid, IPC, network, UTS and
// cgroup namespaces: its own tmpfs and /proc; forks the player, reports, then serves as init.
// Returns only in the player.
void Prepare(int sock, const sock_filter* bpf, size_t bpf_len, unsigned uid, unsigned gid) {
  prctl(PR_SET_NAME, "clash-init", 0, 0, 0);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &dfl, nullptr);  // the player inherits these too
  char map[64];
  if (!WriteFile("/proc/self/setgroups", "deny")) Fail(sock, "setgroups");
  snprintf(map, sizeof map, "65534 %u 1\n", uid);
  if (!WriteFile("/proc/self/uid_map", map)) Fail(sock, "uid_map");
  snprintf(map, sizeof map, "65534 %u 1\n", gid);
  if (!WriteFile("/proc/self/gid_map", map)) Fail(sock, "gid_map");
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) Fail(sock, "private mounts");
  if (sethostname("sandbox", 7) != 0) Fail(sock, "sethostname");
  if (!Tmpfs("/work", 16 << 20, 0) || !Tmpfs("/tmp", 16 << 20, 0) || !Tmpfs("/dev/shm", 1 << 20, 0)) {
    Fail(sock, "tmpfs");
  }
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) Fail(sock, "mount /proc");
  int usage[2];
  if (pipe2(usage, O_CLOEXEC) != 0) Fail(sock, "pipe");
  const pid_t player = fork();
  if (player == 0) {
    close(usage[0]);
    close(usage[1]);
    prctl(PR_SET_NAME, "clash-player", 0, 0, 0);
    Player(sock, bpf, bpf_len);
    return;
  }
  if (player < 0) Fail(sock, "forking the player");
  const int self = static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0));
  if (self < 0) Fail(sock, "pidfd_open");
  const int ready[2] = {self, usage[0]};
  if (!Send(sock, "R", ready, 2)) _exit(1);
  close(sock);
  close(usage[0]);
  Init(usage[1]);
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int clash_zygote_serve(int ctl, const void* bpf, size_t bpf_len) {
  // Set-up: /proc must be fully visible for the executions to mount their own, so the zygote
  // removes the covers over /proc/irq and /proc/bus (CAP_SYS_ADMIN of its own user namespace),
  // then keeps only CAP_SETFCAP: a user namespace may map its creator's uid 0 only if the creator
  // held it (the kernel's verify_root_map). Executions get full capabilities in namespaces of
  // their own, and the player drops them all.
  umount2("/proc/irq", MNT_DETACH);
  umount2("/proc/bus", MNT_DETACH);
  if (!DropCaps(1u << 31)) return -1;
  prctl(PR_SET_NAME, "clash-zygote", 0, 0, 0);
  const auto* filter = static_cast<const sock_filter*>(bpf);
  for (;;) {
    char msg[16];
    int fds[kMaxPassedFds];
    const int n = Receive(ctl, msg, sizeof msg, fds);
    for (int i = 0; i < n; ++i) close(fds[i]);
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    if (n < 0 || strcmp(msg, "F") != 0) return -1;
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) return -1;
    // A fork straight into fresh namespaces (no glibc fork: the child runs only the C code above
    // until it forks the player with glibc's fork, and then execs).
    const unsigned uid = getuid(), gid = getgid();
    const pid_t pid = static_cast<pid_t>(syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
                                                                CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWCGROUP | SIGCHLD,
                                                 nullptr, nullptr, nullptr, nullptr));
    if (pid == 0) {
      close(ctl);
      close(pair[0]);
      Prepare(pair[1], filter, bpf_len, uid, gid);
      return 0;  // only the player gets here
    }
    char reply[32];
    snprintf(reply, sizeof reply, "P%d", pid);
    const bool sent = pid > 0 && Send(ctl, reply, pair, 1);
    close(pair[0]);
    close(pair[1]);
    if (!sent) return -1;
  }
}
