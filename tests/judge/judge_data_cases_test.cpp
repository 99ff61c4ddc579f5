// Cases as data in the sandbox: verdicts, per-case results, what the first failure shows.
#include <gtest/gtest.h>

#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kLargestCases = R"json({
  "mode": "function", "entry": "largest",
  "cases": [
    {"args": [1, 2, 3], "expected": 3, "public": true},
    {"args": [5, 1, 2], "expected": 5, "public": true},
    {"args": [-5, -5, -9], "expected": -5, "name": "all negative, tie"},
    {"args": [0, 0, 0], "expected": 0},
    {"args": [{"$int": "100000000000000000000"}, 1, 2], "expected": {"$int": "100000000000000000000"}}
  ]})json";

TEST(JudgeDataCases, AcceptsACorrectFunctionAndReportsEveryCase) {
  JudgeResult r = MustRun(PythonData("def largest(a, b, c):\n    print('checking', a)\n    return max(a, b, c)\n",
                                     kLargestCases));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message << r.stderr_excerpt;
  EXPECT_EQ(r.tests_passed, 5);
  EXPECT_EQ(r.tests_total, 5);
  ASSERT_EQ(r.case_results.size(), 5u);
  for (const CaseResult& c : r.case_results) EXPECT_TRUE(c.passed);
  EXPECT_TRUE(r.case_results[0].is_public);
  EXPECT_FALSE(r.case_results[2].is_public);
  EXPECT_THAT(r.stdout_excerpt, HasSubstr("checking 1\n"));
  EXPECT_FALSE(r.first_failure.has_value());
}

TEST(JudgeDataCases, HiddenWrongAnswerNamesTheCaseButNotItsExpectedValue) {
  // Wrong only when all three are negative: the first two (public) cases pass.
  JudgeResult r = MustRun(PythonData("def largest(a, b, c):\n    return max(a, b, c, 0)\n", kLargestCases));
  ASSERT_EQ(r.verdict, Verdict::kWrongAnswer) << r.message << r.stderr_excerpt;
  EXPECT_EQ(r.message, "wrong answer on case 3");
  ASSERT_TRUE(r.first_failure.has_value());
  const FailedCase& f = *r.first_failure;
  EXPECT_EQ(f.index, 2);
  EXPECT_FALSE(f.is_public);
  EXPECT_EQ(f.name, "all negative, tie");
  EXPECT_EQ(f.args, "[-5,-5,-9]");
  EXPECT_EQ(f.expected, "-5");
  EXPECT_EQ(f.actual, "0");
  EXPECT_THAT(f.message, Not(HasSubstr("-5")));
  // Every case ran and was scored.
  EXPECT_EQ(r.tests_passed, 4);
  ASSERT_EQ(r.case_results.size(), 5u);
  EXPECT_FALSE(r.case_results[2].passed);
  EXPECT_TRUE(r.case_results[3].passed);
  // What a player may see of it.
  JudgeResult player = r;
  RedactHiddenCase(player);
  EXPECT_EQ(player.first_failure->index, 2);
  EXPECT_EQ(player.first_failure->args, "");
  EXPECT_EQ(player.first_failure->expected, "");
  EXPECT_EQ(player.first_failure->name, "");
}

TEST(JudgeDataCases, PublicWrongAnswerShowsExpectedAndActual) {
  JudgeResult r = MustRun(PythonData("def largest(a, b, c):\n    return min(a, b, c)\n", kLargestCases));
  ASSERT_EQ(r.verdict, Verdict::kWrongAnswer) << r.message;
  ASSERT_TRUE(r.first_failure.has_value());
  EXPECT_EQ(r.first_failure->index, 0);
  EXPECT_TRUE(r.first_failure->is_public);
  EXPECT_EQ(r.first_failure->message, "expected 3, got 1");
  JudgeResult player = r;
  RedactHiddenCase(player);
  EXPECT_EQ(player.first_failure->expected, "3");  // public: kept
}

