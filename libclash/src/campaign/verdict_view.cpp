// The player's view of a verdict, and the stable JSON of submission outcomes.
#include "campaign/verdict_view.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "clash/campaign.h"

namespace clash::internal {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Verdict, const char*>, 8> kNames = {{
    {Verdict::kAccepted, "accepted"},
    {Verdict::kWrongAnswer, "wrong_answer"},
    {Verdict::kRuntimeError, "runtime_error"},
    {Verdict::kTimeLimit, "time_limit"},
    {Verdict::kMemoryLimit, "memory_limit"},
    {Verdict::kOutputLimit, "output_limit"},
    {Verdict::kCompileError, "compile_error"},
    {Verdict::kInternalError, "internal_error"},
}};

std::string Words(Verdict v) {
  switch (v) {
    case Verdict::kAccepted: return "accepted";
    case Verdict::kWrongAnswer: return "wrong answer";
    case Verdict::kRuntimeError: return "runtime error";
    case Verdict::kTimeLimit: return "time limit exceeded";
    case Verdict::kMemoryLimit: return "memory limit exceeded";
    case Verdict::kOutputLimit: return "output limit exceeded";
    case Verdict::kCompileError: return "compile error";
    case Verdict::kInternalError: return "internal error";
  }
  return "internal error";
}

// Index in the full case list of the `public_index`-th public case, or -1.
int FullIndexOfPublic(const DataCases& cases, int public_index) {
  int seen = 0;
  for (std::size_t i = 0; i < cases.cases.size(); ++i) {
    if (!cases.cases[i].is_public) continue;
    if (seen++ == public_index) return static_cast<int>(i);
  }
  return -1;
}

json Encoded(const std::string& text) {
  if (text.empty()) return nullptr;
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

std::string Literal(const std::string& encoded) {
  if (encoded.empty()) return "";
  Result<CaseValue> v = ParseCaseValueJson(encoded);
  if (!v.ok()) return "";
  Result<std::string> lit = PythonLiteral(*v);
  return lit.ok() ? *lit : "";
}

// The call of a public function-mode case as Python ("greet('Ada')"); class mode: the ops.
std::string CallText(const DataCases& cases, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= cases.cases.size()) return "";
  const DataCase& c = cases.cases[static_cast<std::size_t>(index)];
  auto join = [](const std::vector<CaseValue>& args) {
    std::string out;
    for (const CaseValue& a : args) {
      Result<std::string> lit = PythonLiteral(a);
      out += (out.empty() ? "" : ", ") + (lit.ok() ? *lit : std::string("?"));
    }
    return out;
  };
  if (cases.mode == CaseMode::kFunction) return cases.entry + "(" + join(c.args) + ")";
  std::string out;
  for (std::size_t i = 0; i < c.ops.size(); ++i) {
    out += i == 0 ? cases.entry + "(" + join(c.ops[i].args) + ")" : "; ." + c.ops[i].method + "(" + join(c.ops[i].args) + ")";
  }
  return out;
}

}  // namespace

std::string_view VerdictWireName(Verdict v) {
  for (const auto& [verdict, name] : kNames) {
    if (verdict == v) return name;
  }
  return "internal_error";
}

Result<Verdict> ParseVerdictWireName(std::string_view name) {
  for (const auto& [verdict, n] : kNames) {
    if (n == name) return verdict;
  }
  return Status::InvalidArgument("unknown verdict '" + std::string(name) + "'");
}

JudgeResult PlayerVerdict(const DataCases& cases, const JudgeResult& full, const JudgeResult* public_run) {
  JudgeResult v;
  v.verdict = full.verdict;
  v.tests_passed = full.tests_passed;
  v.tests_total = full.tests_total;
  v.cpu_time = full.cpu_time;
  v.wall_time = full.wall_time;
  v.memory_bytes = full.memory_bytes;
  v.case_results = full.case_results;
  const std::string words = Words(full.verdict);
  if (full.verdict == Verdict::kAccepted) {
    v.message = words;
    return v;
  }
  if (full.verdict == Verdict::kCompileError) {
    // Compiling happens before the code runs: its diagnostics only hold the code's own text.
    v.message = full.message;
    v.compile_output = full.compile_output;
    return v;
  }
  if (full.verdict == Verdict::kInternalError) {
    v.message = "the judge failed on its side; submit again";
    return v;
  }
  if (public_run) {
    v.stdout_excerpt = public_run->stdout_excerpt;
    v.stderr_excerpt = public_run->stderr_excerpt;
  }
  if (!full.first_failure) {  // failed before any case ran (e.g. an error at module level)
    v.message = words;
    if (public_run && public_run->verdict != Verdict::kAccepted && !public_run->first_failure) {
      v.message = public_run->message;
    }
    return v;
  }
  FailedCase f;
  f.index = full.first_failure->index;
  f.is_public = f.index >= 0 && static_cast<std::size_t>(f.index) < cases.cases.size() &&
                cases.cases[static_cast<std::size_t>(f.index)].is_public;
  v.message = words + " on case " + std::to_string(f.index + 1) + (f.is_public ? "" : " (hidden)");
  f.message = f.is_public ? words : words + " on a hidden case";
  if (f.is_public && public_run && public_run->first_failure &&
      FullIndexOfPublic(cases, public_run->first_failure->index) == f.index) {
    const FailedCase& p = *public_run->first_failure;
    f.name = p.name;
    f.args = p.args;
    f.expected = p.expected;
    f.actual = p.actual;
    f.message = p.message;
    f.input = CallText(cases, f.index);
    v.message += ": " + p.message;
  }
  v.first_failure = std::move(f);
  return v;
}

