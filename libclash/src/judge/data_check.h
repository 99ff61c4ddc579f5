// The checker of cases as data: compares what the harness reported with the expected values,
// in the judge process (the player's process never sees an expected value).
#pragma once

#include <cstddef>

#include "clash/judge.h"
#include "judge/python_runner.h"

namespace clash::internal {

// Scores the cases `report` holds, in order: fills case_results, tests_total and tests_passed.
// Returns true and sets the verdict if the run is decided by them: the first case whose result
// differs (kWrongAnswer), cannot be encoded (kWrongAnswer) or raised where no exception was
// expected (kRuntimeError), or a report the player's code tampered with (kRuntimeError).
bool ScoreDataCases(const DataCases& cases, const RunnerReport& report, JudgeResult& r);

// The execution ended (limits, a crash, an early exit) while case `running` ran: names it as the
// first failure (no actual value) and the message says which case it was.
void NoteRunningCase(const DataCases& cases, size_t running, JudgeResult& r);

}  // namespace clash::internal
