// Judge gateways: over a JudgePool, or owning a sandbox judge of their own. Without the judge in
// the build both answer FailedPrecondition.
#include "clash/judge_gateway.h"

#include <future>

#include "engine/judge_gateway_internal.h"

namespace clash {

Result<JudgeResult> JudgeGateway::RunAndWait(JudgeRequest request) {
  auto promise = std::make_shared<std::promise<Result<JudgeResult>>>();
  std::future<Result<JudgeResult>> future = promise->get_future();
  CLASH_RETURN_IF_ERROR(Submit(std::move(request), [promise](Result<JudgeResult> r) { promise->set_value(std::move(r)); }));
  return future.get();
}

namespace {

#if CLASH_WITH_JUDGE
// The pool comes from `get` on every call: the engine starts its pool on first use.
class PoolGateway final : public JudgeGateway {
 public:
  PoolGateway(std::function<Result<JudgePool*>()> get, int workers) : get_(std::move(get)), workers_(workers) {}
  Status Submit(JudgeRequest request, Callback done) override {
    CLASH_ASSIGN_OR_RETURN(JudgePool * pool, get_());
    return pool->Submit(std::move(request), std::move(done));
  }
  bool Busy() override {
    Result<JudgePool*> pool = get_();
    if (!pool.ok()) return false;
    JudgePoolStats s = (*pool)->Stats();
    return s.queued > 0 || s.running >= workers_;
  }
  JudgeLimits MaxLimits() override {
    Result<JudgePool*> pool = get_();
    return pool.ok() ? (*pool)->MaxLimits() : JudgeLimits{};
  }

 private:
  std::function<Result<JudgePool*>()> get_;
  int workers_;
};

class SandboxGateway final : public JudgeGateway {
 public:
  SandboxGateway(std::unique_ptr<Judge> judge, std::unique_ptr<JudgePool> pool, int workers)
      : judge_(std::move(judge)), pool_(std::move(pool)), workers_(workers) {}
  ~SandboxGateway() override { pool_.reset(); }  // finish the pool's jobs before the judge goes
  Status Submit(JudgeRequest request, Callback done) override { return pool_->Submit(std::move(request), std::move(done)); }
  bool Busy() override {
    JudgePoolStats s = pool_->Stats();
    return s.queued > 0 || s.running >= workers_;
  }
  JudgeLimits MaxLimits() override { return pool_->MaxLimits(); }

 private:
  std::unique_ptr<Judge> judge_;
  std::unique_ptr<JudgePool> pool_;
  int workers_;
};
#else
class NoJudgeGateway final : public JudgeGateway {
 public:
  Status Submit(JudgeRequest, Callback) override {
    return Status::FailedPrecondition("judge unavailable: this build has no sandbox judge (CLASH_WITH_JUDGE=OFF)");
  }
  bool Busy() override { return false; }
  JudgeLimits MaxLimits() override { return JudgeLimits{}; }
};
#endif

}  // namespace

#if CLASH_WITH_JUDGE
std::unique_ptr<JudgeGateway> NewPoolJudgeGateway(JudgePool& pool, int workers) {
  return std::make_unique<PoolGateway>([&pool]() -> Result<JudgePool*> { return &pool; }, workers);
}

namespace internal {
std::unique_ptr<JudgeGateway> NewLazyPoolGateway(std::function<Result<JudgePool*>()> get, int workers) {
  return std::make_unique<PoolGateway>(std::move(get), workers);
}
}  // namespace internal

Result<std::unique_ptr<JudgeGateway>> NewSandboxJudgeGateway(SandboxJudgeOptions sandbox, JudgePoolOptions pool) {
  Result<std::unique_ptr<Judge>> judge = NewSandboxJudge(std::move(sandbox));
  if (!judge.ok()) return Status::FailedPrecondition("judge unavailable: " + judge.status().message());
  CLASH_ASSIGN_OR_RETURN(std::unique_ptr<JudgePool> p, JudgePool::Create(**judge, pool));
  return std::unique_ptr<JudgeGateway>(std::make_unique<SandboxGateway>(std::move(judge).value(), std::move(p), pool.workers));
}
#else
std::unique_ptr<JudgeGateway> NewPoolJudgeGateway(JudgePool&, int) { return std::make_unique<NoJudgeGateway>(); }

namespace internal {
std::unique_ptr<JudgeGateway> NewLazyPoolGateway(std::function<Result<JudgePool*>()>, int) {
  return std::make_unique<NoJudgeGateway>();
}
}  // namespace internal

Result<std::unique_ptr<JudgeGateway>> NewSandboxJudgeGateway(SandboxJudgeOptions, JudgePoolOptions) {
  return Status::FailedPrecondition("judge unavailable: this build has no sandbox judge (CLASH_WITH_JUDGE=OFF)");
}
#endif

}  // namespace clash
