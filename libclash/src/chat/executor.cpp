// Executor and Strand (chat/executor.h). A worker takes a strand, runs the tasks it holds at that
// moment, and puts the strand back at the end of the queue if more arrived meanwhile, so one busy
// connection cannot starve the others.
#include "chat/executor.h"

#include <utility>

namespace clash::internal {

Executor::Executor(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

Executor::~Executor() { Stop(); }

bool Executor::Post(const std::shared_ptr<Strand>& strand, std::function<void()> task, std::size_t max_queued) {
  {
    std::lock_guard<std::mutex> lock(strand->mu_);
    if (strand->tasks_.size() >= max_queued) return false;
    strand->tasks_.push_back(std::move(task));
    if (strand->scheduled_) return true;
    strand->scheduled_ = true;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_) return false;
  ready_.push_back(strand);
  cv_.notify_one();
  return true;
}

void Executor::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [&] { return stop_ || (ready_.empty() && busy_ == 0); });
}

void Executor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ && threads_.empty()) return;
    stop_ = true;
    ready_.clear();
  }
  cv_.notify_all();
  idle_cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void Executor::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !ready_.empty(); });
    if (stop_) return;
    std::shared_ptr<Strand> strand = std::move(ready_.front());
    ready_.pop_front();
    ++busy_;
    lock.unlock();
    std::vector<std::function<void()>> batch;
    {
      std::lock_guard<std::mutex> sl(strand->mu_);
      batch.swap(strand->tasks_);
    }
    for (auto& task : batch) {
      try {
        task();
      } catch (...) {
        // A task must not throw; one that does is dropped and the strand carries on.
      }
    }
    bool again = false;
    {
      std::lock_guard<std::mutex> sl(strand->mu_);
      again = !strand->tasks_.empty();
      if (!again) strand->scheduled_ = false;
    }
    lock.lock();
    --busy_;
    if (again && !stop_) {
      ready_.push_back(std::move(strand));
      cv_.notify_one();
    }
    if (ready_.empty() && busy_ == 0) idle_cv_.notify_all();
  }
}

}  // namespace clash::internal
