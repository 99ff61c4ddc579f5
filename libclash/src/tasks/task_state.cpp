// Task state names (in clash_core: the task store needs them).
#include <string>

#include "clash/tasks.h"

namespace clash {

std::string_view TaskStateName(TaskState state) {
  switch (state) {
    case TaskState::kQueued: return "queued";
    case TaskState::kRunning: return "running";
    case TaskState::kSuccess: return "success";
    case TaskState::kFailed: return "failed";
  }
  return "failed";
}

Result<TaskState> ParseTaskState(std::string_view name) {
  for (TaskState s : {TaskState::kQueued, TaskState::kRunning, TaskState::kSuccess, TaskState::kFailed}) {
    if (TaskStateName(s) == name) return s;
  }
  return Status::InvalidArgument("unknown task state '" + std::string(name) + "'");
}

}  // namespace clash
