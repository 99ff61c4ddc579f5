// The in-memory JudgeQueue and JudgeWorker, which pulls from any JudgeQueue.
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "clash/judge.h"

namespace clash {
namespace {

constexpr int kMaxAttempts = 3;

class InMemoryJudgeQueue final : public JudgeQueue {
 public:
  InMemoryJudgeQueue(int capacity, Clock* clock) : capacity_(capacity), clock_(clock) {}

  Result<std::string> Enqueue(const JudgeRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_ >= capacity_) {
      return Status::Unavailable("judge queue is full").WithRetryAfter(2);
    }
    std::string id = std::to_string(++next_id_);
    jobs_[next_id_] = Job{request, State::kPending, {}, std::chrono::nanoseconds(0), 0, {}};
    ++pending_;
    return id;
  }

  Result<std::optional<JudgeJob>> Claim(std::string_view worker_id, std::chrono::milliseconds lease) override {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = clock_->Monotonic();
    for (auto& [id, job] : jobs_) {  // ordered by id: oldest first
      bool expired = job.state == State::kRunning && job.lease_until <= now;
      if (job.state != State::kPending && !expired) continue;
      if (job.state == State::kPending) --pending_;
      if (job.attempts >= kMaxAttempts) {
        job.state = State::kDone;
        job.result.verdict = Verdict::kInternalError;
        job.result.message = "internal error: judging failed " + std::to_string(kMaxAttempts) + " times";
        continue;
      }
      job.state = State::kRunning;
      job.worker = std::string(worker_id);
      job.lease_until = now + lease;
      ++job.attempts;
      return std::optional<JudgeJob>(JudgeJob{std::to_string(id), job.request, job.attempts});
    }
    return std::optional<JudgeJob>();
  }

  Status Complete(std::string_view job_id, std::string_view worker_id, const JudgeResult& result) override {
    std::lock_guard<std::mutex> lock(mu_);
    Job* job = Find(job_id);
    if (job == nullptr) return Status::NotFound("judge job " + std::string(job_id) + " not found");
    if (job->state != State::kRunning || job->worker != worker_id) {
      return Status::FailedPrecondition("judge job " + std::string(job_id) + " is not claimed by " +
                                        std::string(worker_id));
    }
    job->state = State::kDone;
    job->result = result;
    return Status::Ok();
  }

  Result<std::optional<JudgeResult>> Lookup(std::string_view job_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    Job* job = Find(job_id);
    if (job == nullptr) return Status::NotFound("judge job " + std::string(job_id) + " not found");
    if (job->state != State::kDone) return std::optional<JudgeResult>();
    return std::optional<JudgeResult>(job->result);
  }

 private:
  enum class State { kPending, kRunning, kDone };
  struct Job {
    JudgeRequest request;
    State state;
    std::string worker;
    std::chrono::nanoseconds lease_until;
    int attempts;
    JudgeResult result;
  };

  Job* Find(std::string_view id) {
    std::int64_t n = 0;
    for (char c : id) {
      if (c < '0' || c > '9' || n > (1LL << 50)) return nullptr;
      n = n * 10 + (c - '0');
    }
    auto it = jobs_.find(n);
    return it == jobs_.end() ? nullptr : &it->second;
  }

  const int capacity_;
  Clock* clock_;
  std::mutex mu_;
  std::map<std::int64_t, Job> jobs_;
  std::int64_t next_id_ = 0;
  int pending_ = 0;
};

}  // namespace

std::unique_ptr<JudgeQueue> NewInMemoryJudgeQueue(int capacity, Clock* clock) {
  return std::make_unique<InMemoryJudgeQueue>(capacity, clock);
}

struct JudgeWorker::Impl {
  JudgeQueue* queue = nullptr;
  Judge* judge = nullptr;
  JudgeWorkerOptions options;
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::atomic<std::int64_t> completed{0};
  std::vector<std::thread> threads;

  void Loop() {
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stopping) return;
      }
      Result<std::optional<JudgeJob>> job = queue->Claim(options.worker_id, options.lease);
      if (!job.ok() || !job->has_value()) {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait_for(lock, options.idle_poll, [this] { return stopping; });
        continue;
      }
      JudgeJob& j = **job;
      Result<JudgeResult> result = judge->Run(j.request);
      JudgeResult verdict;
      if (result.ok()) {
        verdict = std::move(result).value();
      } else {
        verdict.verdict = Verdict::kInternalError;
        verdict.message = "internal error: " + result.status().message();
      }
      if (queue->Complete(j.id, options.worker_id, verdict).ok()) ++completed;
    }
  }
};

Result<std::unique_ptr<JudgeWorker>> JudgeWorker::Start(JudgeQueue& queue, Judge& judge,
                                                        JudgeWorkerOptions options) {
  if (options.concurrency < 1) return Status::InvalidArgument("judge worker: concurrency must be >= 1");
  auto impl = std::make_unique<Impl>();
  impl->queue = &queue;
  impl->judge = &judge;
  impl->options = std::move(options);
  Impl* raw = impl.get();
  for (int i = 0; i < raw->options.concurrency; ++i) raw->threads.emplace_back([raw] { raw->Loop(); });
  return std::unique_ptr<JudgeWorker>(new JudgeWorker(std::move(impl)));
}

JudgeWorker::JudgeWorker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

JudgeWorker::~JudgeWorker() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  for (std::thread& t : impl_->threads) t.join();
}

std::int64_t JudgeWorker::jobs_completed() const { return impl_->completed.load(); }

}  // namespace clash
