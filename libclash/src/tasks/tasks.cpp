// Background tasks a user polls: stored, so any host answers; a lost task is reported failed.
#include "clash/tasks.h"

#include "clash/storage.h"

namespace clash {
namespace {

constexpr std::size_t kMaxKind = 40;
constexpr const char* kLost = "the task was lost: its server stopped before finishing it; try again";

Status NotFound() { return Status::NotFound("Task not found"); }

}  // namespace

Tasks::Tasks(Storage& storage, Clock& clock, Rng& rng, TasksOptions options)
    : storage_(storage), clock_(clock), rng_(rng), options_(options) {}

Result<std::string> Tasks::Create(std::int64_t user_id, std::string_view kind) {
  if (kind.empty() || kind.size() > kMaxKind) return Status::InvalidArgument("task kind must have 1-40 characters");
  const Timestamp now = clock_.Now();
  TaskRecord task{.id = rng_.HexToken(16), .user_id = user_id, .kind = std::string(kind), .state = TaskState::kQueued,
                  .result_json = "", .error = "", .created_at = now, .updated_at = now};
  const Timestamp cutoff = Timestamp::FromUnixMicros(
      now.unix_micros() - std::chrono::duration_cast<std::chrono::microseconds>(options_.keep_for).count());
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    Result<int> pruned = tx.tasks().DeleteOlderThan(user_id, cutoff);
    if (!pruned.ok()) return pruned.status();
    return tx.tasks().Insert(task);
  });
  if (s.code() == StatusCode::kFailedPrecondition) return Status::InvalidArgument("unknown user");
  CLASH_RETURN_IF_ERROR(s);
  return task.id;
}

Status Tasks::Finish(std::string_view id, TaskState state, std::string_view result, std::string_view error) {
  bool updated = false;
  CLASH_RETURN_IF_ERROR(storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(updated, tx.tasks().Update(id, state, result, error, clock_.Now()));
    return Status::Ok();
  }));
  if (!updated) return Status::FailedPrecondition("task is unknown or already finished");
  return Status::Ok();
}

Status Tasks::Start(std::string_view id) { return Finish(id, TaskState::kRunning, "", ""); }

Status Tasks::Succeed(std::string_view id, std::string_view result_json) {
  return Finish(id, TaskState::kSuccess, result_json, "");
}

Status Tasks::Fail(std::string_view id, std::string_view error) { return Finish(id, TaskState::kFailed, "", error); }

Result<TaskRecord> Tasks::Get(std::int64_t user_id, std::string_view id) {
  std::optional<TaskRecord> task;
  CLASH_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(task, tx.tasks().Get(id));
    return Status::Ok();
  }));
  if (!task || task->user_id != user_id) return NotFound();
  const bool unfinished = task->state == TaskState::kQueued || task->state == TaskState::kRunning;
  const auto age = std::chrono::microseconds(clock_.Now().unix_micros() - task->updated_at.unix_micros());
  if (unfinished && age > options_.lost_after) {
    task->state = TaskState::kFailed;
    task->error = kLost;
  }
  return *task;
}

}  // namespace clash
