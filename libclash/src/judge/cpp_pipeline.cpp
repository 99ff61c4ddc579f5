// C++ submissions: compile in one sandbox (the binary comes back over the control channel, so no
// host directory is ever shared with the sandbox), run each execution in a fresh one.
#include <signal.h>

#include <regex>

#include "judge/output_compare.h"
#include "judge/sandbox_judge.h"

namespace clash::internal {
namespace {

constexpr std::int64_t kMaxBinary = 64LL << 20;

int CountLines(std::string_view s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// "prog: main.cpp:12: int main(): Assertion `f(2) == 4' failed." -> line 12, "f(2) == 4".
bool ParseAssertion(const std::string& err, int& line, std::string& expr) {
  static const std::regex re(R"(main\.cpp:(\d+): [^\n]*Assertion [`'](.*)' failed\.)");
  std::smatch m;
  if (!std::regex_search(err, m, re)) return false;
  line = std::stoi(m[1].str());
  expr = m[2].str();
  return true;
}

}  // namespace

Result<JudgeResult> SandboxJudge::RunCpp(const JudgeRequest& request) {
  JudgeResult r;
  const JudgeLimits& lim = request.limits;
  const bool suite = !request.test_code.empty();
  const std::string source = suite ? request.source + "\n" + request.test_code + "\n" : request.source;
  const int source_lines = CountLines(request.source) + 1;

  // Compile.
  const JudgeLimits& cl = options_.compile_limits;
  SpawnSpec compile;
  compile.limits = cl;
  compile.files = {{"/work/main.cpp", source, false}};
  compile.nproc_inside = cl.processes;
  compile.argv = {"/bin/sh", "-c",
                  options_.gxx_path +
                      " -std=c++17 -O2 -pipe -fdiagnostics-color=never -fmax-errors=20 -o prog "
                      "main.cpp </dev/null && cat prog >&3"};
  CLASH_ASSIGN_OR_RETURN(auto cproc, launcher_->Spawn(compile));
  DriveSpec cspec;
  cspec.output_cap = cl.output_bytes;
  cspec.control_cap = kMaxBinary;
  cspec.wall = cl.wall_time;
  DriveResult c = Drive(*cproc, cspec, *options_.clock);
  cproc.reset();
  r.compile_output = Truncate(c.err + c.out, 16 << 10);
  Usage cu = UsageOf(c);
  if (c.timed_out || TerminatingSignal(c) == SIGXCPU || cu.cpu > cl.cpu_time) {
    r.verdict = Verdict::kCompileError;
    r.message = "compile error: compilation exceeded the time limit";
    return r;
  }
  if (ExitCode(c) != 0 || c.control.empty() || c.control_exceeded) {
    r.verdict = Verdict::kCompileError;
    r.message = c.control_exceeded ? "compile error: the binary is too large" : "compile error";
    return r;
  }
  const std::string binary = std::move(c.control);

  // Run.
  const size_t runs = request.cases.empty() ? 1 : request.cases.size();
  r.tests_total = request.cases.empty() ? 1 : static_cast<int>(runs);
  for (size_t i = 0; i < runs; ++i) {
    SpawnSpec run;
    run.limits = lim;
    run.files = {{"/work/prog", binary, true}};
    run.nproc_inside = lim.processes;
    run.argv = {"/work/prog"};
    CLASH_ASSIGN_OR_RETURN(auto proc, launcher_->Spawn(run));
    DriveSpec spec;
    spec.input = request.cases.empty() ? std::string_view() : std::string_view(request.cases[i].input);
    spec.output_cap = lim.output_bytes;
    spec.control_cap = 0;
    spec.wall = lim.wall_time;
    DriveResult d = Drive(*proc, spec, *options_.clock);
    proc.reset();
    Usage u = UsageOf(d);
    Accumulate(r, u);
    const std::string case_suffix = request.cases.empty() ? "" : " (case " + std::to_string(i + 1) + ")";
    if (ClassifyLimits(d, u, lim, r)) {
      r.message += case_suffix;
      return r;
    }
    int line = 0;
    std::string expr;
    if (TerminatingSignal(d) == SIGABRT && suite && ParseAssertion(d.err, line, expr)) {
      r.verdict = Verdict::kWrongAnswer;
      FailedCase f;
      f.name = expr;
      f.line = line > source_lines ? line - source_lines : line;
      f.message = "assertion failed: " + expr;
      r.message = "wrong answer: assert(" + expr + ")";
      r.first_failure = std::move(f);
      return r;
    }
    if (TerminatingSignal(d) != 0 || ExitCode(d) != 0) {
      SetRuntimeError(d, "", r);
      r.message += case_suffix;
      return r;
    }
    if (ScoreExecution(request.cases, i, d.out, r)) return r;
  }
  SetAccepted(r);
  return r;
}

}  // namespace clash::internal
