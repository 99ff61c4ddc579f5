// Python verdicts: suites of asserts and stdin/expected-output cases.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

constexpr const char* kAdd = "def add(a, b):\n    return a + b\n";
constexpr const char* kFiveAsserts =
    "assert add(1, 2) == 3\nassert add(2, 2) == 4\nassert add(0, 0) == 0\n"
    "assert add(-1, 1) == 0\nassert add(10, 5) == 15\n";

TEST(JudgePython, AcceptsPassingSuite) {
  JudgeResult r = MustRun(PythonSuite(kAdd, kFiveAsserts));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message << r.stderr_excerpt;
  EXPECT_EQ(r.tests_passed, 5);
  EXPECT_EQ(r.tests_total, 5);
  EXPECT_GT(r.memory_bytes, 1 << 20);
  EXPECT_LT(r.cpu_time.count(), 1000);
}

TEST(JudgePython, FirstFailingAssertIsTheWrongAnswer) {
  JudgeResult r = MustRun(PythonSuite("def add(a, b):\n    return a * b\n",
                                      "x = 1\nassert add(2, 2) == 4\nassert add(1, 2) == 3, 'one plus two'\n"
                                      "assert add(3, 3) == 6\n"));
  ASSERT_EQ(r.verdict, Verdict::kWrongAnswer) << r.message << r.stderr_excerpt;
  ASSERT_TRUE(r.first_failure.has_value());
  EXPECT_EQ(r.first_failure->index, 1);
  EXPECT_EQ(r.first_failure->line, 3);
  EXPECT_EQ(r.first_failure->name, "assert add(1, 2) == 3, 'one plus two'");
  EXPECT_EQ(r.first_failure->message, "one plus two");
  EXPECT_EQ(r.tests_passed, 1);
  EXPECT_EQ(r.tests_total, 3);
}

TEST(JudgePython, ExceptionInPlayerCodeIsRuntimeError) {
  JudgeResult r = MustRun(PythonSuite("def add(a, b):\n    return a + c\n", "assert add(1, 2) == 3\n"));
  EXPECT_EQ(r.verdict, Verdict::kRuntimeError);
  EXPECT_NE(r.message.find("NameError"), std::string::npos) << r.message;
  EXPECT_NE(r.stderr_excerpt.find("main.py\", line 2"), std::string::npos) << r.stderr_excerpt;
}

TEST(JudgePython, SyntaxErrorIsCompileError) {
  JudgeResult r = MustRun(PythonSuite("def add(a, b) return a + b\n", "assert add(1, 2) == 3\n"));
  EXPECT_EQ(r.verdict, Verdict::kCompileError);
  EXPECT_NE(r.compile_output.find("SyntaxError"), std::string::npos) << r.compile_output;
}

TEST(JudgePython, ExitBeforeTestsIsNeverAccepted) {
  for (const char* exit_call : {"import sys\nsys.exit(0)\n", "import os\nos._exit(0)\n"}) {
    JudgeResult r = MustRun(PythonSuite(std::string(kAdd) + exit_call, kFiveAsserts));
    EXPECT_EQ(r.verdict, Verdict::kRuntimeError) << exit_call << r.message;
  }
}

TEST(JudgePython, ForgedResultLineIsIgnored) {
  // The player's code writes a plausible result line on the control channel, then exits.
  JudgeResult r = MustRun(PythonSuite(
      "import os\nos.write(3, b'{\"nonce\":\"x\",\"event\":\"result\",\"status\":\"ok\"}\\n')\nos._exit(0)\n",
      "assert False\n"));
  EXPECT_EQ(r.verdict, Verdict::kRuntimeError) << r.message;
}

TEST(JudgePython, StdinCasesAcceptedAndWrongAnswer) {
  const char* src = "a, b = map(int, input().split())\nprint(a + b)\n";
  JudgeResult ok = MustRun(PythonCases(src, {{"", "1 2\n", "3\n"}, {"big", "100 200", "300"}}));
  EXPECT_EQ(ok.verdict, Verdict::kAccepted) << ok.message << ok.stderr_excerpt;
  EXPECT_EQ(ok.tests_passed, 2);

  JudgeResult wa = MustRun(PythonCases(src, {{"", "1 2\n", "3\n"}, {"neg", "-1 -1", "-3"}, {"", "0 0", "0"}}));
  ASSERT_EQ(wa.verdict, Verdict::kWrongAnswer);
  ASSERT_TRUE(wa.first_failure.has_value());
  EXPECT_EQ(wa.first_failure->index, 1);
  EXPECT_EQ(wa.first_failure->name, "neg");
  EXPECT_EQ(wa.first_failure->actual_output, "-2\n");
  EXPECT_EQ(wa.first_failure->message, "expected -3, got -2");
  EXPECT_EQ(wa.tests_passed, 1);
}

