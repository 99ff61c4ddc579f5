// The one decoder of judge requests (ParseJudgeRequestJson): HTTP bodies, Python arguments and
// stored queue rows are read by it, with one set of key names and the judge's own bounds.
#include <gtest/gtest.h>

#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

using ::testing::HasSubstr;

JudgeLimits SmallMax() {
  JudgeLimits max = DefaultMaxJudgeLimits();
  max.cpu_time = std::chrono::milliseconds(1500);  // below the 2 s default
  max.processes = 64;
  return max;
}

TEST(JudgeRequestJson, ReadsEveryFieldAndBothCaseForms) {
  auto r = ParseJudgeRequestJson(
      R"json({"language": "python3", "source": "print(input())", "test_code": null,
          "cases": [["a\n", "a"], {"name": "named", "input": "b", "expected_output": "b"}],
          "limits": {"cpu_ms": 1000, "wall_ms": 3000, "memory_bytes": 67108864, "output_bytes": 4096,
                     "file_bytes": 8192, "processes": 8, "open_files": 32},
          "something_new": true})json",
      DefaultMaxJudgeLimits());
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->language, "python3");
  EXPECT_EQ(r->source, "print(input())");
  EXPECT_EQ(r->test_code, "");
  ASSERT_EQ(r->cases.size(), 2u);
  EXPECT_EQ(r->cases[0].name, "");
  EXPECT_EQ(r->cases[0].input, "a\n");
  EXPECT_EQ(r->cases[0].expected_output, "a");
  EXPECT_EQ(r->cases[1].name, "named");
  EXPECT_EQ(r->limits.cpu_time.count(), 1000);
  EXPECT_EQ(r->limits.wall_time.count(), 3000);
  EXPECT_EQ(r->limits.memory_bytes, 64 << 20);
  EXPECT_EQ(r->limits.output_bytes, 4096);
  EXPECT_EQ(r->limits.file_bytes, 8192);
  EXPECT_EQ(r->limits.processes, 8);
  EXPECT_EQ(r->limits.open_files, 32);
}

TEST(JudgeRequestJson, BoundsAreTheJudgesMaximum) {
  const JudgeLimits max = SmallMax();
  // Missing limits take the default, lowered to the maximum where it is smaller.
  auto defaults = ParseJudgeRequestJson(R"({"language": "python3", "source": "x = 1"})", max);
  ASSERT_THAT(defaults, IsOk());
  EXPECT_EQ(defaults->limits.cpu_time.count(), 1500);
  EXPECT_EQ(defaults->limits.processes, JudgeLimits{}.processes);
  EXPECT_THAT(ValidateJudgeLimits(defaults->limits, max), IsOk());

  auto at_max = ParseJudgeRequestJson(R"({"language": "python3", "source": "x", "limits": {"cpu_ms": 1500}})", max);
  EXPECT_THAT(at_max, IsOk());
  auto above = ParseJudgeRequestJson(R"({"language": "python3", "source": "x", "limits": {"cpu_ms": 1501}})", max);
  EXPECT_THAT(above, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(above.status().message(), "limit \"cpu_ms\" must be an integer from 1 to 1500");
  // The judge refuses the same request with the same words.
  JudgeRequest direct = *defaults;
  direct.limits.cpu_time = std::chrono::milliseconds(1501);
  EXPECT_EQ(ValidateJudgeLimits(direct.limits, max).message(), above.status().message());

  for (const char* limits : {R"({"cpu_ms": 0})", R"({"memory_bytes": 1048576})", R"({"open_files": 3})",
                             R"({"processes": 65})", R"({"wall_ms": 1.5})", R"({"wall_ms": "100"})",
                             R"({"file_bytes": 18446744073709551615})", R"({"processes": true})"}) {
    auto r = ParseJudgeRequestJson(std::string(R"({"language": "python3", "source": "x", "limits": )") + limits + "}", max);
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument)) << limits;
    EXPECT_THAT(r.status().message(), HasSubstr("must be an integer from")) << limits;
  }
}

TEST(JudgeRequestJson, MalformedRequestsSayWhatIsWrong) {
  const std::pair<const char*, const char*> bad[] = {
      {"[]", "a judge request must be a JSON object"},
      {"{not json", "a judge request must be a JSON object"},
      {R"({"source": "x"})", "\"language\" is required and must be a non-empty string"},
      {R"({"language": "python3", "source": ""})", "\"source\" is required and must be a non-empty string"},
      {R"({"language": 3, "source": "x"})", "\"language\" is required and must be a non-empty string"},
      {R"({"language": "python3", "source": "x", "test_code": 1})", "\"test_code\" must be a string"},
      {R"({"language": "python3", "source": "x", "cases": "nope"})", "\"cases\" must be a list"},
      {R"({"language": "python3", "source": "x", "cases": [["only stdin"]]})",
       "each case must be [stdin, expected] or {name, input, expected_output} with strings"},
      {R"({"language": "python3", "source": "x", "cases": [{"input": "a"}]})",
       "each case must be [stdin, expected] or {name, input, expected_output} with strings"},
      {R"({"language": "python3", "source": "x", "test_code": "assert x", "cases": [["", ""]]})",
       "give only one of \"test_code\", \"cases\" and \"data_cases\""},
      {R"({"language": "python3", "source": "x", "limits": []})", "\"limits\" must be an object"},
      {R"({"language": "python3", "source": "x", "limits": {"cpu_time_ms": 5}})", "unknown limit \"cpu_time_ms\""},
  };
  for (const auto& [json, message] : bad) {
    auto r = ParseJudgeRequestJson(json, DefaultMaxJudgeLimits());
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument)) << json;
    EXPECT_EQ(r.status().message(), message) << json;
  }
}

TEST(JudgeRequestJson, TheCodecIsTheSameDecoder) {
  JudgeRequest req = PythonCases("print(input())\n", {{"one", "a\n", "a"}});
  req.limits.cpu_time = std::chrono::milliseconds(60'000);  // above any default maximum: stored jobs
  auto decoded = DecodeJudgeRequest(EncodeJudgeRequest(req));  // are checked by the judge that runs them
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->limits.cpu_time.count(), 60'000);
  EXPECT_EQ(decoded->cases[0].name, "one");
  auto bounded = ParseJudgeRequestJson(EncodeJudgeRequest(req), DefaultMaxJudgeLimits());
  EXPECT_THAT(bounded, StatusIs(StatusCode::kInvalidArgument));
  auto bad = DecodeJudgeRequest(R"({"language": "python3", "source": "x", "limits": {"cpu_ms": -1}})");
  EXPECT_THAT(bad, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bad.status().message(), HasSubstr("judge: malformed request: limit \"cpu_ms\""));
}

TEST(JudgeRequestJson, SandboxJudgeReportsItsMaximum) {
  EXPECT_EQ(SandboxJudgeForTests().MaxLimits().cpu_time, SandboxJudgeOptions{}.max_limits.cpu_time);
  auto fake = NewFakeJudge([](const JudgeRequest&) { return JudgeResult{}; });
  EXPECT_EQ(fake->MaxLimits().memory_bytes, DefaultMaxJudgeLimits().memory_bytes);
  auto pool = JudgePool::Create(*fake, {});
  ASSERT_THAT(pool, IsOk());
  EXPECT_EQ((*pool)->MaxLimits().processes, DefaultMaxJudgeLimits().processes);
}

}  // namespace
}  // namespace clash::testing
