// The fork server (issue 13): executions forked by one zygote are isolated from each other and
// from what ran before; a zygote that dies, stops or misbehaves costs a restart, never a verdict;
// zygotes are replaced after their run limit.
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "judge/sandbox_judge.h"
#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

using ::testing::HasSubstr;

struct HostProcess {
  pid_t pid = 0;
  pid_t ppid = 0;
  std::string comm;
};

// The host's live processes (zombies left out: they are gone, only not yet reaped).
std::vector<HostProcess> HostProcesses() {
  std::vector<HostProcess> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    char buf[512];
    const int fd = open((entry.path() / "stat").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;  // exited meanwhile
    const ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    const std::string stat(buf, static_cast<size_t>(n));
    const size_t open_paren = stat.find('('), close_paren = stat.rfind(')');
    if (open_paren == std::string::npos || close_paren == std::string::npos || close_paren + 2 >= stat.size()) continue;
    HostProcess p;
    p.pid = std::stoi(name);
    p.comm = stat.substr(open_paren + 1, close_paren - open_paren - 1);
    std::istringstream rest(stat.substr(close_paren + 2));
    char state = '?';
    rest >> state >> p.ppid;
    if (state != 'Z' && state != 'X') out.push_back(p);
  }
  return out;
}

// Processes below `root` (not `root` itself) whose name is `comm`.
std::vector<pid_t> Descendants(pid_t root, const std::string& comm) {
  std::vector<HostProcess> all = HostProcesses();
  std::map<pid_t, pid_t> parent;
  for (const HostProcess& p : all) parent[p.pid] = p.ppid;
  std::vector<pid_t> found;
  for (const HostProcess& p : all) {
    if (p.comm != comm) continue;
    for (pid_t up = parent[p.pid]; up > 1; up = parent.count(up) ? parent[up] : 0) {
      if (up == root) {
        found.push_back(p.pid);
        break;
      }
    }
  }
  return found;
}

std::vector<pid_t> ProcessesNamed(const std::string& comm) { return Descendants(getpid(), comm); }

std::unique_ptr<Judge> ForkServerJudge(SandboxJudgeOptions options = {}) {
  options.python_execution = PythonExecution::kForkServer;
  Result<std::unique_ptr<Judge>> judge = NewSandboxJudge(options);
  EXPECT_THAT(judge, IsOk());
  return judge.ok() ? std::move(judge).value() : nullptr;
}

internal::ForkServerStats StatsOf(Judge& judge) {
  return dynamic_cast<internal::SandboxJudge&>(judge).fork_server_stats();
}

JudgeResult RunOn(Judge& judge, const JudgeRequest& request) {
  Result<JudgeResult> r = judge.Run(request);
  EXPECT_THAT(r, IsOk());
  return r.ok() ? *r : JudgeResult{};
}

JudgeRequest Accepting() { return PythonSuite("def f():\n    return 7\n", "assert f() == 7\n"); }

// A submission that, once both it and its twin run, probes for the twin by every route a process
// has: /proc, signals to every pid, the twin's files in /tmp, /dev/shm and /work, its SysV shared
// memory and its abstract unix socket. The test drives both with SIGUSR1 (a barrier no timing can
// break): each names itself `<tag>-wait-<me>` when ready, probes when told, names itself
// `<tag>-done-<me>`, and stays alive until told again.
std::string Prober(const std::string& tag, char me, char twin) {
  std::ostringstream src;
  src << "import ctypes, os, signal, socket\n"
         "libc = ctypes.CDLL(None, use_errno=True)\n"
         "ME, TWIN, TAG = '" << me << "', '" << twin << "', '" << tag << "'\n"
         "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})\n"
         "for d in ('/tmp', '/dev/shm', '/work'):\n"
         "    open('%s/probe-%s' % (d, ME), 'w').write('x')\n"
         "assert libc.shmget(0x5eed0 + ord(ME), 4096, 0o1600) >= 0\n"
         "server = socket.socket(socket.AF_UNIX)\n"
         "server.bind('\\0clash-probe-' + ME)\n"
         "server.listen()\n"
         "libc.prctl(15, ('%s-wait-%s' % (TAG, ME)).encode())\n"
         "signal.sigwait({signal.SIGUSR1})\n"
         "seen = []\n"
         "pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n"
         "if pids != [1, 2]:\n"
         "    seen.append('pids %s' % pids)\n"
         "for pid in range(3, 1000):\n"
         "    try:\n"
         "        os.kill(pid, 0)\n"
         "        seen.append('pid %d' % pid)\n"
         "    except ProcessLookupError:\n"
         "        pass\n"
         "for d in ('/tmp', '/dev/shm', '/work'):\n"
         "    seen += [d + '/' + f for f in os.listdir(d) if f.endswith(TWIN)]\n"
         "if libc.shmget(0x5eed0 + ord(TWIN), 0, 0) != -1:\n"
         "    seen.append('shm')\n"
         "try:\n"
         "    socket.socket(socket.AF_UNIX).connect('\\0clash-probe-' + TWIN)\n"
         "    seen.append('socket')\n"
         "except OSError:\n"
         "    pass\n"
         "if libc.ptrace(16, 1, 0, 0) != -1:\n"
         "    seen.append('ptrace')\n"
         "libc.prctl(15, ('%s-done-%s' % (TAG, ME)).encode())\n"
         "signal.sigwait({signal.SIGUSR1})\n"
         "print(seen or 'alone')\n";
  return src.str();
}

