// The offline code reviewer: syntax errors and complexity warnings from the analyzer, then the
// public samples judged in the sandbox (one run for all, one more per further failing sample, so
// every failing sample is described). Only public cases enter these runs.
#include <algorithm>

#include "campaign/review_analyzer.h"
#include "clash/judge_gateway.h"

namespace clash {
namespace {

std::string Literal(const std::string& encoded) {
  if (encoded.empty()) return "";
  Result<CaseValue> v = ParseCaseValueJson(encoded);
  if (!v.ok()) return "";
  Result<std::string> lit = PythonLiteral(*v);
  return lit.ok() ? *lit : "";
}

std::string JoinArgs(const std::vector<CaseValue>& args) {
  std::string out;
  for (const CaseValue& a : args) {
    Result<std::string> lit = PythonLiteral(a);
    out += (out.empty() ? "" : ", ") + (lit.ok() ? *lit : std::string("?"));
  }
  return out;
}

std::string CallOf(const DataCases& cases, const DataCase& c) {
  if (cases.mode == CaseMode::kFunction) return cases.entry + "(" + JoinArgs(c.args) + ")";
  std::string out;
  for (std::size_t i = 0; i < c.ops.size(); ++i) {
    out += i == 0 ? cases.entry + "(" + JoinArgs(c.ops[i].args) + ")" : "; ." + c.ops[i].method + "(" + JoinArgs(c.ops[i].args) + ")";
  }
  return out;
}

JudgeRequest SampleRequest(const TutorRequest& req, DataCases cases) {
  JudgeRequest r;
  r.language = "python3";
  r.source = std::string(req.user_code);
  r.data_cases = std::move(cases);
  r.limits.cpu_time = std::chrono::seconds(std::clamp(req.level.time_limit_seconds, 1, 10));
  r.limits.wall_time = std::chrono::seconds(30);
  return r;
}

// Fills `check` from a run of that one sample (or of all of them, when it is the first failure).
void Describe(const JudgeResult& r, SampleCheck& check) {
  check.passed = false;
  if (r.first_failure) {
    check.actual = Literal(r.first_failure->actual);
    check.problem = r.first_failure->message;
  }
  if (check.problem.empty() || r.verdict == Verdict::kTimeLimit || r.verdict == Verdict::kMemoryLimit) {
    check.problem = r.message;
  }
}

std::string Summary(const CodeReview& review) {
  if (!review.syntax_errors.empty()) {
    const SyntaxIssue& s = review.syntax_errors.front();
    return "**Syntax error** on line " + std::to_string(s.line) + (s.column ? ", column " + std::to_string(s.column) : "") +
           ": " + s.message + ". Fix it first: nothing can run until the code parses.";
  }
  const auto passed = std::count_if(review.samples.begin(), review.samples.end(), [](const SampleCheck& c) { return c.passed; });
  std::string out = "Your code passes " + std::to_string(passed) + " of " + std::to_string(review.samples.size()) +
                    " sample tests.";
  for (const SampleCheck& c : review.samples) {
    if (c.passed) continue;
    out += "\n- `" + c.call + "`: " + (c.problem.empty() ? "failed" : c.problem) +
           (c.expected.empty() ? "" : " (expected `" + c.expected + "`)");
  }
  for (const ReviewWarning& w : review.warnings) out += "\n- Line " + std::to_string(w.line) + ": " + w.message + ".";
  if (passed == static_cast<long>(review.samples.size()) && review.warnings.empty()) {
    out += " No complexity problems found: submit it to run the hidden tests.";
  }
  return out;
}

class StaticReviewer final : public CodeReviewer {
 public:
  explicit StaticReviewer(JudgeGateway& judge) : judge_(judge) {}

  Result<CodeReview> Review(const TutorRequest& req) override {
    CodeReview review;
    review.source = "static";
    CLASH_ASSIGN_OR_RETURN(JudgeResult analyzed, judge_.RunAndWait(internal::AnalyzerRequest(req.user_code)));
    CLASH_ASSIGN_OR_RETURN(internal::AnalyzerFindings found, internal::ParseAnalyzerOutput(analyzed));
    review.warnings = std::move(found.warnings);
    if (found.syntax) {
      review.syntax_errors.push_back(*found.syntax);
      review.summary = Summary(review);
      return review;
    }
    CLASH_ASSIGN_OR_RETURN(DataCases cases, ParseCasesJson(req.level.secrets.cases_json));
    std::erase_if(cases.cases, [](const DataCase& c) { return !c.is_public; });
    for (std::size_t i = 0; i < cases.cases.size(); ++i) {
      Result<std::string> expected = PythonLiteral(cases.cases[i].expected);
      review.samples.push_back(SampleCheck{.index = static_cast<int>(i), .call = CallOf(cases, cases.cases[i]),
                                           .passed = false, .expected = expected.ok() ? *expected : "", .actual = "",
                                           .problem = ""});
    }
    if (!cases.cases.empty()) CLASH_RETURN_IF_ERROR(JudgeSamples(req, cases, review));
    review.summary = Summary(review);
    return review;
  }

 private:
  Status JudgeSamples(const TutorRequest& req, const DataCases& cases, CodeReview& review) {
    CLASH_ASSIGN_OR_RETURN(JudgeResult all, judge_.RunAndWait(SampleRequest(req, cases)));
    if (all.case_results.size() != cases.cases.size()) {  // the code failed before the samples ran
      for (SampleCheck& c : review.samples) c.problem = all.message;
      return Status::Ok();
    }
    const int first = all.first_failure ? all.first_failure->index : -1;
    for (std::size_t i = 0; i < cases.cases.size(); ++i) {
      SampleCheck& check = review.samples[i];
      check.passed = all.case_results[i].passed;
      if (check.passed) continue;
      if (static_cast<int>(i) == first) {
        Describe(all, check);
        continue;
      }
      DataCases one = cases;  // one more run per further failing sample, for its own details
      one.cases = {cases.cases[i]};
      CLASH_ASSIGN_OR_RETURN(JudgeResult alone, judge_.RunAndWait(SampleRequest(req, std::move(one))));
      Describe(alone, check);
    }
    return Status::Ok();
  }

  JudgeGateway& judge_;
};

}  // namespace

std::unique_ptr<CodeReviewer> NewStaticReviewer(JudgeGateway& judge) { return std::make_unique<StaticReviewer>(judge); }

}  // namespace clash
