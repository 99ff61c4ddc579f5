// clash/tutor.h — the interfaces behind a level's hints and code reviews.
//
// The campaign answers `ai-hint/` through a HintProvider and `ai-analyze/` through a CodeReviewer.
// The built-ins work offline: NewAuthoredHints() returns the level's authored hint of the bought
// tier; NewStaticReviewer() reviews code without an LLM (syntax errors with line numbers, which
// public samples fail and how, simple complexity warnings), running the code only in the sandbox
// judge. The AI tutor implements the same interfaces (an LLM behind them, falling back to these).
//
// Thread-safety: implementations must be safe for concurrent use.
//
// Example:
//   auto reviewer = clash::NewStaticReviewer(gateway);
//   CLASH_ASSIGN_OR_RETURN(clash::CodeReview review, reviewer->Review({user, level, code}));
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clash/auth.h"
#include "clash/catalogue.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class JudgeGateway;

// What a provider sees: who asks, the level with its secrets, and the player's current code.
struct TutorRequest {
  const User& user;
  const Level& level;           // with secrets (cases, solution, authored hints)
  std::string_view user_code;
};

struct HintAnswer {
  int tier = 1;                 // 1-3
  std::string text;
  std::string source;           // "authored"; an AI provider says which model
};

class CLASH_EXPORT HintProvider {
 public:
  virtual ~HintProvider() = default;
  // The hint of `tier` (1-3) for the request. The campaign has checked that the tier is bought.
  virtual Result<HintAnswer> GetHint(const TutorRequest& request, int tier) = 0;
};

// The level's authored hint of the tier; NotFound if the level has fewer hints.
CLASH_EXPORT std::unique_ptr<HintProvider> NewAuthoredHints();

struct SyntaxIssue {
  int line = 0;                 // 1-based; 0 when unknown
  int column = 0;               // 1-based; 0 when unknown
  std::string message;          // "invalid syntax", "expected ':'", ...
};

// How one public sample behaves with the player's code.
struct SampleCheck {
  int index = 0;                // 0-based among the public cases
  std::string call;             // the call as Python, e.g. "greet('Ada')" (class mode: the ops)
  bool passed = false;
  std::string expected;         // Python literal
  std::string actual;           // Python literal of what came back ("" if nothing did)
  std::string problem;          // why it failed: "returned 'x' instead of 'y'", "raised KeyError: 'k'", ...
};

struct ReviewWarning {
  int line = 0;                 // 1-based
  std::string kind;             // "nested_loops", "membership_in_loop", "string_concat_in_loop", ...
  std::string message;
};

struct CodeReview {
  std::string summary;                    // a few lines of Markdown for the player
  std::vector<SyntaxIssue> syntax_errors; // empty when the code parses
  std::vector<SampleCheck> samples;       // one per public case (empty with syntax errors)
  std::vector<ReviewWarning> warnings;    // complexity and style findings
  std::string source;                     // "static"; an AI reviewer says which model
};

class CLASH_EXPORT CodeReviewer {
 public:
  virtual ~CodeReviewer() = default;
  virtual Result<CodeReview> Review(const TutorRequest& request) = 0;
};

// The offline reviewer: parses the code and looks for complexity problems in the sandbox (the code
// is only parsed there, never run), then runs the public samples in the sandbox judge. `judge` must
// outlive the reviewer. Unavailable/FailedPrecondition from the judge are returned as they are.
CLASH_EXPORT std::unique_ptr<CodeReviewer> NewStaticReviewer(JudgeGateway& judge);

}  // namespace clash
