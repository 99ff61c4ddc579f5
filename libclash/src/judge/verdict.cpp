// Verdict names and the fake judge.
#include "clash/judge.h"
#include "common/name_table.h"

namespace clash {
namespace {

constexpr internal::NameTable<Verdict, 8> kNames{{{
    {Verdict::kAccepted, "accepted"},         {Verdict::kWrongAnswer, "wrong_answer"},
    {Verdict::kRuntimeError, "runtime_error"}, {Verdict::kTimeLimit, "time_limit"},
    {Verdict::kMemoryLimit, "memory_limit"},  {Verdict::kOutputLimit, "output_limit"},
    {Verdict::kCompileError, "compile_error"}, {Verdict::kInternalError, "internal_error"},
}}};

class FakeJudge final : public Judge {
 public:
  explicit FakeJudge(std::function<JudgeResult(const JudgeRequest&)> answer) : answer_(std::move(answer)) {}
  Result<JudgeResult> Run(const JudgeRequest& request) override {
    if (request.language != "python3" && request.language != "cpp17" && request.language != "javascript") {
      return Status::InvalidArgument("judge: unsupported language '" + request.language + "'");
    }
    if (!request.test_code.empty() + !request.cases.empty() + request.data_cases.has_value() > 1) {
      return Status::InvalidArgument("judge: give only one of test_code, cases and data_cases");
    }
    return answer_(request);
  }
  std::vector<std::string> Languages() const override { return {"cpp17", "javascript", "python3"}; }

 private:
  std::function<JudgeResult(const JudgeRequest&)> answer_;
};

}  // namespace

std::string_view VerdictName(Verdict v) { return kNames.Name(v, "internal_error"); }

Result<Verdict> ParseVerdict(std::string_view name) {
  Result<Verdict> verdict = kNames.Parse(name, "");
  if (!verdict.ok()) return Status::InvalidArgument("unknown verdict '" + std::string(name) + "'");
  return verdict;
}

void RedactHiddenCase(JudgeResult& result) {
  if (!result.first_failure || result.first_failure->is_public || result.case_results.empty()) return;
  FailedCase& f = *result.first_failure;
  f.name.clear();
  f.args.clear();
  f.expected.clear();
  f.actual.clear();
}

std::unique_ptr<Judge> NewFakeJudge(std::function<JudgeResult(const JudgeRequest&)> answer) {
  return std::make_unique<FakeJudge>(std::move(answer));
}

}  // namespace clash
