// The storage-backed JudgeQueue (table judge_jobs) on SQLite and PostgreSQL: many claimers on
// several Storage objects (several machines), lease expiry, holder-only completion, attempts, and a
// real JudgeWorker with the sandbox judge.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "clash/storage.h"
#include "judge_test_util.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

JudgeRequest Numbered(int i) { return PythonSuite("n = " + std::to_string(i) + "\n", "assert n >= 0\n"); }

JudgeResult VerdictFor(const JudgeRequest& request) {
  JudgeResult r;
  r.verdict = Verdict::kAccepted;
  r.message = request.source;  // lets the test check the verdict went to the right job
  return r;
}

class JudgeQueueStorageTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    ASSERT_TRUE(backend_ != nullptr);
    storage_ = Open();
    ASSERT_TRUE(storage_ != nullptr);
  }

  std::unique_ptr<Storage> Open() {
    auto opened = OpenStorage(backend_->url());
    EXPECT_THAT(opened, IsOk());
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  std::unique_ptr<JudgeQueue> Queue(Storage& storage, StorageJudgeQueueOptions options = {}) {
    auto q = NewStorageJudgeQueue(storage, clock_, options);
    EXPECT_THAT(q, IsOk());
    return q.ok() ? std::move(q).value() : nullptr;
  }

  FakeClock clock_;
  std::unique_ptr<ScratchBackend> backend_;
  std::unique_ptr<Storage> storage_;
};

TEST_P(JudgeQueueStorageTest, WorkersOnSeveralStoragesJudgeEachJobExactlyOnce) {
  constexpr int kJobs = 100;
  constexpr int kWorkers = 4;
  // A second Storage on the same database stands for a second machine (an in-memory SQLite
  // database exists once per Storage, so there the workers share one).
  std::unique_ptr<Storage> second = GetParam().persistent ? Open() : nullptr;
  Storage& machine_b = second ? *second : *storage_;
  auto queue_a = Queue(*storage_);
  auto queue_b = Queue(machine_b);
  ASSERT_TRUE(queue_a && queue_b);

  std::map<std::string, int> source_of;  // job id -> i
  for (int i = 0; i < kJobs; ++i) {
    auto id = (i % 2 ? queue_b : queue_a)->Enqueue(Numbered(i));
    ASSERT_THAT(id, IsOk());
    source_of[*id] = i;
  }
  ASSERT_EQ(source_of.size(), static_cast<std::size_t>(kJobs));

  std::mutex mu;
  std::map<std::string, int> judged;  // job id -> times handed out
  std::atomic<int> claim_errors{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      JudgeQueue& q = w % 2 ? *queue_b : *queue_a;
      const std::string me = "worker-" + std::to_string(w);
      for (;;) {
        Result<std::optional<JudgeJob>> job = q.Claim(me, seconds(60));
        if (!job.ok()) {  // only lock contention may fail a claim, and it is retried
          EXPECT_THAT(job.status(), StatusIs(StatusCode::kAborted));
          ++claim_errors;
          continue;
        }
        if (!job->has_value()) return;
        JudgeJob& j = **job;
        EXPECT_EQ(j.attempts, 1);
        {
          std::lock_guard<std::mutex> lock(mu);
          ++judged[j.id];
        }
        EXPECT_THAT(q.Complete(j.id, me, VerdictFor(j.request)), IsOk());
      }
    });
  }
  for (std::thread& t : workers) t.join();

  ASSERT_EQ(judged.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [id, times] : judged) EXPECT_EQ(times, 1) << "job " << id;
  for (const auto& [id, i] : source_of) {
    auto verdict = queue_b->Lookup(id);
    ASSERT_THAT(verdict, IsOk());
    ASSERT_TRUE(verdict->has_value()) << id;
    EXPECT_EQ((*verdict)->verdict, Verdict::kAccepted);
    EXPECT_EQ((*verdict)->message, Numbered(i).source);
  }
  EXPECT_LT(claim_errors.load(), kJobs);
}

