// The sandbox-backed Judge: validation, the Python and C++ pipelines.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "clash/judge.h"
#include "judge/classify.h"
#include "judge/fork_server.h"
#include "judge/process_io.h"
#include "judge/sandbox.h"
#include "judge/warm_pool.h"

namespace clash::internal {

class SandboxJudge final : public Judge {
 public:
  static Result<std::unique_ptr<Judge>> Create(SandboxJudgeOptions options);
  ~SandboxJudge() override;

  Result<JudgeResult> Run(const JudgeRequest& request) override;
  std::vector<std::string> Languages() const override;
  JudgeLimits MaxLimits() const override { return options_.max_limits; }

 private:
  explicit SandboxJudge(SandboxJudgeOptions options) : options_(std::move(options)) {}
  Status Validate(const JudgeRequest& request) const;
  Status SelfTest();
  Status SelfTestForkServer();

  // Python (python_pipeline.cpp): one execution through the fork server or a cold sandbox.
  Result<std::unique_ptr<SandboxProcess>> SpawnPython();
  Result<DriveResult> ExecutePython(const DriveSpec& spec, std::int64_t file_bytes, std::string_view nonce);
  Result<JudgeResult> RunPython(const JudgeRequest& request);

  // C++ (cpp_pipeline.cpp) and JavaScript (javascript_pipeline.cpp).
  Result<JudgeResult> RunCpp(const JudgeRequest& request);
  Result<JudgeResult> RunJavaScript(const JudgeRequest& request);
  // Runs `spawn(i)` once per stdin case (once without cases), each in a fresh cold sandbox, and
  // scores it: the judge's limits first, then `ended` (a language's own verdicts from how the
  // program ended; true if it decided), then crashes, then the output. Accepted if all pass.
  Result<JudgeResult> RunEachCase(const JudgeRequest& request, const std::function<SpawnSpec(size_t)>& spawn,
                                  JudgeResult r, const std::function<bool(const DriveResult&, JudgeResult&)>& ended);

  SandboxJudgeOptions options_;
  std::unique_ptr<SandboxLauncher> launcher_;
  std::unique_ptr<IdlePool<SandboxProcess>> python_pool_;  // kColdSandbox
  std::unique_ptr<ZygotePool> zygotes_;    // kForkServer

 public:
  // For tests (the fork server's counters and idle zygotes); null pool: zeros and none.
  ForkServerStats fork_server_stats() const { return zygotes_ ? zygotes_->Stats() : ForkServerStats{}; }
  std::vector<pid_t> idle_zygote_pids() const { return zygotes_ ? zygotes_->IdleSandboxPidsForTests() : std::vector<pid_t>{}; }
};

}  // namespace clash::internal