TEST(JudgeDataCases, ExactTypesAreRequired) {
  // 3.0, True and "3" are not 3; (3,) is not [3].
  for (const char* body : {"return float(max(a, b, c))", "return str(max(a, b, c))", "return max(a, b, c) > 0"}) {
    JudgeResult r = MustRun(PythonData(std::string("def largest(a, b, c):\n    ") + body + "\n", kLargestCases));
    EXPECT_EQ(r.verdict, Verdict::kWrongAnswer) << body << ": " << r.message;
  }
  JudgeResult tuple = MustRun(PythonData("def f():\n    return (3,)\n",
                                         R"({"mode": "function", "entry": "f", "cases": [{"args": [], "expected": [3]}]})"));
  EXPECT_EQ(tuple.verdict, Verdict::kWrongAnswer);
  ASSERT_TRUE(tuple.first_failure.has_value());
  EXPECT_EQ(tuple.first_failure->actual, "{\"$tuple\":[3]}");
}

TEST(JudgeDataCases, ContainersFloatsAndUnicodeCompareAsData) {
  const char* cases = R"json({"mode": "function", "entry": "stats", "float_tolerance": 1e-9, "cases": [
      {"args": [[1, 2, 2]], "expected": {"$dict": [["mean", 1.6666666666666667], ["set", {"$set": [2, 1]}],
                                                  ["name", "\u00e9t\u00e9"], ["nan", {"$float": "nan"}]]}},
      {"args": [[0.1, 0.2]], "expected": {"mean": 0.15, "set": {"$set": [0.1, 0.2]}, "name": "\u00e9t\u00e9",
                                          "nan": {"$float": "nan"}}}]})json";
  JudgeResult ok = MustRun(PythonData(
      "def stats(xs):\n    return {'nan': float('nan'), 'name': '\\u00e9t\\u00e9', 'set': set(xs),\n"
      "            'mean': sum(xs) / len(xs) + 1e-12}\n", cases));
  EXPECT_EQ(ok.verdict, Verdict::kAccepted) << ok.message << ok.stderr_excerpt
                                            << (ok.first_failure ? ok.first_failure->actual : "");
}

TEST(JudgeDataCases, ClassModeWithExpectedExceptions) {
  const char* cases = R"json({"mode": "class", "entry": "Account", "cases": [
      {"ops": [["__init__", [10]], ["deposit", [5]], ["balance", []]], "expected": [null, null, 15], "public": true},
      {"ops": [["__init__", [0]], ["withdraw", [5]], ["balance", []]], "expected": [null, {"$raises": "ValueError"}, 0]}
  ]})json";
  const std::string good =
      "class Account:\n"
      "    def __init__(self, b):\n        self.b = b\n"
      "    def deposit(self, x):\n        self.b += x\n"
      "    def withdraw(self, x):\n        if x > self.b:\n            raise ValueError('insufficient funds')\n"
      "        self.b -= x\n"
      "    def balance(self):\n        return self.b\n";
  JudgeResult r = MustRun(PythonData(good, cases));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message << r.stderr_excerpt;
  EXPECT_EQ(r.tests_passed, 2);

  // Withdrawing without a check: no exception where one is expected.
  std::string lax = good;
  lax.replace(lax.find("        if x > self.b:\n            raise ValueError('insufficient funds')\n"),
              std::string("        if x > self.b:\n            raise ValueError('insufficient funds')\n").size(), "");
  JudgeResult w = MustRun(PythonData(lax, cases));
  ASSERT_EQ(w.verdict, Verdict::kWrongAnswer) << w.message;
  EXPECT_EQ(w.first_failure->index, 1);
  EXPECT_EQ(w.first_failure->actual, "[null,null,-5]");
  EXPECT_EQ(w.first_failure->args, "[[\"__init__\",[0]],[\"withdraw\",[5]],[\"balance\",[]]]");

  // A different exception than the one expected is a runtime error in that case.
  std::string key_error = good;
  key_error.replace(key_error.find("ValueError('insufficient"), std::string("ValueError").size(), "KeyError");
  JudgeResult k = MustRun(PythonData(key_error, cases));
  ASSERT_EQ(k.verdict, Verdict::kRuntimeError) << k.message;
  EXPECT_EQ(k.message, "runtime error: KeyError: 'insufficient funds' (case 2)");
  EXPECT_EQ(k.first_failure->actual, "[null,{\"$raises\":\"KeyError\"},0]");
  EXPECT_THAT(k.stderr_excerpt, HasSubstr("main.py"));
}

