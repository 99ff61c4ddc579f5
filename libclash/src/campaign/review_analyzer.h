// Internal: the static reviewer's analyzer (runs in the sandbox; parses, never runs, the code).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "clash/judge.h"
#include "clash/tutor.h"

namespace clash::internal {

struct AnalyzerFindings {
  std::optional<SyntaxIssue> syntax;
  std::vector<ReviewWarning> warnings;
};

// The judge request that analyzes `code`.
JudgeRequest AnalyzerRequest(std::string_view code);
// Its findings from the run's stdout. Internal if the analyzer did not answer.
Result<AnalyzerFindings> ParseAnalyzerOutput(const JudgeResult& run);

}  // namespace clash::internal
