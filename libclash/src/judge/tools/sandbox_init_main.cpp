// clash-sandbox-init: the first program bubblewrap starts inside every judge sandbox.
//
//   /sandbox-init NPROC COMMAND [ARGS...]
//
// Runs as pid 1 of the sandbox's pid namespace (bwrap --as-pid-1), so the player's code can neither
// kill nor signal it. Makes itself non-dumpable and a child subreaper, starts COMMAND with fds 0-3 and RLIMIT_NPROC
// lowered to NPROC (0: unchanged), reaps it and every orphaned descendant, then writes one line to
// fd 4 (a pipe only it holds): "<wait status> <cpu microseconds> <max rss KiB>\n". bwrap's own init
// does not pass its children's resource usage up, so this is how the judge measures CPU and memory.
// The player's code cannot forge the line: fd 4 is closed before COMMAND starts and, as the
// process is non-dumpable, /proc/<pid>/fd of this process is closed to it.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

int main(int argc, char** argv) {
  if (argc < 3) {
    static const char kUsage[] = "usage: sandbox-init NPROC COMMAND [ARGS...]\n";
    (void)!write(2, kUsage, sizeof kUsage - 1);
    return 125;
  }
  prctl(PR_SET_DUMPABLE, 0);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  const long nproc = strtol(argv[1], nullptr, 10);
  pid_t child = fork();
  if (child < 0) return 125;
  if (child == 0) {
    syscall(SYS_close_range, 4u, ~0u, 0u);
    prctl(PR_SET_DUMPABLE, 1);
    if (nproc > 0) {
      struct rlimit rl = {static_cast<rlim_t>(nproc), static_cast<rlim_t>(nproc)};
      setrlimit(RLIMIT_NPROC, &rl);
    }
    execv(argv[2], argv + 2);
    static const char kExec[] = "sandbox-init: cannot execute the command\n";
    (void)!write(2, kExec, sizeof kExec - 1);
    _exit(126);
  }
  // Hold no end of the player's streams: the judge sees EOF when the player's processes exit.
  for (int fd = 0; fd <= 3; ++fd) close(fd);
  int status = 0;
  for (;;) {
    int st = 0;
    pid_t p = waitpid(-1, &st, 0);
    if (p < 0 && errno == EINTR) continue;
    if (p < 0) break;
    if (p == child) {
      status = st;
      break;
    }
  }
  // Orphans still running are killed with the pid namespace when we exit; reap what has exited.
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  struct rusage ru {};
  getrusage(RUSAGE_CHILDREN, &ru);
  long long cpu_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec +
                     ru.ru_stime.tv_usec;
  char line[96];
  int n = snprintf(line, sizeof line, "%d %lld %ld\n", status, cpu_us, ru.ru_maxrss);
  (void)!write(4, line, static_cast<size_t>(n));
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
}
