// Judge processes on one machine stay apart (issue 13 item 4): each leases a sandbox uid range of
// its own, so a process bomb in one process's sandbox cannot use up the per-uid process limit an
// innocent submission of another process needs.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

using JudgeUidRanges = BothPythonPaths;

int CountProcessesNamed(const std::string& comm) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "comm");
    std::string name;
    if (in && std::getline(in, name) && name == comm) ++n;
  }
  return n;
}

TEST_P(JudgeUidRanges, AProcessBombInAnotherJudgeProcessChangesNoVerdictHere) {
  // Both judge processes use one sandbox at a time (max_sandboxes 1), so as root each runs all its
  // sandboxes under the one uid of its range: were the ranges shared, the bomb's uid would be ours.
  SandboxJudgeOptions options;
  options.python_execution = GetParam();
  options.max_sandboxes = 1;
  options.warm_python_sandboxes = 0;
  Result<std::unique_ptr<Judge>> created = NewSandboxJudge(options);  // started before the other one
  ASSERT_THAT(created, IsOk());
  Judge& judge = **created;

  // The other judge process: a bomb that fills every process its sandbox allows (256) and stays.
  const std::string bomb_name = "bomb-" + std::to_string(getpid() % 100000);
  TempDir dir;
  const std::string bomb = (dir.path() / "bomb.py").string();
  std::ofstream(bomb) << "import ctypes, os, time\n"
                         "ctypes.CDLL(None).prctl(15, b'" << bomb_name << "')\n"
                         "while True:\n"
                         "    try:\n"
                         "        os.fork()\n"
                         "    except OSError:\n"
                         "        time.sleep(0.05)\n";
  std::vector<std::string> args = {CLASH_JUDGE_CLI_PATH, "run", "--source", bomb, "--processes", "256",
                                   "--wall-ms", "60000", "--cpu-ms", "20000", "--max-sandboxes", "1"};
  if (GetParam() == PythonExecution::kColdSandbox) args.insert(args.end(), {"--cold", "--warm", "0"});
  const pid_t other = fork();
  ASSERT_GE(other, 0);
  if (other == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  EXPECT_TRUE(WaitUntil([&] { return CountProcessesNamed(bomb_name) >= 200; }))
      << "the bomb did not grow: " << CountProcessesNamed(bomb_name) << " processes";

  // Meanwhile here: a submission that needs 40 processes at once.
  JudgeRequest many = PythonCases(
      "import os, time\n"
      "kids = []\n"
      "for _ in range(40):\n"
      "    pid = os.fork()\n"
      "    if pid == 0:\n"
      "        time.sleep(0.2)\n"
      "        os._exit(0)\n"
      "    kids.append(pid)\n"
      "for pid in kids:\n"
      "    os.waitpid(pid, 0)\n"
      "print(len(kids))\n",
      {{"", "", "40"}});
  many.limits.processes = 64;
  Result<JudgeResult> r = judge.Run(many);
  kill(other, SIGKILL);
  waitpid(other, nullptr, 0);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->verdict, Verdict::kAccepted) << r->message << r->stderr_excerpt;
  EXPECT_TRUE(WaitUntil([&] { return CountProcessesNamed(bomb_name) == 0; }));
}

INSTANTIATE_TEST_SUITE_P(Paths, JudgeUidRanges,
                         ::testing::Values(PythonExecution::kForkServer, PythonExecution::kColdSandbox), PythonPathName);

TEST(JudgeUidRanges, EveryJudgeProcessLeasesARangeOfItsOwn) {
  TempDir leases;
  SandboxJudgeOptions options;
  options.uid_lease_dir = leases.path().string();
  options.uid_ranges = 2;
  options.python_execution = PythonExecution::kColdSandbox;
  options.warm_python_sandboxes = 0;
  auto first = NewSandboxJudge(options);
  ASSERT_THAT(first, IsOk());
  auto second = NewSandboxJudge(options);  // a second launcher in this process takes the next range
  ASSERT_THAT(second, IsOk());
  auto third = NewSandboxJudge(options);
  if (geteuid() != 0) {  // as non-root sandboxes run as the caller and nothing is leased
    EXPECT_THAT(third, IsOk());
    return;
  }
  EXPECT_THAT(third, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(third.status().message(), ::testing::HasSubstr("every sandbox uid range"));
  first->reset();  // its range is free again
  EXPECT_THAT(NewSandboxJudge(options), IsOk());
}

}  // namespace
}  // namespace clash::testing
