#include "judge/data_check.h"

#include "judge/case_json.h"
#include "judge/output_compare.h"

namespace clash::internal {
namespace {

constexpr size_t kMaxShown = 16 << 10;  // encoded values larger than this are not copied

std::string Shown(const nlohmann::json& j) {
  std::string s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return s.size() <= kMaxShown ? s : std::string();
}

std::string Shown(const CaseValue& v) { return Shown(CaseValueToJson(v)); }

std::string CaseLabel(size_t index) { return "case " + std::to_string(index + 1); }

FailedCase Describe(const DataCases& cases, size_t index) {
  const DataCase& c = cases.cases[index];
  FailedCase f;
  f.index = static_cast<int>(index);
  f.name = c.name.empty() ? CaseLabel(index) : c.name;
  f.is_public = c.is_public;
  f.args = Shown(CallToJson(c, cases.mode));
  f.expected = Shown(c.expected);
  return f;
}

// True if a call raised where the expected value says it should not have.
bool RaisedUnexpectedly(const CaseValue& expected, const CaseValue& actual, CaseMode mode) {
  auto raised = [](const CaseValue& e, const CaseValue& a) { return a.kind() == CaseValue::Kind::kRaises && a != e; };
  if (mode == CaseMode::kFunction || actual.kind() != CaseValue::Kind::kList) return raised(expected, actual);
  const auto& a = actual.items();
  for (size_t i = 0; i < a.size(); ++i) {
    const bool has_expected = expected.kind() == CaseValue::Kind::kList && i < expected.items().size();
    if (raised(has_expected ? expected.items()[i] : CaseValue(), a[i])) return true;
  }
  return false;
}

void Fail(const DataCases& cases, size_t index, const CaseReport& got, JudgeResult& r) {
  const DataCase& c = cases.cases[index];
  FailedCase f = Describe(cases, index);
  const std::string where = " (" + CaseLabel(index) + ")";
  if (!got.unencodable.empty()) {
    const std::string what = got.unencodable.rfind("type ", 0) == 0 ? "a value of " + got.unencodable : got.unencodable;
    const std::string who = cases.mode == CaseMode::kClass && got.op > 0 && static_cast<size_t>(got.op) < c.ops.size()
                                ? c.ops[static_cast<size_t>(got.op)].method + "() returned "
                                : "returned ";
    f.message = who + what + "; return plain int/float/str/bool/None/list/tuple/dict/set";
    r.verdict = Verdict::kWrongAnswer;
    r.message = "wrong answer on " + CaseLabel(index) + ": " + f.message;
  } else if (RaisedUnexpectedly(c.expected, got.value, cases.mode)) {
    f.actual = Shown(got.value);
    f.message = got.error.empty() ? "the call raised an exception" : got.error;
    r.verdict = Verdict::kRuntimeError;
    r.message = "runtime error: " + Truncate(f.message, 300) + where;
  } else {
    f.actual = Shown(got.value);
    f.message = c.is_public ? "expected " + Truncate(f.expected, 200) + ", got " + Truncate(f.actual, 200)
                            : "the result differs from the expected value";
    r.verdict = Verdict::kWrongAnswer;
    r.message = "wrong answer on " + CaseLabel(index);
  }
  r.first_failure = std::move(f);
}

}  // namespace

bool ScoreDataCases(const DataCases& cases, const RunnerReport& report, JudgeResult& r) {
  const size_t n = cases.cases.size();
  r.tests_total = static_cast<int>(n);
  r.tests_passed = 0;
  r.case_results.assign(n, CaseResult{});
  for (size_t i = 0; i < n; ++i) r.case_results[i].is_public = cases.cases[i].is_public;
  if (report.corrupt || report.cases.size() > n) {
    r.verdict = Verdict::kRuntimeError;
    r.message = "runtime error: the program wrote to the judge's result channel";
    return true;
  }
  bool failed = false;
  for (size_t i = 0; i < report.cases.size(); ++i) {
    const CaseReport& got = report.cases[i];
    const bool passed = got.unencodable.empty() && got.returned &&
                        CaseValuesMatch(cases.cases[i].expected, got.value, cases.float_tolerance);
    r.case_results[i].passed = passed;
    r.tests_passed += passed;
    if (!passed && !failed) Fail(cases, i, got, r);
    failed |= !passed;
  }
  return failed;
}

void NoteRunningCase(const DataCases& cases, size_t running, JudgeResult& r) {
  if (running >= cases.cases.size()) return;
  r.first_failure = Describe(cases, running);
  r.first_failure->message = r.message;
  r.message += " (" + CaseLabel(running) + ")";
}

}  // namespace clash::internal
