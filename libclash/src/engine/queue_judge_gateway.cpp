// A judge gateway over a JudgeQueue: requests go to remote judge workers; a poller thread looks up
// the unfinished jobs and delivers their verdicts.
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "clash/judge_queue_gateway.h"

namespace clash {
namespace {

class QueueGateway final : public JudgeGateway {
 public:
  QueueGateway(JudgeQueue& queue, QueueJudgeGatewayOptions options)
      : queue_(queue), options_(options), poller_([this] { Poll(); }) {}

  ~QueueGateway() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    poller_.join();
  }

  Status Submit(JudgeRequest request, Callback done) override {
    CLASH_ASSIGN_OR_RETURN(std::string id, queue_.Enqueue(request));
    {
      std::lock_guard lock(mu_);
      waiting_.emplace(std::move(id), std::move(done));
    }
    cv_.notify_all();
    return Status::Ok();
  }
  bool Busy() override { return true; }
  JudgeLimits MaxLimits() override { return options_.max_limits; }

 private:
  void Poll() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      cv_.wait_for(lock, options_.poll, [this] { return stopping_; });
      if (stopping_) break;
      std::vector<std::string> ids;
      ids.reserve(waiting_.size());
      for (const auto& [id, done] : waiting_) ids.push_back(id);
      lock.unlock();
      std::vector<std::pair<Callback, Result<JudgeResult>>> finished;
      for (const std::string& id : ids) {
        Result<std::optional<JudgeResult>> r = queue_.Lookup(id);
        if (r.ok() && !r->has_value()) continue;  // still pending or running
        if (!r.ok() && r.status().code() != StatusCode::kNotFound) continue;  // storage hiccup: next round
        std::lock_guard relock(mu_);
        auto it = waiting_.find(id);
        if (it == waiting_.end()) continue;
        finished.emplace_back(std::move(it->second), r.ok() ? Result<JudgeResult>(std::move(**r)) : Result<JudgeResult>(r.status()));
        waiting_.erase(it);
      }
      for (auto& [done, result] : finished) done(std::move(result));
      lock.lock();
    }
  }

  JudgeQueue& queue_;
  const QueueJudgeGatewayOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<std::string, Callback> waiting_;
  std::thread poller_;  // last: starts after the members it uses
};

}  // namespace

std::unique_ptr<JudgeGateway> NewQueueJudgeGateway(JudgeQueue& queue, QueueJudgeGatewayOptions options) {
  return std::make_unique<QueueGateway>(queue, options);
}

}  // namespace clash