pid_t WaitForProcess(const std::string& comm) {
  pid_t pid = 0;
  EXPECT_TRUE(WaitUntil([&] {
    std::vector<pid_t> found = ProcessesNamed(comm);
    pid = found.empty() ? 0 : found[0];
    return pid != 0;
  })) << "no process named " << comm;
  return pid;
}

TEST(JudgeForkServer, SubmissionsRunningAtTheSameTimeCannotSeeSignalTraceOrReadEachOther) {
  std::unique_ptr<Judge> judge = ForkServerJudge();
  ASSERT_NE(judge, nullptr);
  const std::string tag = "p" + std::to_string(getpid() % 100000);
  JudgeResult results[2];
  std::thread runs[2];
  for (int i = 0; i < 2; ++i) {
    JudgeRequest req = PythonCases(Prober(tag, "AB"[i], "BA"[i]), {{"", "", "alone"}});
    req.limits.wall_time = std::chrono::milliseconds(60'000);
    runs[i] = std::thread([&judge, &results, i, req] { results[i] = RunOn(*judge, req); });
  }
  // Both are alive and waiting: A probes while B exists, then B while A exists.
  const pid_t a = WaitForProcess(tag + "-wait-A");
  const pid_t b = WaitForProcess(tag + "-wait-B");
  for (auto [pid, me] : {std::pair{a, 'A'}, std::pair{b, 'B'}}) {
    if (pid == 0) continue;
    kill(pid, SIGUSR1);
    WaitForProcess(tag + "-done-" + me);
  }
  for (pid_t pid : {a, b}) {
    if (pid != 0) kill(pid, SIGUSR1);
  }
  for (std::thread& t : runs) t.join();
  for (const JudgeResult& r : results) {
    EXPECT_EQ(r.verdict, Verdict::kAccepted) << Explain(r);
  }
  // They ran side by side, each on a zygote of its own.
  EXPECT_GE(StatsOf(*judge).zygotes_started, 2);
}

TEST(JudgeForkServer, ASubmissionFindsNothingLeftByAnEarlierOne) {
  std::unique_ptr<Judge> judge = ForkServerJudge();
  ASSERT_NE(judge, nullptr);
  const std::string marker = "clash-leftover-" + std::to_string(getpid());
  JudgeResult first = RunOn(*judge, PythonCases(
      "import ctypes, os, time\n"
      "libc = ctypes.CDLL(None)\n"
      "for d in ('/tmp', '/dev/shm', '/work'):\n"
      "    open(d + '/left', 'w').write('secret')\n"
      "assert libc.shmget(0x5eed, 4096, 0o1600) >= 0\n"
      "os.environ['LEFT'] = 'over'\n"
      "if os.fork() == 0:\n"
      "    os.setsid()\n"
      "    if os.fork() == 0:\n"
      "        os.execv('/usr/bin/sleep', ['sleep', '1000', '" + marker + "'])\n"
      "    os._exit(0)\n"
      "print('left')\n",
      {{"", "", "left"}}));
  ASSERT_EQ(first.verdict, Verdict::kAccepted) << first.message << first.stderr_excerpt;
  const internal::ForkServerStats before = StatsOf(*judge);
  JudgeResult second = RunOn(*judge, PythonCases(
      "import ctypes, os\n"
      "libc = ctypes.CDLL(None)\n"
      "found = [d for d in ('/tmp', '/dev/shm', '/work') if os.listdir(d)]\n"
      "found += ['shm'] if libc.shmget(0x5eed, 0, 0) != -1 else []\n"
      "found += ['env'] if 'LEFT' in os.environ else []\n"
      "found += [p for p in os.listdir('/proc') if p.isdigit() and p not in ('1', '2')]\n"
      "print(found or 'clean')\n",
      {{"", "", "clean"}}));
  EXPECT_EQ(second.verdict, Verdict::kAccepted) << Explain(second);
  // The same zygote served both.
  const internal::ForkServerStats after = StatsOf(*judge);
  EXPECT_EQ(after.zygotes_started, before.zygotes_started);
  EXPECT_EQ(after.executions, before.executions + 1);
  EXPECT_TRUE(NoHostProcessWithMarker(marker));
}

TEST(JudgeForkServer, AZygoteKilledOrStoppedCostsARestartNotAVerdict) {
  SandboxJudgeOptions options;
  options.zygote_reply_timeout = std::chrono::milliseconds(2000);
  std::unique_ptr<Judge> judge = ForkServerJudge(options);
  ASSERT_NE(judge, nullptr);
  auto& sandbox_judge = dynamic_cast<internal::SandboxJudge&>(*judge);
  ASSERT_EQ(RunOn(*judge, Accepting()).verdict, Verdict::kAccepted);

  // Killed: the whole zygote sandbox, with the execution it had prepared (the run in hand sees it
  // die under it, or finds it dead).
  ASSERT_TRUE(WaitUntil([&] { return sandbox_judge.idle_zygote_pids().size() == 1; }));
  std::vector<pid_t> idle = sandbox_judge.idle_zygote_pids();
  kill(idle[0], SIGKILL);
  JudgeResult after_kill = RunOn(*judge, Accepting());
  EXPECT_EQ(after_kill.verdict, Verdict::kAccepted) << after_kill.message;

  // Stopped: its prepared execution still serves one run; then it does not answer and is replaced.
  ASSERT_TRUE(WaitUntil([&] { return sandbox_judge.idle_zygote_pids().size() == 1; }));
  idle = sandbox_judge.idle_zygote_pids();
  // The zygote itself, not a child it is cloning this moment (named clash-zygote until it renames).
  std::vector<pid_t> zygote;
  for (pid_t p : Descendants(idle[0], "clash-zygote")) {
    bool parent_is_zygote = false;
    for (const HostProcess& h : HostProcesses()) {
      if (h.pid == p) {
        for (const HostProcess& up : HostProcesses()) parent_is_zygote |= up.pid == h.ppid && up.comm == "clash-zygote";
      }
    }
    if (!parent_is_zygote) zygote.push_back(p);
  }
  ASSERT_EQ(zygote.size(), 1u);
  kill(zygote[0], SIGSTOP);
  for (int i = 0; i < 3; ++i) {
    JudgeResult r = RunOn(*judge, Accepting());
    EXPECT_EQ(r.verdict, Verdict::kAccepted) << i << ": " << r.message;
  }

  // Its prepared execution killed: the launch fails before any player code ran, and is retried.
  ASSERT_TRUE(WaitUntil([&] { return sandbox_judge.idle_zygote_pids().size() == 1; }));
  idle = sandbox_judge.idle_zygote_pids();
  ASSERT_TRUE(WaitUntil([&] { return !Descendants(idle[0], "clash-init").empty(); }));
  for (pid_t p : Descendants(idle[0], "clash-init")) kill(p, SIGKILL);
  ASSERT_TRUE(WaitUntil([&] {
    return Descendants(idle[0], "clash-init").empty() && Descendants(idle[0], "clash-player").empty();
  }));
  JudgeResult after_prepared = RunOn(*judge, Accepting());
  EXPECT_EQ(after_prepared.verdict, Verdict::kAccepted) << after_prepared.message;

  const internal::ForkServerStats stats = StatsOf(*judge);
  EXPECT_GE(stats.zygotes_replaced, 3);
  EXPECT_GE(stats.zygotes_started, 4);
}

TEST(JudgeForkServer, ZygotesAreReplacedAfterTheirRunLimit) {
  SandboxJudgeOptions options;
  options.zygote_max_runs = 3;
  std::unique_ptr<Judge> judge = ForkServerJudge(options);
  ASSERT_NE(judge, nullptr);
  for (int i = 0; i < 7; ++i) {
    JudgeResult r = RunOn(*judge, PythonSuite("def f(x):\n    return x + 1\n",
                                              "assert f(" + std::to_string(i) + ") == " + std::to_string(i + 1) + "\n"));
    EXPECT_EQ(r.verdict, Verdict::kAccepted) << i << ": " << r.message;
  }
  // 8 executions (the self-test and 7 runs), 3 per zygote: zygotes 2 and 3 replaced 1 and 2.
  const internal::ForkServerStats stats = StatsOf(*judge);
  EXPECT_EQ(stats.executions, 8);
  EXPECT_GE(stats.zygotes_replaced, 2);
  EXPECT_GE(stats.zygotes_started, 3);
}

TEST(JudgeForkServer, RefusesToStartWithoutItsHelper) {
  SandboxJudgeOptions options;
  options.python_execution = PythonExecution::kForkServer;
  options.zygote_helper_path = "/nonexistent/libclash-zygote.so";
  Result<std::unique_ptr<Judge>> judge = NewSandboxJudge(options);
  EXPECT_THAT(judge, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(judge.status().message(), HasSubstr("libclash-zygote.so"));
}

}  // namespace
}  // namespace clash::testing