TEST(JudgePython, InfiniteLoopIsTimeLimit) {
  JudgeRequest req = PythonSuite("while True:\n    pass\n", "");
  req.limits.cpu_time = std::chrono::milliseconds(1000);
  req.limits.wall_time = std::chrono::milliseconds(20000);  // so the CPU limit, not the wall, ends it
  JudgeResult r = MustRun(req);
  EXPECT_EQ(r.verdict, Verdict::kTimeLimit) << r.message;
  EXPECT_NE(r.message.find("cpu"), std::string::npos) << r.message;
}

TEST(JudgePython, SleepingForeverIsWallTimeLimit) {
  JudgeRequest req = PythonSuite("import time\ntime.sleep(1000)\n", "");
  req.limits.wall_time = std::chrono::milliseconds(1000);
  JudgeResult r = MustRun(req);
  EXPECT_EQ(r.verdict, Verdict::kTimeLimit) << r.message;
  EXPECT_NE(r.message.find("wall"), std::string::npos) << r.message;
  EXPECT_LT(r.wall_time.count(), 3000);
}

TEST(JudgePython, MemoryBombIsMemoryLimit) {
  JudgeRequest req = PythonSuite("x = []\nwhile True:\n    x.append(bytearray(10 ** 7))\n", "");
  req.limits.memory_bytes = 128LL << 20;
  JudgeResult r = MustRun(req);
  EXPECT_EQ(r.verdict, Verdict::kMemoryLimit) << r.message << r.stderr_excerpt;
}

TEST(JudgePython, HugeOutputIsOutputLimit) {
  JudgeRequest req = PythonCases("import sys\nfor _ in range(100):\n    sys.stdout.write('x' * (1 << 20))\n",
                                 {{"", "", ""}});
  JudgeResult r = MustRun(req);
  EXPECT_EQ(r.verdict, Verdict::kOutputLimit) << r.message;
  EXPECT_LT(r.wall_time.count(), 3000);
}

TEST(JudgePython, RejectsBadRequests) {
  Judge& judge = SandboxJudgeForTests();
  JudgeRequest unknown = PythonSuite(kAdd, "");
  unknown.language = "cobol";
  EXPECT_THAT(judge.Run(unknown), StatusIs(StatusCode::kInvalidArgument));
  JudgeRequest both = PythonCases(kAdd, {{"", "", ""}});
  both.test_code = "assert True\n";
  EXPECT_THAT(judge.Run(both), StatusIs(StatusCode::kInvalidArgument));
  JudgeRequest greedy = PythonSuite(kAdd, "");
  greedy.limits.memory_bytes = 64LL << 30;
  EXPECT_THAT(judge.Run(greedy), StatusIs(StatusCode::kInvalidArgument));
}

TEST(JudgePython, RefusesToStartWithoutASandbox) {
  SandboxJudgeOptions no_bwrap;
  no_bwrap.bwrap_path = "/nonexistent/bwrap";
  EXPECT_THAT(NewSandboxJudge(no_bwrap), StatusIs(StatusCode::kFailedPrecondition));
  SandboxJudgeOptions no_init;
  no_init.sandbox_init_path = "/nonexistent/clash-sandbox-init";
  EXPECT_THAT(NewSandboxJudge(no_init), StatusIs(StatusCode::kFailedPrecondition));
  SandboxJudgeOptions fake_bwrap;
  fake_bwrap.bwrap_path = "/usr/bin/true";  // "starts" but sets nothing up: the self-test notices
  EXPECT_THAT(NewSandboxJudge(fake_bwrap), StatusIs(StatusCode::kFailedPrecondition));
}

TEST(JudgePython, ConcurrentRunsAreIndependent) {
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      JudgeResult r = MustRun(PythonCases("print(int(input()) * 2)\n",
                                          {{"", std::to_string(i), std::to_string(2 * i)}}));
      if (r.verdict == Verdict::kAccepted) ++accepted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 4);
}

}  // namespace
}  // namespace clash::testing
