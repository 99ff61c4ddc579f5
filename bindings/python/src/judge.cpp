// Engine.judge(): one submission through the engine's judge pool (Engine::judge(), started on first
// use), decoded by the library's one judge request decoder. The verdict comes back as a plain dict;
// errors (bad language, limits, no sandbox) as clash exceptions.
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "clash/engine.h"
#include "clash/judge.h"
#include "engine_handle.h"
#include "exceptions.h"

namespace py = pybind11;

namespace clash::python {
namespace {

#if CLASH_BINDINGS_WITH_JUDGE
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

// The request in the JSON form the library's one decoder reads (ParseJudgeRequestJson), so the
// names and bounds of its fields are the HTTP route's; judged on the engine's pool.
py::dict Judged(EngineHandle& h, const std::string& request_json) {
  return ResultToDict(Unwrap(h.Call([&](Engine& e) -> Result<JudgeResult> {
    CLASH_ASSIGN_OR_RETURN(JudgePool * pool, e.judge());
    CLASH_ASSIGN_OR_RETURN(JudgeRequest request, ParseJudgeRequestJson(request_json, pool->MaxLimits()));
    return pool->Run(std::move(request));
  })));
}
#else
// Without clash_judge nothing of judge.h beyond its plain structs may be used (nothing would link).
py::dict Judged(EngineHandle&, const std::string&) {
  ThrowStatus(Status::FailedPrecondition("this build has no judge (CLASH_WITH_JUDGE=OFF)"));
}
#endif

py::dict RunJudge(EngineHandle& h, const std::string& language, const std::string& code, const py::object& tests,
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
  return Judged(h, json);
}

}  // namespace

void AddJudgeMethod(EngineClass& engine) {
  engine.def("judge", &RunJudge, py::arg("language"), py::arg("code"), py::arg("tests") = py::none(),
             py::kw_only(), py::arg("cases") = py::none(), py::arg("data_cases") = py::none(),
             py::arg("limits") = py::none(),
             "Judges `code` in the sandbox on this engine's judge pool and returns the verdict as a dict.\n"
             "language: 'python3' or 'cpp17'. tests: test code (Python asserts) run after `code`; or "
             "cases: a list of (stdin, expected_stdout); or data_cases: a level's cases.json (text or "
             "dict), judged as data outside the player's process. limits: a dict of cpu_ms, wall_ms, "
             "memory_bytes, output_bytes, file_bytes, processes, open_files. The pool starts on first use "
             "(open(judge=False) turns it off); FailedPreconditionError if no sandbox can be set up (or "
             "the build has no judge), UnavailableError if the judge is disabled or its queue is full.");
}

void RegisterJudge(py::module_& m) {
#if CLASH_BINDINGS_WITH_JUDGE
  m.attr("HAS_JUDGE") = true;
#else
  m.attr("HAS_JUDGE") = false;
#endif
}

}  // namespace clash::python
