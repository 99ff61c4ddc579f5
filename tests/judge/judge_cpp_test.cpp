// C++ verdicts: compile errors, stdin cases, assert suites, crashes and limits.
#include <gtest/gtest.h>

#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

constexpr const char* kSum =
    "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }\n";

TEST(JudgeCpp, AcceptsAndFindsTheFirstWrongCase) {
  JudgeResult ok = MustRun(CppCases(kSum, {{"", "1 2", "3"}, {"", "1000000000000 1", "1000000000001"}}));
  EXPECT_EQ(ok.verdict, Verdict::kAccepted) << ok.message << ok.compile_output << ok.stderr_excerpt;
  EXPECT_EQ(ok.tests_passed, 2);

  JudgeResult wa = MustRun(CppCases(kSum, {{"", "1 2", "3"}, {"third", "2 2", "5"}}));
  ASSERT_EQ(wa.verdict, Verdict::kWrongAnswer);
  ASSERT_TRUE(wa.first_failure.has_value());
  EXPECT_EQ(wa.first_failure->name, "third");
  EXPECT_EQ(wa.first_failure->actual_output, "4\n");
}

TEST(JudgeCpp, CompileErrorCarriesDiagnostics) {
  JudgeResult r = MustRun(CppCases("int main() { return undefined_name; }\n", {{"", "", ""}}));
  EXPECT_EQ(r.verdict, Verdict::kCompileError);
  EXPECT_NE(r.compile_output.find("undefined_name"), std::string::npos) << r.compile_output;
}

TEST(JudgeCpp, FailedAssertInSuiteIsWrongAnswer) {
  JudgeRequest req;
  req.language = "cpp17";
  req.source = "int twice(int x) { return x + 2; }\n";
  req.test_code = "#include <cassert>\nint main() {\n  assert(twice(2) == 4);\n  assert(twice(3) == 6);\n}\n";
  JudgeResult r = MustRun(req);
  ASSERT_EQ(r.verdict, Verdict::kWrongAnswer) << r.message << r.stderr_excerpt << r.compile_output;
  ASSERT_TRUE(r.first_failure.has_value());
  EXPECT_EQ(r.first_failure->name, "twice(3) == 6");
  EXPECT_EQ(r.first_failure->line, 4);
}

TEST(JudgeCpp, SegfaultIsRuntimeError) {
  JudgeResult r = MustRun(CppCases("int main() { volatile int* p = nullptr; return *p; }\n", {{"", "", ""}}));
  EXPECT_EQ(r.verdict, Verdict::kRuntimeError);
  EXPECT_NE(r.message.find("SIGSEGV"), std::string::npos) << r.message;
}

TEST(JudgeCpp, NonZeroExitIsRuntimeError) {
  JudgeResult r = MustRun(CppCases("int main() { return 3; }\n", {{"", "", ""}}));
  EXPECT_EQ(r.verdict, Verdict::kRuntimeError);
  EXPECT_NE(r.message.find("exit code 3"), std::string::npos) << r.message;
}

TEST(JudgeCpp, BusyLoopIsTimeLimitAndAllocationFailureIsMemoryLimit) {
  JudgeRequest loop = CppCases("int main() { volatile unsigned long x = 0; for (;;) ++x; }\n", {{"", "", ""}});
  loop.limits.cpu_time = std::chrono::milliseconds(1000);
  loop.limits.wall_time = std::chrono::milliseconds(20000);
  JudgeResult t = MustRun(loop);
  EXPECT_EQ(t.verdict, Verdict::kTimeLimit) << t.message;
  // The kernel samples user/system time per tick, so on a loaded machine the reported CPU time of a
  // run killed at the 1 s RLIMIT_CPU was seen as low as 886 ms: assert it ran for a good part of the
  // limit (the wall limit, 20 s, cannot be what stopped it), not a figure the scheduler decides.
  EXPECT_GE(t.cpu_time.count(), 500);

  JudgeRequest mem = CppCases(
      "#include <vector>\nint main() { std::vector<std::vector<char>> v; for (;;) v.emplace_back(1 << 24, 'x'); }\n",
      {{"", "", ""}});
  mem.limits.memory_bytes = 128LL << 20;
  JudgeResult m = MustRun(mem);
  EXPECT_EQ(m.verdict, Verdict::kMemoryLimit) << m.message << m.stderr_excerpt;
}

}  // namespace
}  // namespace clash::testing
