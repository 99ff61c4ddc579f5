// The fields of JudgeLimits by their key in the JSON forms: one table for the encoder, the
// decoder (ParseJudgeRequestJson) and ValidateJudgeLimits.
#pragma once

#include <cstdint>

#include "clash/judge.h"

namespace clash::internal {

struct LimitField {
  const char* key;
  std::int64_t (*get)(const JudgeLimits&);
  void (*set)(JudgeLimits&, std::int64_t);
};

inline constexpr LimitField kLimitFields[] = {
    {"cpu_ms", [](const JudgeLimits& l) -> std::int64_t { return l.cpu_time.count(); },
     [](JudgeLimits& l, std::int64_t v) { l.cpu_time = std::chrono::milliseconds(v); }},
    {"wall_ms", [](const JudgeLimits& l) -> std::int64_t { return l.wall_time.count(); },
     [](JudgeLimits& l, std::int64_t v) { l.wall_time = std::chrono::milliseconds(v); }},
    {"memory_bytes", [](const JudgeLimits& l) { return l.memory_bytes; },
     [](JudgeLimits& l, std::int64_t v) { l.memory_bytes = v; }},
    {"output_bytes", [](const JudgeLimits& l) { return l.output_bytes; },
     [](JudgeLimits& l, std::int64_t v) { l.output_bytes = v; }},
    {"file_bytes", [](const JudgeLimits& l) { return l.file_bytes; },
     [](JudgeLimits& l, std::int64_t v) { l.file_bytes = v; }},
    {"processes", [](const JudgeLimits& l) -> std::int64_t { return l.processes; },
     [](JudgeLimits& l, std::int64_t v) { l.processes = static_cast<int>(v); }},
    {"open_files", [](const JudgeLimits& l) -> std::int64_t { return l.open_files; },
     [](JudgeLimits& l, std::int64_t v) { l.open_files = static_cast<int>(v); }},
};

}  // namespace clash::internal
