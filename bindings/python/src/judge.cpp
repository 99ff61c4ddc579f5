// Engine.judge(): one submission through the engine's judge pool (Engine::judge(), started on first
// use). The verdict comes back as a plain dict; errors (bad language, limits, no sandbox) as clash
// exceptions.
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
#include "clash/engine.h"
#include "clash/judge.h"
#include "engine_handle.h"
#include "exceptions.h"

namespace py = pybind11;

namespace clash::python {
namespace {

using Case = std::pair<std::string, std::string>;  // (stdin, expected stdout)

// limits: {"cpu_time_ms", "wall_time_ms", "memory_bytes", "output_bytes", "file_bytes",
// "processes", "open_files"}; missing keys keep the JudgeLimits defaults.
JudgeLimits ParseLimits(const py::dict& d) {
  JudgeLimits limits;
  for (auto [key, value] : d) {
    const std::string k = py::cast<std::string>(key);
    const std::int64_t v = py::cast<std::int64_t>(value);
    if (k == "cpu_time_ms") limits.cpu_time = std::chrono::milliseconds(v);
    else if (k == "wall_time_ms") limits.wall_time = std::chrono::milliseconds(v);
    else if (k == "memory_bytes") limits.memory_bytes = v;
    else if (k == "output_bytes") limits.output_bytes = v;
    else if (k == "file_bytes") limits.file_bytes = v;
    else if (k == "processes") limits.processes = static_cast<int>(v);
    else if (k == "open_files") limits.open_files = static_cast<int>(v);
    else ThrowStatus(Status::InvalidArgument("unknown judge limit '" + k + "'"));
  }
  return limits;
}

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
  return d;
}

py::dict Judged(EngineHandle& h, JudgeRequest request) {
  return ResultToDict(Unwrap(h.Call([&](Engine& e) -> Result<JudgeResult> {
    CLASH_ASSIGN_OR_RETURN(JudgePool * pool, e.judge());
    return pool->Run(std::move(request));
  })));
}
#else
// Without clash_judge nothing of judge.h beyond its plain structs may be used (nothing would link).
py::dict Judged(EngineHandle&, const JudgeRequest&) {
  ThrowStatus(Status::FailedPrecondition("this build has no judge (CLASH_WITH_JUDGE=OFF)"));
}
#endif

py::dict RunJudge(EngineHandle& h, const std::string& language, const std::string& code,
                  const std::optional<std::string>& tests, const std::optional<std::vector<Case>>& cases,
                  const std::optional<py::dict>& limits) {
  JudgeRequest request;
  request.language = language;
  request.source = code;
  if (tests) request.test_code = *tests;
  if (cases) {
    for (const auto& [input, expected] : *cases) request.cases.push_back(IoCase{"", input, expected});
  }
  if (limits) request.limits = ParseLimits(*limits);
  return Judged(h, std::move(request));
}

}  // namespace

void AddJudgeMethod(EngineClass& engine) {
  engine.def("judge", &RunJudge, py::arg("language"), py::arg("code"), py::arg("tests") = py::none(),
             py::kw_only(), py::arg("cases") = py::none(), py::arg("limits") = py::none(),
             "Judges `code` in the sandbox on this engine's judge pool and returns the verdict as a dict.\n"
             "language: 'python3' or 'cpp17'. tests: test code (Python asserts) run after `code`; or "
             "cases: a list of (stdin, expected_stdout). limits: a dict of cpu_time_ms, wall_time_ms, "
             "memory_bytes, output_bytes, file_bytes, processes, open_files. The pool starts on first "
             "use (open(judge=False) turns it off); FailedPreconditionError if no sandbox can be set "
             "up (or the build has no judge), UnavailableError if the judge is disabled or its queue is "
             "full.");
}

void RegisterJudge(py::module_& m) {
#if CLASH_BINDINGS_WITH_JUDGE
  m.attr("HAS_JUDGE") = true;
#else
  m.attr("HAS_JUDGE") = false;
#endif
}

}  // namespace clash::python