TEST(JudgeDataCases, FailuresDuringACaseNameIt) {
  const char* cases = R"({"mode": "function", "entry": "f", "cases": [
      {"args": [1], "expected": 1}, {"args": [0], "expected": 0}, {"args": [2], "expected": 2}]})";
  JudgeResult zero = MustRun(PythonData("def f(x):\n    return x // x * x\n", cases));
  ASSERT_EQ(zero.verdict, Verdict::kRuntimeError) << zero.message;
  EXPECT_EQ(zero.message, "runtime error: ZeroDivisionError: integer division or modulo by zero (case 2)");
  EXPECT_EQ(zero.first_failure->index, 1);
  EXPECT_EQ(zero.first_failure->actual, "{\"$raises\":\"ZeroDivisionError\"}");
  EXPECT_THAT(zero.stderr_excerpt, HasSubstr("ZeroDivisionError"));

  JudgeRequest loop = PythonData("def f(x):\n    while x == 0:\n        pass\n    return x\n", cases);
  loop.limits.cpu_time = std::chrono::milliseconds(1000);
  loop.limits.wall_time = std::chrono::milliseconds(20000);
  JudgeResult t = MustRun(loop);
  ASSERT_EQ(t.verdict, Verdict::kTimeLimit) << t.message;
  EXPECT_THAT(t.message, HasSubstr("(case 2)"));
  ASSERT_TRUE(t.first_failure.has_value());
  EXPECT_EQ(t.first_failure->index, 1);
  EXPECT_EQ(t.first_failure->actual, "");
  EXPECT_EQ(t.tests_passed, 1);

  JudgeResult missing = MustRun(PythonData("def g(x):\n    return x\n", cases));
  EXPECT_EQ(missing.verdict, Verdict::kRuntimeError);
  EXPECT_THAT(missing.message, HasSubstr("name 'f' is not defined"));

  JudgeResult syntax = MustRun(PythonData("def f(x) return x\n", cases));
  EXPECT_EQ(syntax.verdict, Verdict::kCompileError);
}

TEST(JudgeDataCases, RenderedPublicCasesRunAsTheClientRunsThem) {
  const char* cases = R"json({"mode": "class", "entry": "Stack", "cases": [
      {"ops": [["__init__", []], ["push", ["a\u00e9'\""]], ["push", [{"k": {"$tuple": [1, 2.5]}}]], ["size", []],
               ["pop", []], ["pop", []], ["pop", []]],
       "expected": [null, null, null, 2, {"$dict": [["k", {"$tuple": [1, 2.5]}]]}, "a\u00e9'\"",
                    {"$raises": "IndexError"}], "public": true},
      {"ops": [["__init__", []], ["size", []]], "expected": [null, 5]}]})json";
  Result<DataCases> parsed = ParseCasesJson(cases);
  ASSERT_THAT(parsed, IsOk());
  Result<std::string> tests = RenderPythonTestCode(*parsed);
  ASSERT_THAT(tests, IsOk());
  const std::string stack =
      "class Stack:\n    def __init__(self):\n        self.items = []\n"
      "    def push(self, x):\n        self.items.append(x)\n"
      "    def pop(self):\n        return self.items.pop()\n"
      "    def size(self):\n        return len(self.items)\n";
  JudgeResult ok = MustRun(PythonSuite(stack, *tests));
  EXPECT_EQ(ok.verdict, Verdict::kAccepted) << *tests << ok.message << ok.stderr_excerpt;
  EXPECT_EQ(ok.tests_total, 6);  // one assert per public op: the hidden case is not there
  std::string no_raise = stack;
  no_raise.replace(no_raise.find("return self.items.pop()"), 23, "return self.items.pop() if self.items else None");
  JudgeResult wrong = MustRun(PythonSuite(no_raise, *tests));
  EXPECT_EQ(wrong.verdict, Verdict::kWrongAnswer) << *tests << wrong.message;
  ASSERT_TRUE(wrong.first_failure.has_value());
  EXPECT_EQ(wrong.first_failure->message, "_obj.pop() should raise IndexError");
}

