// JudgePool: worker threads in front of a Judge, with a bounded FIFO queue and back-pressure.
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "clash/judge.h"

namespace clash {

struct JudgePool::Impl {
  Judge* judge = nullptr;
  JudgePoolOptions options;
  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<std::pair<JudgeRequest, Callback>> queue;
  std::vector<std::thread> threads;
  JudgePoolStats stats;
  bool stopping = false;

  void Work() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [this] { return stopping || !queue.empty(); });
      if (stopping) return;
      auto job = std::move(queue.front());
      queue.pop_front();
      --stats.queued;
      ++stats.running;
      lock.unlock();
      Result<JudgeResult> result = judge->Run(job.first);
      // Count the job before its callback runs, so whoever the callback wakes sees it counted.
      lock.lock();
      --stats.running;
      ++stats.completed;
      lock.unlock();
      job.second(std::move(result));
      lock.lock();
    }
  }
};

Result<std::unique_ptr<JudgePool>> JudgePool::Create(Judge& judge, JudgePoolOptions options) {
  if (options.workers < 1) return Status::InvalidArgument("judge pool: workers must be >= 1");
  if (options.queue_capacity < 0) return Status::InvalidArgument("judge pool: queue_capacity must be >= 0");
  auto impl = std::make_unique<Impl>();
  impl->judge = &judge;
  impl->options = options;
  Impl* raw = impl.get();
  for (int i = 0; i < options.workers; ++i) raw->threads.emplace_back([raw] { raw->Work(); });
  return std::unique_ptr<JudgePool>(new JudgePool(std::move(impl)));
}

JudgePool::JudgePool(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

JudgePool::~JudgePool() {
  std::deque<std::pair<JudgeRequest, Callback>> orphans;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
    orphans.swap(impl_->queue);
    impl_->stats.queued = 0;
  }
  impl_->cv.notify_all();
  for (std::thread& t : impl_->threads) t.join();
  for (auto& job : orphans) job.second(Status::Unavailable("judge pool shut down"));
}

Status JudgePool::Submit(JudgeRequest request, Callback done) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping) return Status::Unavailable("judge pool shut down");
    // Idle workers take jobs at once, so the queue only holds what waits behind running jobs.
    int waiting = static_cast<int>(impl_->queue.size());
    int idle = impl_->options.workers - impl_->stats.running;
    if (waiting - idle >= impl_->options.queue_capacity) {
      ++impl_->stats.rejected;
      return Status::Unavailable("judge queue is full").WithRetryAfter(impl_->options.retry_after_seconds);
    }
    impl_->queue.emplace_back(std::move(request), std::move(done));
    ++impl_->stats.queued;
    ++impl_->stats.submitted;
  }
  impl_->cv.notify_one();
  return Status::Ok();
}

Result<JudgeResult> JudgePool::Run(JudgeRequest request) {
  auto promise = std::make_shared<std::promise<Result<JudgeResult>>>();
  std::future<Result<JudgeResult>> future = promise->get_future();
  CLASH_RETURN_IF_ERROR(Submit(std::move(request), [promise](Result<JudgeResult> r) {
    promise->set_value(std::move(r));
  }));
  return future.get();
}

JudgeLimits JudgePool::MaxLimits() const { return impl_->judge->MaxLimits(); }

JudgePoolStats JudgePool::Stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stats;
}

}  // namespace clash
