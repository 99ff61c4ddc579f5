// Shared helpers of the judge tests: one sandbox judge per test process, request builders.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "clash/judge.h"

namespace clash::testing {

// The process-wide sandbox judge of the current Python execution mode (created on first use; the
// test fails if it cannot be). The mode is kForkServer unless a BothPythonPaths test set it.
Judge& SandboxJudgeForTests();
// The process-wide sandbox judge of `mode`.
Judge& SandboxJudgeForTests(PythonExecution mode);

// Fixture of suites that must hold on both Python paths (the fork server and cold sandboxes):
// MustRun and SandboxJudgeForTests() use the parameter's judge.
class BothPythonPaths : public ::testing::TestWithParam<PythonExecution> {
 protected:
  void SetUp() override;
  void TearDown() override;
};
std::string PythonPathName(const ::testing::TestParamInfo<PythonExecution>& info);

}  // namespace clash::testing

namespace clash {
// gtest prints the parameter by name.
void PrintTo(PythonExecution mode, std::ostream* os);
}  // namespace clash

namespace clash::testing {

JudgeRequest PythonSuite(std::string source, std::string tests);
JudgeRequest PythonCases(std::string source, std::vector<IoCase> cases);
JudgeRequest CppCases(std::string source, std::vector<IoCase> cases);
// A python3 request with cases as data, from a cases.json text (the test fails if it is malformed).
JudgeRequest PythonData(std::string source, std::string_view cases_json);

// The message, stderr and actual output of `r`, to explain a failed expectation.
std::string Explain(const JudgeResult& r);

// Runs `request` on the shared judge; fails the test on a non-OK status.
JudgeResult MustRun(const JudgeRequest& request);

// Polls `condition` until it holds or `limit` has passed (a generous deadline, never a duration
// the test asserts); returns its last value.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::seconds limit = std::chrono::seconds(60));

// True if a process whose command line contains `marker` exists on the host.
bool HostProcessWithMarker(const std::string& marker);
// Waits (generously) for no process with `marker` to exist; returns true if none is left.
bool NoHostProcessWithMarker(const std::string& marker);

}  // namespace clash::testing
