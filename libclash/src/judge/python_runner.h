// The trusted Python prelude that runs inside a Python sandbox, and its protocol.
//
// The sandbox starts `python3 -I -B -c <runner>`; the runner imports what it needs and blocks on
// the control channel (fd 3) until the judge sends a job as JSON and shuts the channel down for
// writing. It then lowers the rlimits to the job's, reports {"event":"start"} with its own CPU use
// so far, compiles and runs the player's code, runs the test statements one by one (suite mode)
// or calls the entry once per data case, reporting one {"event":"case"} line per case with the
// encoded result (data mode), and reports one {"event":"result"} line. Every line carries the
// job's nonce; lines without it are ignored. A job without a result line (the code exited early,
// crashed, or was killed) is never accepted. The player's code shares the process and can write
// to the channel: case lines out of order or repeated mark the report corrupt (never accepted),
// and a forged case line can only claim a result, which the judge still compares with expected
// values that never enter this process.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clash/judge.h"
#include "clash/judge_cases.h"

namespace clash::internal {

// The harness's Python source: definitions only (_clash_job(fd) runs one job read from `fd`).
const char* PythonHarness();

// The cold runner: an interpreter that defines the harness and runs one job from fd 3.
std::vector<std::string> PythonRunnerArgv(const std::string& python_path);

// kSuite: `tests` are statements run after the code. kStdin: the code reads stdin. kData: `tests`
// is HarnessCasesJson (arguments only); the harness calls the entry per case and reports results.
enum class PythonMode { kSuite, kStdin, kData };

std::string EncodePythonJob(PythonMode mode, std::string_view source, std::string_view tests,
                            const JudgeLimits& limits, std::string_view nonce);

// One data case as the harness reported it.
struct CaseReport {
  bool returned = false;     // `value` holds the encoded result (class mode: a list per op)
  CaseValue value;           // may hold Raises(name) where a call raised
  std::string error;         // the first raised exception, "Name: message"
  std::string unencodable;   // the result could not be encoded: why ("type MyInt")
  int op = 0;                // class mode: the op whose result could not be encoded
};

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
  std::vector<CaseReport> cases;  // data mode, in order
  bool corrupt = false;           // a case record out of order, repeated, late or malformed
};

// Reads the runner's lines from the control channel bytes, keeping only those with `nonce`.
RunnerReport ParseRunnerReport(std::string_view control, std::string_view nonce);

}  // namespace clash::internal
