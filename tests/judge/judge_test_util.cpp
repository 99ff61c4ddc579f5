#include "judge_test_util.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

namespace clash::testing {

Judge& SandboxJudgeForTests() {
  static std::unique_ptr<Judge> judge = [] {
    Result<std::unique_ptr<Judge>> j = NewSandboxJudge({});
    if (!j.ok()) {
      ADD_FAILURE() << "sandbox judge unavailable: " << j.status();
      std::abort();
    }
    return std::move(j).value();
  }();
  return *judge;
}

JudgeRequest PythonSuite(std::string source, std::string tests) {
  JudgeRequest r;
  r.language = "python3";
  r.source = std::move(source);
  r.test_code = std::move(tests);
  return r;
}

JudgeRequest PythonCases(std::string source, std::vector<IoCase> cases) {
  JudgeRequest r;
  r.language = "python3";
  r.source = std::move(source);
  r.cases = std::move(cases);
  return r;
}

JudgeRequest CppCases(std::string source, std::vector<IoCase> cases) {
  JudgeRequest r;
  r.language = "cpp17";
  r.source = std::move(source);
  r.cases = std::move(cases);
  return r;
}

JudgeRequest PythonData(std::string source, std::string_view cases_json) {
  JudgeRequest r;
  r.language = "python3";
  r.source = std::move(source);
  Result<DataCases> cases = ParseCasesJson(cases_json);
  EXPECT_TRUE(cases.ok()) << cases.status();
  if (cases.ok()) r.data_cases = std::move(cases).value();
  return r;
}

JudgeResult MustRun(const JudgeRequest& request) {
  Result<JudgeResult> r = SandboxJudgeForTests().Run(request);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : JudgeResult{};
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

bool HostProcessWithMarker(const std::string& marker) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str().find(marker) != std::string::npos) return true;
  }
  return false;
}

bool NoHostProcessWithMarker(const std::string& marker) {
  for (int i = 0; i < 60; ++i) {
    if (!HostProcessWithMarker(marker)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace clash::testing
