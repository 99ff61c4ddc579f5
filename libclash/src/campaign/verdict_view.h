// Internal: what a player may see of a verdict, and the JSON helpers of the campaign.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "clash/judge.h"
#include "clash/judge_cases.h"

namespace clash::internal {

// "wrong_answer", ... (the judge's wire names; kept here so the campaign builds without the judge).
std::string_view VerdictWireName(Verdict v);
Result<Verdict> ParseVerdictWireName(std::string_view name);

// The verdict a player sees. `full` judged every case: only its structure is used (verdict kind,
// counts, per-case results, the failing case's index, times), because the player's code held every
// case's arguments and anything it wrote (messages, output, returned values) could carry hidden
// inputs. Details (the public failing case's arguments, expected and actual values, messages,
// stdout and stderr) come from `public_run`, a run of the public cases alone, when given.
JudgeResult PlayerVerdict(const DataCases& cases, const JudgeResult& full, const JudgeResult* public_run);

// The JSON of a player verdict (EncodeSubmissionOutcome's "verdict") and back.
// first_failure.input holds the public case's call as Python ("greet('Ada')").
nlohmann::json VerdictToJson(const JudgeResult& v);
Result<JudgeResult> VerdictFromJson(const nlohmann::json& j);

// The reference's reading of a boolean form value: true, a number equal to 1, or a string
// "1"/"true"/"yes"/"on" (any case) are true; anything else is false.
bool LenientBool(const nlohmann::json& v);

}  // namespace clash::internal
