// Shared helpers of the judge tests: one sandbox judge per test process, request builders.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/judge.h"

namespace clash::testing {

// The process-wide sandbox judge (created on first use; the test fails if it cannot be).
Judge& SandboxJudgeForTests();

JudgeRequest PythonSuite(std::string source, std::string tests);
JudgeRequest PythonCases(std::string source, std::vector<IoCase> cases);
JudgeRequest CppCases(std::string source, std::vector<IoCase> cases);
// A python3 request with cases as data, from a cases.json text (the test fails if it is malformed).
JudgeRequest PythonData(std::string source, std::string_view cases_json);

// Runs `request` on the shared judge; fails the test on a non-OK status.
JudgeResult MustRun(const JudgeRequest& request);

// Polls `condition` until it holds or `limit` has passed (a generous deadline, never a duration
// the test asserts); returns its last value.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::seconds limit = std::chrono::seconds(60));

// True if a process whose command line contains `marker` exists on the host.
bool HostProcessWithMarker(const std::string& marker);
// Waits up to 3 s for no process with `marker` to exist; returns true if none is left.
bool NoHostProcessWithMarker(const std::string& marker);

}  // namespace clash::testing
