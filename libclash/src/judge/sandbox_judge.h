// The sandbox-backed Judge: validation, the Python and C++ pipelines.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "clash/judge.h"
#include "judge/classify.h"
#include "judge/process_io.h"
#include "judge/sandbox.h"
#include "judge/warm_pool.h"

namespace clash::internal {

class SandboxJudge final : public Judge {
 public:
  static Result<std::unique_ptr<Judge>> Create(SandboxJudgeOptions options);
  ~SandboxJudge() override;

  Result<JudgeResult> Run(const JudgeRequest& request) override;
  std::vector<std::string> Languages() const override { return {"cpp17", "python3"}; }
  JudgeLimits MaxLimits() const override { return options_.max_limits; }

 private:
  explicit SandboxJudge(SandboxJudgeOptions options) : options_(std::move(options)) {}
  Status Validate(const JudgeRequest& request) const;
  Status SelfTest();

  // Python (python_pipeline.cpp).
  Result<std::unique_ptr<SandboxProcess>> SpawnPython();
  Result<std::unique_ptr<SandboxProcess>> AcquirePython();
  Result<JudgeResult> RunPython(const JudgeRequest& request);

  // C++ (cpp_pipeline.cpp).
  Result<JudgeResult> RunCpp(const JudgeRequest& request);

  SandboxJudgeOptions options_;
  std::unique_ptr<SandboxLauncher> launcher_;
  std::unique_ptr<WarmPool> python_pool_;
};

}  // namespace clash::internal