TEST_P(JudgeQueueStorageTest, ExpiredLeaseHandsTheJobToAnotherWorker) {
  auto queue = Queue(*storage_);
  auto id = queue->Enqueue(Numbered(7));
  ASSERT_THAT(id, IsOk());

  auto first = queue->Claim("a", seconds(10));
  ASSERT_THAT(first, IsOk());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->id, *id);
  EXPECT_EQ((*first)->attempts, 1);
  EXPECT_EQ((*first)->request.source, Numbered(7).source);

  clock_.Advance(seconds(9));
  EXPECT_THAT(queue->Claim("b", seconds(10)), IsOkAndHolds(::testing::Eq(std::nullopt)));  // still leased

  clock_.Advance(seconds(2));  // a's lease has run out
  auto second = queue->Claim("b", seconds(10));
  ASSERT_THAT(second, IsOk());
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->id, *id);
  EXPECT_EQ((*second)->attempts, 2);

  JudgeResult late = VerdictFor((*first)->request);
  late.verdict = Verdict::kWrongAnswer;
  EXPECT_THAT(queue->Complete(*id, "a", late), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(queue->Lookup(*id), IsOkAndHolds(::testing::Eq(std::nullopt)));
  ASSERT_THAT(queue->Complete(*id, "b", VerdictFor((*second)->request)), IsOk());
  auto verdict = queue->Lookup(*id);
  ASSERT_THAT(verdict, IsOk());
  ASSERT_TRUE(verdict->has_value());
  EXPECT_EQ((*verdict)->verdict, Verdict::kAccepted);
  // Finished: neither worker can claim or complete it again.
  EXPECT_THAT(queue->Complete(*id, "b", late), StatusIs(StatusCode::kFailedPrecondition));
  clock_.Advance(seconds(60));
  EXPECT_THAT(queue->Claim("c", seconds(10)), IsOkAndHolds(::testing::Eq(std::nullopt)));
}

