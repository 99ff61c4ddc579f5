#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

namespace clash::host {
namespace {

// A gate the jobs wait at until the test opens it.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

TEST(WorkerPoolTest, RefusesWhenTheQueueIsFullAndRunsEverythingItAccepted) {
  WorkerPool pool(/*max_threads=*/1, /*max_queued=*/2);
  Gate gate;
  std::atomic<int> started{0};
  std::atomic<int> done{0};
  std::mutex mu;
  std::condition_variable cv;
  auto job = [&] {
    {
      std::lock_guard lock(mu);
      ++started;
      cv.notify_all();
    }
    gate.Wait();
    ++done;
  };
  ASSERT_TRUE(pool.TrySubmit(job));
  {
    std::unique_lock lock(mu);  // the one thread holds the first job; the queue is empty again
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return started.load() == 1; }));
  }
  EXPECT_TRUE(pool.TrySubmit(job));
  EXPECT_TRUE(pool.TrySubmit(job));
  EXPECT_FALSE(pool.TrySubmit(job));  // two waiting: full
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_EQ(pool.threads(), 1);
  gate.Open();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return started.load() == 3; }));
  }
  pool.Stop();  // joins once the running jobs end
  EXPECT_EQ(done.load(), 3);
  EXPECT_FALSE(pool.TrySubmit(job));  // stopped
}

TEST(WorkerPoolTest, AdmissionDoesNotDependOnWhenTheNewThreadStarts) {
  // Submitted back to back, before the one thread may have taken the first job: the thread's job
  // plus one queued are accepted, whichever way the scheduler goes.
  WorkerPool pool(/*max_threads=*/1, /*max_queued=*/1);
  Gate gate;
  auto job = [&] { gate.Wait(); };
  EXPECT_TRUE(pool.TrySubmit(job));
  EXPECT_TRUE(pool.TrySubmit(job));
  EXPECT_FALSE(pool.TrySubmit(job));
  EXPECT_FALSE(pool.TrySubmit(job));
  gate.Open();
  pool.Stop();
}

TEST(WorkerPoolTest, StopDropsJobsNotStarted) {
  WorkerPool pool(/*max_threads=*/1, /*max_queued=*/10);
  Gate gate;
  std::atomic<int> ran{0};
  std::promise<void> running;
  ASSERT_TRUE(pool.TrySubmit([&] {
    running.set_value();
    gate.Wait();
    ++ran;
  }));
  running.get_future().wait();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool.TrySubmit([&] { ++ran; }));
  std::thread stopper([&] { pool.Stop(); });
  while (pool.queued() != 0) std::this_thread::yield();  // Stop took the queue
  gate.Open();
  stopper.join();
  EXPECT_EQ(ran.load(), 1);
}

TEST(WorkerPoolTest, CoreThreadsStartOnDemand) {
  WorkerPool pool(/*max_threads=*/3, /*max_queued=*/100, /*core_threads=*/3);
  EXPECT_EQ(pool.threads(), 0);
  Gate gate;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(pool.TrySubmit([&] { gate.Wait(); }));
  EXPECT_EQ(pool.threads(), 3);
  gate.Open();
  pool.Stop();
}

TEST(WorkerPoolTest, BeyondTheCoreThreadsOnlyWhileJobsAreStuck) {
  WorkerPool pool(/*max_threads=*/3, /*max_queued=*/100, /*core_threads=*/1);
  Gate gate;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(pool.TrySubmit([&] { gate.Wait(); }));
  // Every job blocks: no progress, so a thread is added per stall period until the limit.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (pool.threads() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(WorkerPool::kStallMs));
    pool.Maintain();
  }
  EXPECT_EQ(pool.threads(), 3);
  gate.Open();
  pool.Stop();
  EXPECT_EQ(pool.queued(), 0u);
}

}  // namespace
}  // namespace clash::host
