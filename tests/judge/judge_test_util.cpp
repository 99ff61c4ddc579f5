#include "judge_test_util.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

namespace clash::testing {

namespace {
PythonExecution g_mode = PythonExecution::kForkServer;

std::unique_ptr<Judge> NewJudgeOrAbort(PythonExecution mode) {
  SandboxJudgeOptions options;
  options.python_execution = mode;
  Result<std::unique_ptr<Judge>> j = NewSandboxJudge(options);
  if (!j.ok()) {
    ADD_FAILURE() << "sandbox judge unavailable: " << j.status();
    std::abort();
  }
  return std::move(j).value();
}
}  // namespace

Judge& SandboxJudgeForTests(PythonExecution mode) {
  if (mode == PythonExecution::kColdSandbox) {
    static std::unique_ptr<Judge> cold = NewJudgeOrAbort(mode);
    return *cold;
  }
  static std::unique_ptr<Judge> fork = NewJudgeOrAbort(mode);
  return *fork;
}

Judge& SandboxJudgeForTests() { return SandboxJudgeForTests(g_mode); }

void BothPythonPaths::SetUp() { g_mode = GetParam(); }
void BothPythonPaths::TearDown() { g_mode = PythonExecution::kForkServer; }

std::string PythonPathName(const ::testing::TestParamInfo<PythonExecution>& info) {
  return info.param == PythonExecution::kForkServer ? "ForkServer" : "ColdSandbox";
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

std::string Explain(const JudgeResult& r) {
  return r.message + "\n" + r.stderr_excerpt + (r.first_failure ? "\nactual: " + r.first_failure->actual_output : "");
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
  return WaitUntil([&] { return !HostProcessWithMarker(marker); });
}

}  // namespace clash::testing

namespace clash {
void PrintTo(PythonExecution mode, std::ostream* os) {
  *os << (mode == PythonExecution::kForkServer ? "kForkServer" : "kColdSandbox");
}
}  // namespace clash
