// clash/tasks.h — background tasks a user polls: queued, running, then success (with a result) or
// failed (with a message). Judged submissions use them when the judge is busy; the AI tutor's
// hints and reviews will too. The wire shape is the client contract's AI task status
// (GET /api/challenges/ai-tasks/{task_id}/status/).
//
// Tasks live in storage, so any host answers the poll. A task whose host stopped before finishing
// it is reported failed once it has been unfinished for longer than `lost_after`.
//
// Thread-safety: Tasks is safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(std::string id, engine->tasks().Create(user.id, "submission"));
//   ... later, on a worker thread ...
//   CLASH_RETURN_IF_ERROR(engine->tasks().Succeed(id, result_json));
//   CLASH_ASSIGN_OR_RETURN(clash::TaskRecord t, engine->tasks().Get(user.id, id));
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/rng.h"
#include "clash/status.h"

namespace clash {

class Storage;

enum class TaskState { kQueued, kRunning, kSuccess, kFailed };

// "queued", "running", "success", "failed" (the contract's names).
CLASH_EXPORT std::string_view TaskStateName(TaskState state);
// InvalidArgument for any other name.
CLASH_EXPORT Result<TaskState> ParseTaskState(std::string_view name);

struct TaskRecord {
  std::string id;                // 32 hex characters
  std::int64_t user_id = 0;      // the owner: only they may read it
  std::string kind;              // "submission"; the AI tutor adds its own kinds
  TaskState state = TaskState::kQueued;
  std::string result_json;       // on success: the result in the kind's stable JSON form
  std::string error;             // on failure: a message for the user
  Timestamp created_at;
  Timestamp updated_at;
  bool operator==(const TaskRecord&) const = default;
};

struct TasksOptions {
  std::chrono::seconds lost_after{600};     // unfinished longer than this: reported failed
  std::chrono::seconds keep_for{7 * 86400};  // a user's older tasks are deleted when they create one
};

class CLASH_EXPORT Tasks {
 public:
  Tasks(Storage& storage, Clock& clock, Rng& rng, TasksOptions options = {});

  // Creates a queued task of `kind` (1-40 characters) for `user_id` and returns its id; deletes the
  // user's tasks older than keep_for. InvalidArgument for a bad kind or unknown user.
  Result<std::string> Create(std::int64_t user_id, std::string_view kind);
  // queued -> running. FailedPrecondition if the task is unknown or finished.
  Status Start(std::string_view id);
  // Finishes the task with `result_json`. FailedPrecondition if the task is unknown or finished.
  Status Succeed(std::string_view id, std::string_view result_json);
  // Finishes the task with `error`. FailedPrecondition if the task is unknown or finished.
  Status Fail(std::string_view id, std::string_view error);
  // The task, if `user_id` owns it; NotFound("Task not found") for an unknown id or another user's
  // task (no difference is visible). A task unfinished for longer than lost_after comes back
  // failed ("the task was lost: its server stopped; try again").
  Result<TaskRecord> Get(std::int64_t user_id, std::string_view id);

 private:
  Status Finish(std::string_view id, TaskState state, std::string_view result, std::string_view error);
  Storage& storage_;
  Clock& clock_;
  Rng& rng_;
  TasksOptions options_;
};

}  // namespace clash
