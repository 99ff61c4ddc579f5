// Turning how a sandboxed execution ended into a verdict.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clash/judge.h"
#include "judge/process_io.h"

namespace clash::internal {

// What one execution cost. cpu excludes `base_cpu_ms` (interpreter start-up before the player's
// code, reported by the Python runner).
struct Usage {
  std::chrono::milliseconds cpu{0};
  std::chrono::milliseconds wall{0};
  std::int64_t memory_bytes = 0;
};
Usage UsageOf(const DriveResult& d, std::int64_t base_cpu_ms = 0);

// Adds `u` to the totals of `r` (cpu and wall summed, memory maxed).
void Accumulate(JudgeResult& r, const Usage& u);

// bwrap exits with the command's exit code, or 128 + signal. Returns the signal or 0.
// The command's own wait status when sandbox-init reported it, else bwrap's.
int TerminatingSignal(const DriveResult& d);
int ExitCode(const DriveResult& d);

// The verdicts decided by the judge's own observation, whatever the program claimed: output cap,
// wall-clock limit, CPU limit (signal or measured), memory (allocation failure in stderr with a
// crash). Returns true and fills verdict/message/stderr_excerpt if one applies.
bool ClassifyLimits(const DriveResult& d, const Usage& u, const JudgeLimits& limits, JudgeResult& r);

// A crash or non-zero exit: kRuntimeError with the stderr tail.
void SetRuntimeError(const DriveResult& d, std::string message, JudgeResult& r);

// Scores execution `index` that ended cleanly and printed `out`. With stdin `cases`, an output
// that does not match case `index` is kWrongAnswer with the case's name, input, expected and actual
// output (each cut to 4 KiB) as the first failure, and ends the run (returns true). Otherwise the
// execution counts as passed (tests_passed = index + 1) and the run goes on (returns false).
bool ScoreExecution(const std::vector<IoCase>& cases, size_t index, std::string_view out, JudgeResult& r);

// Every execution passed.
void SetAccepted(JudgeResult& r);

std::string FormatMs(std::chrono::milliseconds ms);

}  // namespace clash::internal
