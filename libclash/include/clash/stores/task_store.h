// clash/stores/task_store.h — storage of background tasks users poll (used by clash::Tasks).
//
// For backend authors: implement this interface (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls it directly. The contract suite
// (tests/storage/campaign_store_test.cpp) checks it on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"
#include "clash/tasks.h"

namespace clash {

class CLASH_EXPORT TaskStore {
 public:
  virtual ~TaskStore() = default;
  // Inserts `task`. AlreadyExists if the id is taken; FailedPrecondition if the user does not exist.
  virtual Status Insert(const TaskRecord& task) = 0;
  // The task with `id`, or nullopt.
  virtual Result<std::optional<TaskRecord>> Get(std::string_view id) = 0;
  // Moves an unfinished task (queued or running) to `state` with the result or error and
  // updated_at = `now`; returns false (changing nothing) if the task is unknown or already finished.
  virtual Result<bool> Update(std::string_view id, TaskState state, std::string_view result_json,
                              std::string_view error, Timestamp now) = 0;
  // Deletes the user's tasks created before `before`; returns how many.
  virtual Result<int> DeleteOlderThan(std::int64_t user_id, Timestamp before) = 0;
};

}  // namespace clash