json VerdictToJson(const JudgeResult& v) {
  json failure = nullptr;
  if (v.first_failure) {
    const FailedCase& f = *v.first_failure;
    failure = {{"index", f.index},          {"public", f.is_public},        {"name", f.name},
               {"message", f.message},      {"args", Encoded(f.args)},      {"expected", Encoded(f.expected)},
               {"actual", Encoded(f.actual)}, {"expected_text", Literal(f.expected)},
               {"actual_text", Literal(f.actual)}, {"input", f.input}};
  }
  json results = json::array();
  for (const CaseResult& c : v.case_results) results.push_back({{"passed", c.passed}, {"public", c.is_public}});
  return {{"verdict", std::string(VerdictWireName(v.verdict))},
          {"message", v.message},
          {"tests_passed", v.tests_passed},
          {"tests_total", v.tests_total},
          {"cpu_time_ms", v.cpu_time.count()},
          {"wall_time_ms", v.wall_time.count()},
          {"memory_bytes", v.memory_bytes},
          {"first_failure", failure},
          {"case_results", results},
          {"stdout_excerpt", v.stdout_excerpt},
          {"stderr_excerpt", v.stderr_excerpt},
          {"compile_output", v.compile_output}};
}

Result<JudgeResult> VerdictFromJson(const json& j) {
  try {
    JudgeResult v;
    CLASH_ASSIGN_OR_RETURN(v.verdict, ParseVerdictWireName(j.at("verdict").get<std::string>()));
    v.message = j.at("message").get<std::string>();
    v.tests_passed = j.at("tests_passed").get<int>();
    v.tests_total = j.at("tests_total").get<int>();
    v.cpu_time = std::chrono::milliseconds(j.at("cpu_time_ms").get<std::int64_t>());
    v.wall_time = std::chrono::milliseconds(j.at("wall_time_ms").get<std::int64_t>());
    v.memory_bytes = j.at("memory_bytes").get<std::int64_t>();
    v.stdout_excerpt = j.at("stdout_excerpt").get<std::string>();
    v.stderr_excerpt = j.at("stderr_excerpt").get<std::string>();
    v.compile_output = j.at("compile_output").get<std::string>();
    for (const json& c : j.at("case_results")) {
      v.case_results.push_back(CaseResult{.passed = c.at("passed").get<bool>(), .is_public = c.at("public").get<bool>()});
    }
    const json& f = j.at("first_failure");
    if (!f.is_null()) {
      FailedCase fc;
      fc.index = f.at("index").get<int>();
      fc.is_public = f.at("public").get<bool>();
      fc.name = f.at("name").get<std::string>();
      fc.message = f.at("message").get<std::string>();
      fc.input = f.at("input").get<std::string>();
      auto text = [](const json& x) { return x.is_null() ? std::string() : x.dump(); };
      fc.args = text(f.at("args"));
      fc.expected = text(f.at("expected"));
      fc.actual = text(f.at("actual"));
      v.first_failure = std::move(fc);
    }
    return v;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("malformed verdict: ") + e.what());
  }
}

bool LenientBool(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() == 1.0;
  if (!v.is_string()) return false;
  std::string s = v.get<std::string>();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s == "1" || s == "true" || s == "yes" || s == "on";
}

}  // namespace clash::internal

namespace clash {

std::string_view SubmissionStatusName(SubmissionStatus status) {
  switch (status) {
    case SubmissionStatus::kCompleted: return "completed";
    case SubmissionStatus::kAlreadyCompleted: return "already_completed";
    case SubmissionStatus::kFailed: return "failed";
  }
  return "failed";
}

std::string EncodeSubmissionOutcome(const SubmissionOutcome& o) {
  using nlohmann::json;
  json j = {{"status", std::string(SubmissionStatusName(o.status))},
            {"level_slug", o.level_slug},
            {"xp_earned", o.xp_earned},
            {"stars", o.stars},
            {"best_stars", o.best_stars},
            {"next_level_slug", o.next_level_slug ? json(*o.next_level_slug) : json(nullptr)},
            {"total_xp", o.total_xp},
            {"certificate_issued", o.certificate_issued},
            {"verdict", o.verdict ? internal::VerdictToJson(*o.verdict) : json(nullptr)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<SubmissionOutcome> DecodeSubmissionOutcome(std::string_view text) {
  using nlohmann::json;
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Status::InvalidArgument("malformed submission outcome");
  try {
    SubmissionOutcome o;
    const std::string status = j.at("status").get<std::string>();
    if (status == "completed") {
      o.status = SubmissionStatus::kCompleted;
    } else if (status == "already_completed") {
      o.status = SubmissionStatus::kAlreadyCompleted;
    } else if (status == "failed") {
      o.status = SubmissionStatus::kFailed;
    } else {
      return Status::InvalidArgument("malformed submission outcome: status");
    }
    o.level_slug = j.at("level_slug").get<std::string>();
    o.xp_earned = j.at("xp_earned").get<std::int64_t>();
    o.stars = j.at("stars").get<int>();
    o.best_stars = j.at("best_stars").get<int>();
    if (!j.at("next_level_slug").is_null()) o.next_level_slug = j.at("next_level_slug").get<std::string>();
    o.total_xp = j.at("total_xp").get<std::int64_t>();
    o.certificate_issued = j.at("certificate_issued").get<bool>();
    if (!j.at("verdict").is_null()) {
      CLASH_ASSIGN_OR_RETURN(JudgeResult v, internal::VerdictFromJson(j.at("verdict")));
      o.verdict = std::move(v);
    }
    return o;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("malformed submission outcome: ") + e.what());
  }
}

}  // namespace clash
