// Python submissions: a warm sandbox per execution, the runner protocol, the verdict.
#include <algorithm>

#include "judge/case_json.h"
#include "judge/data_check.h"
#include "judge/output_compare.h"
#include "judge/python_runner.h"
#include "judge/sandbox_judge.h"

namespace clash::internal {
namespace {

constexpr std::int64_t kControlCap = 64 << 10;

// Decides the verdict of one Python execution. Returns true if the run is over (a failure);
// false if it passed, in which case `out` of `d` may still have to be compared.
bool ClassifyPython(const DriveResult& d, const RunnerReport& rep, const Usage& u,
                    const JudgeLimits& limits, int case_index, JudgeResult& r) {
  if (ClassifyLimits(d, u, limits, r)) return true;
  if (!rep.started) {
    r.verdict = Verdict::kInternalError;
    r.message = "internal error: the Python sandbox did not start";
    r.stderr_excerpt = Tail(d.err, 4096);
    return true;
  }
  if (!rep.finished) {
    int sig = TerminatingSignal(d);
    SetRuntimeError(d, sig == 0 && ExitCode(d) == 0 ? "the program exited before its tests finished" : "", r);
    return true;
  }
  if (rep.status == "ok") return false;
  r.tests_passed = rep.passed;
  if (rep.status == "wrong_answer") {
    r.verdict = Verdict::kWrongAnswer;
    FailedCase f;
    f.index = rep.index;
    f.name = rep.test;
    f.line = rep.line;
    f.message = rep.message.empty() ? "assertion failed: " + rep.test : rep.message;
    r.message = "wrong answer: " + rep.test;
    r.first_failure = std::move(f);
  } else if (rep.status == "memory_limit") {
    r.verdict = Verdict::kMemoryLimit;
    r.message = "memory limit exceeded (" + std::to_string(limits.memory_bytes >> 20) + " MiB)";
    r.stderr_excerpt = Tail(d.err, 4096);
  } else if (rep.status == "compile_error") {
    r.verdict = Verdict::kCompileError;
    r.message = "compile error";
    r.compile_output = Truncate(rep.message, 16 << 10);
  } else if (rep.status == "bad_tests") {
    r.verdict = Verdict::kInternalError;
    r.message = "internal error: the test code does not parse: " + rep.message;
  } else {
    SetRuntimeError(d, rep.message, r);
    if (r.stderr_excerpt.empty()) r.stderr_excerpt = Tail(rep.message, 4096);
  }
  (void)case_index;
  return true;
}

// A data-mode execution: the reported cases first (in order), then how the execution ended.
JudgeResult ScoreDataRun(const DataCases& cases, const DriveResult& d, const RunnerReport& rep, const Usage& u,
                         const JudgeLimits& limits, JudgeResult& r) {
  r.stderr_excerpt = Tail(d.err, 4096);
  if (ScoreDataCases(cases, rep, r)) return r;
  if (ClassifyPython(d, rep, u, limits, 0, r)) {
    NoteRunningCase(cases, rep.cases.size(), r);
    return r;
  }
  if (rep.cases.size() != cases.cases.size()) {
    r.verdict = Verdict::kRuntimeError;
    r.message = "runtime error: the program wrote to the judge's result channel";
    return r;
  }
  SetAccepted(r);
  return r;
}

}  // namespace

Result<std::unique_ptr<SandboxProcess>> SandboxJudge::SpawnPython() {
  SpawnSpec spec;
  spec.argv = PythonRunnerArgv(options_.python_path);
  spec.limits = options_.max_limits;  // the runner lowers them to the job's
  spec.limits.file_bytes = JudgeLimits{}.file_bytes;
  return launcher_->Spawn(spec);
}

Result<std::unique_ptr<SandboxProcess>> SandboxJudge::AcquirePython() {
  std::unique_ptr<SandboxProcess> warm = python_pool_->TryTake();
  if (warm) return warm;
  return SpawnPython();
}

Result<JudgeResult> SandboxJudge::RunPython(const JudgeRequest& request) {
  JudgeResult r;
  const JudgeLimits& lim = request.limits;
  const bool data = request.data_cases.has_value();
  const bool suite = !data && request.cases.empty();
  const PythonMode mode = data ? PythonMode::kData : suite ? PythonMode::kSuite : PythonMode::kStdin;
  // Data cases: the harness gets the arguments only; the expected values stay here.
  const std::string tests = data ? HarnessCasesJson(*request.data_cases) : request.test_code;
  const size_t runs = suite || data ? 1 : request.cases.size();
  r.tests_total = suite ? 0 : static_cast<int>(runs);
  for (size_t i = 0; i < runs; ++i) {
    const std::string nonce = options_.rng->HexToken(16);
    const std::string job = EncodePythonJob(mode, request.source, tests, lim, nonce);
    Result<std::unique_ptr<SandboxProcess>> proc = AcquirePython();
    if (!proc.ok()) return proc.status();
    DriveSpec spec;
    spec.control_input = job;
    spec.input = mode == PythonMode::kStdin ? std::string_view(request.cases[i].input) : std::string_view();
    spec.output_cap = lim.output_bytes;
    spec.control_cap = data ? std::max(kControlCap, lim.output_bytes) : kControlCap;
    spec.wall = lim.wall_time;
    DriveResult d = Drive(**proc, spec, *options_.clock);
    proc->reset();
    RunnerReport rep = ParseRunnerReport(d.control, nonce);
    Usage u = UsageOf(d, rep.base_cpu_ms);
    Accumulate(r, u);
    if (mode != PythonMode::kStdin) r.stdout_excerpt = Truncate(d.out, 4096);
    if (data) return ScoreDataRun(*request.data_cases, d, rep, u, lim, r);
    if (suite) r.tests_total = rep.total;
    if (ClassifyPython(d, rep, u, lim, static_cast<int>(i), r)) {
      if (!suite) {
        r.tests_passed = static_cast<int>(i);
        if (r.verdict == Verdict::kRuntimeError || r.verdict == Verdict::kTimeLimit ||
            r.verdict == Verdict::kMemoryLimit || r.verdict == Verdict::kOutputLimit) {
          r.message += " (case " + std::to_string(i + 1) + ")";
        }
      }
      return r;
    }
    if (suite) {
      r.tests_passed = rep.passed;
      continue;
    }
    if (ScoreExecution(request.cases, i, d.out, r)) return r;
  }
  SetAccepted(r);
  return r;
}

}  // namespace clash::internal
