// The worker pool (bounded queue, back-pressure), the in-memory queue and the remote worker.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

// A fake judge that blocks every run until released.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> started{0};
  JudgeResult Wait() {
    ++started;
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return open; });
    JudgeResult r;
    r.verdict = Verdict::kAccepted;
    return r;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu);
    open = true;
    cv.notify_all();
  }
};

JudgeRequest AnyRequest() { return PythonSuite("x = 1\n", "assert x == 1\n"); }

TEST(JudgePool, FullQueueAnswersUnavailableWithRetryAfter) {
  Gate gate;
  std::atomic<int> done{0};  // declared first: it outlives the pool's callbacks
  auto judge = NewFakeJudge([&](const JudgeRequest&) { return gate.Wait(); });
  JudgePoolOptions options;
  options.workers = 2;
  options.queue_capacity = 3;
  options.retry_after_seconds = 7;
  auto pool = JudgePool::Create(*judge, options);
  ASSERT_THAT(pool, IsOk());
  auto count = [&](Result<JudgeResult> r) {
    EXPECT_TRUE(r.ok());
    ++done;
  };
  for (int i = 0; i < 5; ++i) ASSERT_THAT((*pool)->Submit(AnyRequest(), count), IsOk()) << i;
  Status full = (*pool)->Submit(AnyRequest(), count);
  EXPECT_THAT(full, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(full.retry_after_seconds(), 7);
  EXPECT_EQ((*pool)->Stats().rejected, 1);
  gate.Open();
  ASSERT_TRUE(WaitUntil([&] { return done.load() == 5; }));
  EXPECT_EQ((*pool)->Stats().completed, 5);  // counted before each callback ran
  EXPECT_THAT((*pool)->Run(AnyRequest()), IsOkAndHolds(::testing::Field(&JudgeResult::verdict, Verdict::kAccepted)));
}

TEST(JudgePool, RejectsBadOptionsAndPassesJudgeErrorsThrough) {
  auto judge = NewFakeJudge([](const JudgeRequest&) { return JudgeResult{}; });
  EXPECT_THAT(JudgePool::Create(*judge, {0, 1, 1}), StatusIs(StatusCode::kInvalidArgument));
  auto pool = JudgePool::Create(*judge, {});
  ASSERT_THAT(pool, IsOk());
  JudgeRequest bad = AnyRequest();
  bad.language = "cobol";
  EXPECT_THAT((*pool)->Run(bad), StatusIs(StatusCode::kInvalidArgument));
}

TEST(JudgePool, RunsRealSubmissionsConcurrently) {
  std::atomic<int> accepted{0}, done{0};  // declared first: they outlive the pool's callbacks
  auto pool = JudgePool::Create(SandboxJudgeForTests(), {2, 16, 1});
  ASSERT_THAT(pool, IsOk());
  for (int i = 0; i < 6; ++i) {
    ASSERT_THAT((*pool)->Submit(PythonSuite("def f(x):\n    return x * 2\n", "assert f(" + std::to_string(i) +
                                                                            ") == " + std::to_string(2 * i) + "\n"),
                                [&](Result<JudgeResult> r) {
                                  if (r.ok() && r->verdict == Verdict::kAccepted) ++accepted;
                                  ++done;
                                }),
                IsOk());
  }
  ASSERT_TRUE(WaitUntil([&] { return done.load() == 6; }));
  EXPECT_EQ(accepted.load(), 6);
}

TEST(JudgeQueue, ClaimCompleteLookupAndLeases) {
  FakeClock clock;
  auto queue = NewInMemoryJudgeQueue(2, &clock);
  Result<std::string> a = queue->Enqueue(AnyRequest());
  Result<std::string> b = queue->Enqueue(AnyRequest());
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  Status full = queue->Enqueue(AnyRequest()).status();
  EXPECT_THAT(full, StatusIs(StatusCode::kUnavailable));
  EXPECT_TRUE(full.retry_after_seconds().has_value());

  auto job = queue->Claim("w1", std::chrono::milliseconds(1000));
  ASSERT_THAT(job, IsOk());
  ASSERT_TRUE(job->has_value());
  EXPECT_EQ((*job)->id, *a);
  auto pending = queue->Lookup(*a);
  ASSERT_THAT(pending, IsOk());
  EXPECT_FALSE(pending->has_value());
  JudgeResult verdict;
  verdict.verdict = Verdict::kWrongAnswer;
  EXPECT_THAT(queue->Complete(*a, "w2", verdict), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(queue->Complete("999", "w1", verdict), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(queue->Complete(*a, "w1", verdict), IsOk());

  // w1's lease on the second job expires; w2 takes it over and w1 can no longer complete it.
  auto second = queue->Claim("w1", std::chrono::milliseconds(1000));
  ASSERT_TRUE(second.ok() && second->has_value());
  auto none = queue->Claim("w2", std::chrono::milliseconds(1000));
  ASSERT_THAT(none, IsOk());
  EXPECT_FALSE(none->has_value());
  clock.Advance(std::chrono::seconds(2));
  auto retaken = queue->Claim("w2", std::chrono::milliseconds(1000));
  ASSERT_TRUE(retaken.ok() && retaken->has_value());
  EXPECT_EQ((*retaken)->id, *b);
  EXPECT_EQ((*retaken)->attempts, 2);
  EXPECT_THAT(queue->Complete(*b, "w1", verdict), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(queue->Complete(*b, "w2", verdict), IsOk());
  auto looked = queue->Lookup(*b);
  ASSERT_TRUE(looked.ok() && looked->has_value());
  EXPECT_EQ((*looked)->verdict, Verdict::kWrongAnswer);
}

TEST(JudgeQueue, WorkerPullsJudgesAndWritesBack) {
  auto queue = NewInMemoryJudgeQueue();
  std::vector<std::string> ids;
  for (int expected : {4, 5}) {
    auto id = queue->Enqueue(PythonSuite("def f():\n    return 4\n", "assert f() == " + std::to_string(expected) + "\n"));
    ASSERT_THAT(id, IsOk());
    ids.push_back(*id);
  }
  JudgeWorkerOptions options;
  options.worker_id = "test-worker";
  options.idle_poll = std::chrono::milliseconds(10);
  auto worker = JudgeWorker::Start(*queue, SandboxJudgeForTests(), options);
  ASSERT_THAT(worker, IsOk());
  std::vector<Verdict> verdicts;
  for (const std::string& id : ids) {
    Result<std::optional<JudgeResult>> r = queue->Lookup(id);
    EXPECT_TRUE(WaitUntil([&] {
      r = queue->Lookup(id);
      return !r.ok() || r->has_value();
    })) << "job " << id << " not judged within the deadline";
    ASSERT_THAT(r, IsOk());
    if (r->has_value()) verdicts.push_back((*r)->verdict);
  }
  EXPECT_EQ(verdicts, (std::vector<Verdict>{Verdict::kAccepted, Verdict::kWrongAnswer}));
  // Counted after the verdict is stored: the count may trail the lookups.
  EXPECT_TRUE(WaitUntil([&] { return (*worker)->jobs_completed() == 2; })) << (*worker)->jobs_completed();
}

TEST(JudgeCodec, RequestAndResultRoundTrip) {
  JudgeRequest req = PythonCases("print(input())\n", {{"one", "a\n", "a"}, {"", "\xff", "b"}});
  req.limits.cpu_time = std::chrono::milliseconds(1234);
  auto back = DecodeJudgeRequest(EncodeJudgeRequest(req));
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->source, req.source);
  ASSERT_EQ(back->cases.size(), 2u);
  EXPECT_EQ(back->cases[0].name, "one");
  EXPECT_EQ(back->limits.cpu_time.count(), 1234);

  JudgeResult res;
  res.verdict = Verdict::kWrongAnswer;
  res.first_failure = FailedCase{2, "assert f() == 1", "boom", 7, "", "", ""};
  res.memory_bytes = 99;
  auto rb = DecodeJudgeResult(EncodeJudgeResult(res));
  ASSERT_THAT(rb, IsOk());
  EXPECT_EQ(rb->verdict, Verdict::kWrongAnswer);
  ASSERT_TRUE(rb->first_failure.has_value());
  EXPECT_EQ(rb->first_failure->line, 7);
  EXPECT_EQ(rb->memory_bytes, 99);
  EXPECT_THAT(DecodeJudgeResult("{\"verdict\":\"great\"}"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeJudgeRequest("[]"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(JudgeCodec, VerdictNamesRoundTrip) {
  for (Verdict v : {Verdict::kAccepted, Verdict::kWrongAnswer, Verdict::kRuntimeError, Verdict::kTimeLimit,
                    Verdict::kMemoryLimit, Verdict::kOutputLimit, Verdict::kCompileError, Verdict::kInternalError}) {
    EXPECT_THAT(ParseVerdict(VerdictName(v)), IsOkAndHolds(v));
  }
  EXPECT_EQ(VerdictName(Verdict::kTimeLimit), "time_limit");
}

}  // namespace
}  // namespace clash::testing
