#include "judge/classify.h"

#include <signal.h>
#include <sys/wait.h>

#include <cstring>

#include "judge/output_compare.h"

namespace clash::internal {
namespace {

constexpr size_t kStderrExcerpt = 4096;

bool Contains(const std::string& hay, const char* needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

Usage UsageOf(const DriveResult& d, std::int64_t base_cpu_ms) {
  Usage u;
  // Without sandbox-init's report (the sandbox was killed) only the wall time is known.
  std::int64_t us = d.command.known ? d.command.cpu_us : 0;
  u.cpu = std::chrono::milliseconds(std::max<std::int64_t>(0, us / 1000 - base_cpu_ms));
  u.wall = std::chrono::duration_cast<std::chrono::milliseconds>(d.wall);
  u.memory_bytes = d.command.known ? d.command.max_rss_kib * 1024 : 0;
  return u;
}

void Accumulate(JudgeResult& r, const Usage& u) {
  r.cpu_time += u.cpu;
  r.wall_time += u.wall;
  r.memory_bytes = std::max(r.memory_bytes, u.memory_bytes);
}

int TerminatingSignal(const DriveResult& d) {
  if (d.command.known) return WIFSIGNALED(d.command.wait_status) ? WTERMSIG(d.command.wait_status) : 0;
  const int st = d.exit.wait_status;
  if (WIFSIGNALED(st)) return WTERMSIG(st);
  if (WIFEXITED(st) && WEXITSTATUS(st) > 128) return WEXITSTATUS(st) - 128;
  return 0;
}

int ExitCode(const DriveResult& d) {
  const int st = d.command.known ? d.command.wait_status : d.exit.wait_status;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string FormatMs(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

bool ClassifyLimits(const DriveResult& d, const Usage& u, const JudgeLimits& limits, JudgeResult& r) {
  if (d.output_exceeded || d.control_exceeded) {
    r.verdict = Verdict::kOutputLimit;
    r.message = "output limit exceeded (" + std::to_string(limits.output_bytes) + " bytes)";
    return true;
  }
  if (d.timed_out) {
    r.verdict = Verdict::kTimeLimit;
    r.message = "time limit exceeded (" + FormatMs(limits.wall_time) + " wall clock)";
    return true;
  }
  int sig = TerminatingSignal(d);
  if (sig == SIGXCPU || (sig == SIGKILL && u.cpu >= limits.cpu_time) || u.cpu > limits.cpu_time) {
    r.verdict = Verdict::kTimeLimit;
    r.message = "time limit exceeded (" + FormatMs(limits.cpu_time) + " cpu)";
    return true;
  }
  bool crashed = sig != 0 || ExitCode(d) != 0;
  if (crashed && (Contains(d.err, "MemoryError") || Contains(d.err, "std::bad_alloc") ||
                  Contains(d.err, "Cannot allocate memory") || Contains(d.err, "out of memory"))) {
    r.verdict = Verdict::kMemoryLimit;
    r.message = "memory limit exceeded (" + std::to_string(limits.memory_bytes >> 20) + " MiB)";
    r.stderr_excerpt = Tail(d.err, kStderrExcerpt);
    return true;
  }
  return false;
}

void SetRuntimeError(const DriveResult& d, std::string message, JudgeResult& r) {
  r.verdict = Verdict::kRuntimeError;
  if (message.empty()) {
    int sig = TerminatingSignal(d);
    if (sig != 0) {
      const char* name = sigabbrev_np(sig);
      message = std::string("killed by signal SIG") + (name != nullptr ? name : std::to_string(sig).c_str());
    } else {
      message = "exit code " + std::to_string(ExitCode(d));
    }
  }
  r.message = "runtime error: " + message;
  r.stderr_excerpt = Tail(d.err, kStderrExcerpt);
}

bool ScoreExecution(const std::vector<IoCase>& cases, size_t index, std::string_view out, JudgeResult& r) {
  if (index < cases.size() && !OutputMatches(out, cases[index].expected_output)) {
    const IoCase& c = cases[index];
    FailedCase f;
    f.index = static_cast<int>(index);
    f.name = c.name.empty() ? "case " + std::to_string(index + 1) : c.name;
    f.input = Truncate(c.input, 4096);
    f.expected_output = Truncate(c.expected_output, 4096);
    f.actual_output = Truncate(out, 4096);
    f.message = "expected " + Truncate(NormalizeOutput(c.expected_output), 200) + ", got " +
                Truncate(NormalizeOutput(out), 200);
    r.verdict = Verdict::kWrongAnswer;
    r.message = "wrong answer on " + f.name;
    r.first_failure = std::move(f);
    return true;
  }
  r.tests_passed = static_cast<int>(index) + 1;
  return false;
}

void SetAccepted(JudgeResult& r) {
  r.verdict = Verdict::kAccepted;
  r.message = "accepted";
}

}  // namespace clash::internal
