// The trusted Python prelude that runs inside a Python sandbox, and its protocol.
//
// The sandbox starts `python3 -I -B -c <runner>`; the runner imports what it needs and blocks on
// the control channel (fd 3) until the judge sends a job as JSON and shuts the channel down for
// writing. It then lowers the rlimits to the job's, reports {"event":"start"} with its own CPU use
// so far, compiles and runs the player's code, runs the test statements one by one (suite mode),
// and reports one {"event":"result"} line. Every line carries the job's nonce; lines without it
// (forged by the player's code, which shares the process) are ignored. A job without a result
// line (the code exited early, crashed, or was killed) is never accepted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clash/judge.h"

namespace clash::internal {

std::vector<std::string> PythonRunnerArgv(const std::string& python_path);

enum class PythonMode { kSuite, kStdin };

std::string EncodePythonJob(PythonMode mode, std::string_view source, std::string_view tests,
                            const JudgeLimits& limits, std::string_view nonce);

struct RunnerReport {
  bool started = false;
  std::int64_t base_cpu_ms = 0;   // interpreter start-up CPU before the player's code ran
  bool finished = false;
  // "ok", "wrong_answer", "runtime_error", "memory_limit", "compile_error", "bad_tests"
  std::string status;
  std::string message;
  int index = 0;
  int line = 0;
  std::string test;
  int passed = 0;
  int total = 0;
};

// Reads the runner's lines from the control channel bytes, keeping only those with `nonce`.
RunnerReport ParseRunnerReport(std::string_view control, std::string_view nonce);

}  // namespace clash::internal
