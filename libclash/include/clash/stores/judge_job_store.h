// clash/stores/judge_job_store.h — storage of the judge job queue shared by hosts and judge workers (used by NewStorageJudgeQueue).
//
// For backend authors: implement these interfaces (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls them directly. Every method runs inside the
// transaction that handed the store out and documents its success and failure results; the contract
// suite (tests/storage/) checks them on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

// Judge jobs: the queue judge workers on other machines pull from (see clash/judge.h,
// NewStorageJudgeQueue). Requests and verdicts are opaque JSON texts here (EncodeJudgeRequest /
// EncodeJudgeResult). Times are the caller's clock; nothing reads the database server's clock.
struct JudgeJobRecord {
  std::int64_t id = 0;
  std::string request_json;
  int attempts = 0;          // claims before this one
};

class CLASH_EXPORT JudgeJobStore {
 public:
  virtual ~JudgeJobStore() = default;
  // Inserts a pending job and returns its id (ids increase with insertion order).
  virtual Result<std::int64_t> Insert(std::string_view request_json, Timestamp now) = 0;
  // Jobs not finished yet (pending, or running under a lease).
  virtual Result<std::int64_t> CountUnfinished() = 0;
  // The oldest job that is pending, or running with lease_until <= now, locked until the
  // transaction ends; nullopt if there is none. Concurrent transactions never get the same job:
  // on PostgreSQL rows locked by another transaction are skipped (FOR UPDATE SKIP LOCKED); on
  // SQLite the write transaction is exclusive. Claim it (MarkRunning) or finish it (MarkDone) in
  // the same transaction.
  virtual Result<std::optional<JudgeJobRecord>> LockNextClaimable(Timestamp now) = 0;
  // Marks job `id` running for `worker` until `lease_until` and counts one more attempt.
  // NotFound if there is no such job.
  virtual Status MarkRunning(std::int64_t id, std::string_view worker, Timestamp lease_until, Timestamp now) = 0;
  // Stores the verdict of job `id` if it is running and claimed by `worker`. NotFound for an
  // unknown id; FailedPrecondition if it is not (or no longer) claimed by `worker`.
  virtual Status Complete(std::int64_t id, std::string_view worker, std::string_view result_json, Timestamp now) = 0;
  // Finishes job `id` with `result_json` whatever its state (used for jobs out of attempts).
  // NotFound if there is no such job.
  virtual Status MarkDone(std::int64_t id, std::string_view result_json, Timestamp now) = 0;
  // The stored verdict of job `id`, nullopt while it is pending or running. NotFound if unknown.
  virtual Result<std::optional<std::string>> LoadResult(std::int64_t id) = 0;
};

}  // namespace clash
