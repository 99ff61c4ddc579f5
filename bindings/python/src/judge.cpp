// judge(): one submission through a process-wide sandbox judge, created on first use. The verdict
// comes back as a plain dict; errors (bad language, limits, no sandbox) as clash exceptions.
#include <pybind11/stl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "clash/judge.h"
#include "exceptions.h"

namespace py = pybind11;

namespace clash::python {
namespace {

#if CLASH_BINDINGS_WITH_JUDGE
// The process-wide judge: created lazily (a failed creation is retried by the next call). The atexit
// hook drops the global reference before the interpreter finalises; a run still in flight on another
// thread keeps the judge alive until it returns.
std::mutex g_judge_mu;
std::shared_ptr<Judge> g_judge;

Result<std::shared_ptr<Judge>> SharedJudge() {
  std::lock_guard lock(g_judge_mu);
  if (!g_judge) {
    Result<std::unique_ptr<Judge>> created = NewSandboxJudge(SandboxJudgeOptions{});
    if (!created.ok()) return created.status();
    g_judge = std::move(created).value();
  }
  return g_judge;
}

// The request in the JSON form the library's one decoder reads (ParseJudgeRequestJson), so the
// names and bounds of its fields are the HTTP route's.
Result<JudgeResult> RunOnSharedJudge(const std::string& request_json) {
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<Judge> judge, SharedJudge());
  CLASH_ASSIGN_OR_RETURN(JudgeRequest request, ParseJudgeRequestJson(request_json, judge->MaxLimits()));
  return judge->Run(request);  // Run() is safe for concurrent calls
}

void ShutdownJudge() {
  WithoutGil([] {
    std::shared_ptr<Judge> judge;
    {
      std::lock_guard lock(g_judge_mu);
      judge.swap(g_judge);
    }
    judge.reset();  // waits for the judge's threads unless a run elsewhere still holds it
  });
}

py::object FailureToDict(const std::optional<FailedCase>& f) {
  if (!f) return py::none();
  py::dict d;
  d["index"] = f->index;
  d["name"] = f->name;
  d["message"] = f->message;
  d["line"] = f->line;
  d["input"] = f->input;
  d["expected_output"] = f->expected_output;
  d["actual_output"] = f->actual_output;
  // Data cases: the encoded values as JSON data (level format encoding), None where absent.
  py::object loads = py::module_::import("json").attr("loads");
  auto encoded = [&loads](const std::string& text) { return text.empty() ? py::none() : loads(text); };
  d["public"] = f->is_public;
  d["args"] = encoded(f->args);
  d["expected"] = encoded(f->expected);
  d["actual"] = encoded(f->actual);
  return d;
}

py::dict ResultToDict(const JudgeResult& r) {
  py::dict d;
  d["verdict"] = std::string(VerdictName(r.verdict));
  d["message"] = r.message;
  d["first_failure"] = FailureToDict(r.first_failure);
  d["stderr_excerpt"] = r.stderr_excerpt;
  d["compile_output"] = r.compile_output;
  d["tests_passed"] = r.tests_passed;
  d["tests_total"] = r.tests_total;
  d["cpu_time_ms"] = r.cpu_time.count();
  d["wall_time_ms"] = r.wall_time.count();
  d["memory_bytes"] = r.memory_bytes;
  py::list cases;
  for (const CaseResult& c : r.case_results) {
    py::dict one;
    one["passed"] = c.passed;
    one["public"] = c.is_public;
    cases.append(one);
  }
  d["case_results"] = cases;
  d["stdout_excerpt"] = r.stdout_excerpt;
  return d;
}

py::dict Judged(const std::string& request_json) {
  return ResultToDict(Unwrap(WithoutGil([&] { return RunOnSharedJudge(request_json); })));
}
#else
// Without clash_judge nothing of judge.h beyond its plain structs may be used (nothing would link).
py::dict Judged(const std::string&) {
  ThrowStatus(Status::FailedPrecondition("this build has no judge (CLASH_WITH_JUDGE=OFF)"));
}
#endif

py::dict RunJudge(const std::string& language, const std::string& code, const py::object& tests,
                  const py::object& cases, const py::object& data_cases, const py::object& limits) {
  py::dict request;
  // cases.json as text or as the dict json.load() gives.
  request["data_cases"] = py::isinstance<py::str>(data_cases) ? py::module_::import("json").attr("loads")(data_cases)
                                                               : data_cases;
  request["language"] = language;
  request["source"] = code;
  request["test_code"] = tests;
  // (stdin, expected) tuples become the [stdin, expected] pairs of the JSON form.
  request["cases"] = cases.is_none() ? cases : py::list(py::module_::import("builtins").attr("map")(
                                                  py::module_::import("builtins").attr("list"), cases));
  request["limits"] = limits;
  std::string json;
  try {
    json = py::cast<std::string>(py::module_::import("json").attr("dumps")(request));
  } catch (const py::error_already_set& e) {  // not JSON-serialisable (e.g. an object as a limit)
    ThrowStatus(Status::InvalidArgument(std::string("judge: ") + e.what()));
  }
  return Judged(json);
}

}  // namespace

void RegisterJudge(py::module_& m) {
  m.def("judge", &RunJudge, py::arg("language"), py::arg("code"), py::arg("tests") = py::none(), py::kw_only(),
        py::arg("cases") = py::none(), py::arg("data_cases") = py::none(), py::arg("limits") = py::none(),
        "Judges `code` in the sandbox and returns the verdict as a dict.\n"
        "language: 'python3' or 'cpp17'. tests: test code (Python asserts) run after `code`; or "
        "cases: a list of (stdin, expected_stdout); or data_cases: a level's cases.json (text or "
        "dict), judged as data outside the player's process. limits: a dict of cpu_ms, wall_ms, "
        "memory_bytes, output_bytes, file_bytes, processes, open_files. The judge is created on "
        "first use; FailedPreconditionError if no sandbox can be set up (or the build has no judge).");
#if CLASH_BINDINGS_WITH_JUDGE
  m.attr("HAS_JUDGE") = true;
  py::module_::import("atexit").attr("register")(py::cpp_function(&ShutdownJudge));
#else
  m.attr("HAS_JUDGE") = false;
#endif
}

}  // namespace clash::python