TEST(JudgeDataCases, ArgumentsAreFreshForEveryCase) {
  // A function that mutates its argument does not change the next case's argument.
  JudgeResult r = MustRun(PythonData("def f(xs):\n    xs.append(9)\n    return len(xs)\n",
                                     R"({"mode": "function", "entry": "f", "cases": [
                                         {"args": [[1]], "expected": 2}, {"args": [[1]], "expected": 2}]})"));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message;
}

TEST(JudgeDataCases, RequestsAreCheckedAndTravelThroughTheCodec) {
  Judge& judge = SandboxJudgeForTests();
  JudgeRequest both = PythonData("def f():\n    return 1\n", R"({"mode": "function", "entry": "f",
      "cases": [{"args": [], "expected": 1}]})");
  both.test_code = "assert f() == 1\n";
  EXPECT_THAT(judge.Run(both), StatusIs(StatusCode::kInvalidArgument));
  JudgeRequest cpp = PythonData("int main() {}", R"({"mode": "function", "entry": "f",
      "cases": [{"args": [], "expected": 1}]})");
  cpp.language = "cpp17";
  EXPECT_THAT(judge.Run(cpp), StatusIs(StatusCode::kInvalidArgument));

  JudgeRequest req = PythonData("def largest(a, b, c):\n    return max(a, b, c)\n", kLargestCases);
  Result<JudgeRequest> back = DecodeJudgeRequest(EncodeJudgeRequest(req));
  ASSERT_THAT(back, IsOk());
  ASSERT_TRUE(back->data_cases.has_value());
  EXPECT_EQ(EncodeCasesJson(*back->data_cases), EncodeCasesJson(*req.data_cases));
  JudgeResult r = MustRun(*back);
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message;

  JudgeResult wrong = MustRun(PythonData("def largest(a, b, c):\n    return a\n", kLargestCases));
  Result<JudgeResult> decoded = DecodeJudgeResult(EncodeJudgeResult(wrong));
  ASSERT_THAT(decoded, IsOk());
  ASSERT_TRUE(decoded->first_failure.has_value());
  EXPECT_EQ(decoded->first_failure->expected, wrong.first_failure->expected);
  EXPECT_EQ(decoded->first_failure->args, wrong.first_failure->args);
  EXPECT_EQ(decoded->first_failure->is_public, wrong.first_failure->is_public);
  EXPECT_EQ(decoded->case_results.size(), wrong.case_results.size());
  EXPECT_THAT(EncodeJudgeResult(wrong), HasSubstr("\"args\":[1,2,3]"));  // values embedded as JSON

  // The one request decoder reads data_cases too (the HTTP route and Python use it).
  Result<JudgeRequest> parsed = ParseJudgeRequestJson(
      std::string(R"({"language": "python3", "source": "x = 1", "data_cases": )") + kLargestCases + "}",
      DefaultMaxJudgeLimits());
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->data_cases->cases.size(), 5u);
  Result<JudgeRequest> bad = ParseJudgeRequestJson(
      R"({"language": "python3", "source": "x = 1", "data_cases": {"mode": "function", "entry": "f", "cases": [{"args": []}]}})",
      DefaultMaxJudgeLimits());
  EXPECT_THAT(bad, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(bad.status().message(), "\"data_cases\": case 1: needs \"args\" and \"expected\"");
}

}  // namespace
}  // namespace clash::testing