TEST_P(JudgeQueueStorageTest, OnlyTheLeaseHolderCompletes) {
  auto queue = Queue(*storage_);
  auto id = queue->Enqueue(Numbered(1));
  ASSERT_THAT(id, IsOk());
  // Pending (never claimed): nobody holds it.
  EXPECT_THAT(queue->Complete(*id, "a", VerdictFor(Numbered(1))), StatusIs(StatusCode::kFailedPrecondition));
  auto job = queue->Claim("a", seconds(30));
  ASSERT_THAT(job, IsOk());
  ASSERT_TRUE(job->has_value());
  EXPECT_THAT(queue->Complete(*id, "intruder", VerdictFor(Numbered(1))), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(queue->Complete("999999", "a", VerdictFor(Numbered(1))), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(queue->Complete("not-a-number", "a", VerdictFor(Numbered(1))), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(queue->Lookup("999999"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(queue->Lookup(*id), IsOkAndHolds(::testing::Eq(std::nullopt)));
  EXPECT_THAT(queue->Complete(*id, "a", VerdictFor(Numbered(1))), IsOk());
}

TEST_P(JudgeQueueStorageTest, JobOutOfAttemptsEndsAsInternalError) {
  auto queue = Queue(*storage_, {.capacity = 10, .max_attempts = 2, .retry_after_seconds = 2});
  auto id = queue->Enqueue(Numbered(3));
  ASSERT_THAT(id, IsOk());
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto job = queue->Claim("crashy", seconds(5));
    ASSERT_THAT(job, IsOk());
    ASSERT_TRUE(job->has_value());
    EXPECT_EQ((*job)->attempts, attempt);
    clock_.Advance(seconds(6));  // the worker died: its lease runs out
  }
  EXPECT_THAT(queue->Claim("next", seconds(5)), IsOkAndHolds(::testing::Eq(std::nullopt)));
  auto verdict = queue->Lookup(*id);
  ASSERT_THAT(verdict, IsOk());
  ASSERT_TRUE(verdict->has_value());
  EXPECT_EQ((*verdict)->verdict, Verdict::kInternalError);
}

TEST_P(JudgeQueueStorageTest, FullQueueAnswersUnavailableWithRetryAfter) {
  auto queue = Queue(*storage_, {.capacity = 2, .max_attempts = 3, .retry_after_seconds = 9});
  ASSERT_THAT(queue->Enqueue(Numbered(1)), IsOk());
  ASSERT_THAT(queue->Enqueue(Numbered(2)), IsOk());
  auto full = queue->Enqueue(Numbered(3));
  ASSERT_THAT(full, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(full.status().retry_after_seconds(), 9);
  // A finished job frees its place.
  auto job = queue->Claim("w", seconds(5));
  ASSERT_THAT(job, IsOk());
  ASSERT_TRUE(job->has_value());
  ASSERT_THAT(queue->Complete((*job)->id, "w", VerdictFor((*job)->request)), IsOk());
  EXPECT_THAT(queue->Enqueue(Numbered(3)), IsOk());
  EXPECT_THAT(NewStorageJudgeQueue(*storage_, clock_, {.capacity = 0}), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(JudgeQueueStorageTest, RealWorkerWithTheSandboxJudgeCompletesJobs) {
  auto queue = Queue(*storage_);
  struct Want {
    JudgeRequest request;
    Verdict verdict;
  };
  std::vector<Want> wants = {
      {PythonSuite("def add(a, b):\n    return a + b\n", "assert add(1, 2) == 3\n"), Verdict::kAccepted},
      {PythonSuite("def add(a, b):\n    return a - b\n", "assert add(1, 2) == 3\n"), Verdict::kWrongAnswer},
      {PythonCases("print(int(input()) * 2)\n", {{"", "21\n", "42\n"}}), Verdict::kAccepted},
      {PythonSuite("raise SystemExit(3)\n", ""), Verdict::kRuntimeError},
  };
  std::vector<std::string> ids;
  for (const Want& w : wants) {
    auto id = queue->Enqueue(w.request);
    ASSERT_THAT(id, IsOk());
    ids.push_back(*id);
  }
  auto worker = JudgeWorker::Start(*queue, SandboxJudgeForTests(),
                                   {.worker_id = "remote-1", .concurrency = 2, .lease = milliseconds(120'000),
                                    .idle_poll = milliseconds(20)});
  ASSERT_THAT(worker, IsOk());
  const auto deadline = std::chrono::steady_clock::now() + seconds(60);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Result<std::optional<JudgeResult>> r = queue->Lookup(ids[i]);
    while (r.ok() && !r->has_value() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(20));
      r = queue->Lookup(ids[i]);
    }
    ASSERT_THAT(r, IsOk());
    ASSERT_TRUE(r->has_value()) << "job " << ids[i] << " not judged within 60 s";
    EXPECT_EQ((*r)->verdict, wants[i].verdict) << i << ": " << (*r)->message;
    if (wants[i].verdict == Verdict::kWrongAnswer) {
      ASSERT_TRUE((*r)->first_failure.has_value());
      EXPECT_EQ((*r)->first_failure->line, 1);
    }
  }
  // The worker counts a job after the queue stored its verdict: the count may trail the lookups.
  const auto want = static_cast<std::int64_t>(wants.size());
  EXPECT_TRUE(WaitUntil([&] { return (*worker)->jobs_completed() == want; })) << (*worker)->jobs_completed();
  EXPECT_EQ((*worker)->jobs_completed(), want);
}

std::string BackendName(const ::testing::TestParamInfo<BackendParam>& param_info) { return param_info.param.name; }

INSTANTIATE_TEST_SUITE_P(Backends, JudgeQueueStorageTest, ::testing::ValuesIn(AllBackends()), BackendName);

TEST(JudgeQueueStorage, StoragesOfEveryBackendAreTested) {
  // The test command sets CLASH_TEST_POSTGRES_URL: PostgreSQL must be among the backends.
  bool postgres = false;
  for (const BackendParam& b : AllBackends()) postgres |= b.backend_name == "postgresql";
  EXPECT_TRUE(postgres) << "set CLASH_TEST_POSTGRES_URL (scripts/pg-start.sh) to run the PostgreSQL half";
}

}  // namespace
}  // namespace clash::testing
