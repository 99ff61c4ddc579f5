// JudgeQueue on clash::Storage (table judge_jobs): the queue shared by hosts and remote workers.
#include <charconv>
#include <optional>
#include <string>
#include <system_error>

#include "clash/judge.h"
#include "clash/storage.h"

namespace clash {
namespace {

constexpr int kJudgeJobsSchemaVersion = 3;

std::optional<std::int64_t> ParseJobId(std::string_view id) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec != std::errc() || end != id.data() + id.size() || n <= 0) return std::nullopt;
  return n;
}

Status UnknownJob(std::string_view id) { return Status::NotFound("judge job " + std::string(id) + " not found"); }

std::string InternalErrorJson(const std::string& message) {
  JudgeResult r;
  r.verdict = Verdict::kInternalError;
  r.message = message;
  return EncodeJudgeResult(r);
}

class StorageJudgeQueue final : public JudgeQueue {
 public:
  StorageJudgeQueue(Storage& storage, Clock& clock, StorageJudgeQueueOptions options)
      : storage_(storage), clock_(clock), options_(options) {}

  Result<std::string> Enqueue(const JudgeRequest& request) override {
    const std::string json = EncodeJudgeRequest(request);
    std::int64_t id = 0;
    bool full = false;
    Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(std::int64_t unfinished, tx.judge_jobs().CountUnfinished());
      full = unfinished >= options_.capacity;
      if (full) return Status::Ok();
      CLASH_ASSIGN_OR_RETURN(id, tx.judge_jobs().Insert(json, clock_.Now()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (full) return Status::Unavailable("judge queue is full").WithRetryAfter(options_.retry_after_seconds);
    return std::to_string(id);
  }

  Result<std::optional<JudgeJob>> Claim(std::string_view worker_id, std::chrono::milliseconds lease) override {
    std::optional<JudgeJob> claimed;
    Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
      claimed.reset();  // Transact may run this again after a conflict
      const Timestamp now = clock_.Now();
      JudgeJobStore& jobs = tx.judge_jobs();
      for (;;) {
        CLASH_ASSIGN_OR_RETURN(std::optional<JudgeJobRecord> rec, jobs.LockNextClaimable(now));
        if (!rec) return Status::Ok();
        if (rec->attempts >= options_.max_attempts) {
          CLASH_RETURN_IF_ERROR(jobs.MarkDone(rec->id,
                                              InternalErrorJson("internal error: judging failed " +
                                                                std::to_string(rec->attempts) + " times"),
                                              now));
          continue;
        }
        Result<JudgeRequest> request = DecodeJudgeRequest(rec->request_json);
        if (!request.ok()) {
          CLASH_RETURN_IF_ERROR(
              jobs.MarkDone(rec->id, InternalErrorJson("internal error: unreadable judge job"), now));
          continue;
        }
        CLASH_RETURN_IF_ERROR(jobs.MarkRunning(rec->id, worker_id, now + lease, now));
        claimed = JudgeJob{std::to_string(rec->id), std::move(request).value(), rec->attempts + 1};
        return Status::Ok();
      }
    });
    if (!s.ok()) return s;
    return claimed;
  }

  Status Complete(std::string_view job_id, std::string_view worker_id, const JudgeResult& result) override {
    std::optional<std::int64_t> id = ParseJobId(job_id);
    if (!id) return UnknownJob(job_id);
    const std::string json = EncodeJudgeResult(result);
    return storage_.Transact([&](StorageTransaction& tx) -> Status {
      return tx.judge_jobs().Complete(*id, worker_id, json, clock_.Now());
    });
  }

  Result<std::optional<JudgeResult>> Lookup(std::string_view job_id) override {
    std::optional<std::int64_t> id = ParseJobId(job_id);
    if (!id) return UnknownJob(job_id);
    std::optional<std::string> json;
    Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(json, tx.judge_jobs().LoadResult(*id));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (!json) return std::optional<JudgeResult>();
    CLASH_ASSIGN_OR_RETURN(JudgeResult result, DecodeJudgeResult(*json));
    return std::optional<JudgeResult>(std::move(result));
  }

 private:
  Storage& storage_;
  Clock& clock_;
  const StorageJudgeQueueOptions options_;
};

}  // namespace

Result<std::unique_ptr<JudgeQueue>> NewStorageJudgeQueue(Storage& storage, Clock& clock,
                                                         StorageJudgeQueueOptions options) {
  if (options.capacity < 1) return Status::InvalidArgument("judge queue: capacity must be >= 1");
  if (options.max_attempts < 1) return Status::InvalidArgument("judge queue: max_attempts must be >= 1");
  CLASH_ASSIGN_OR_RETURN(int version, storage.SchemaVersion());
  if (version < kJudgeJobsSchemaVersion) {
    return Status::FailedPrecondition("judge queue: storage schema " + std::to_string(version) +
                                      " has no judge_jobs table (needs " +
                                      std::to_string(kJudgeJobsSchemaVersion) + ")");
  }
  return std::unique_ptr<JudgeQueue>(std::make_unique<StorageJudgeQueue>(storage, clock, options));
}

}  // namespace clash
