// clash/level_validator.h — the authoring checks of a level, run through the sandbox judge.
//
// The checks of docs/levels.md ("Authoring checks"), the same as tools/levels/check_levels.py but
// with every piece of level code run in the sandbox judge: the folder's files and level.json
// (keys, numbering of campaign slugs python-NNN, hints without code or solution lines), the
// statement's sections, signature and example, the cases (2-4 public, >= 8 hidden), the reference
// solution accepted on every case within 1 s of CPU, the starter refused on a public case, the
// rendered test_code accepting the solution and refusing the starter, and the mutation score: the
// embedded tools/levels/mutate.py makes the mutants of the solution inside the sandbox, every mutant
// is judged against the cases, and the share the cases reject must reach the minimum (90 %).
//
// Thread-safety: LevelValidator is safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(auto judge, clash::NewSandboxJudgeGateway({}, {.workers = 2}));
//   clash::LevelValidator validator(*judge);
//   CLASH_ASSIGN_OR_RETURN(std::vector<clash::LevelReport> reports, validator.ValidatePath("data/levels"));
//   for (const auto& r : reports) std::printf("%s\n", r.Line().c_str());   // python-007 mutants 23/24 killed 95.8%
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clash/catalogue.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class JudgeGateway;

struct LevelReport {
  std::string slug;                     // the folder's name when level.json cannot be read
  std::vector<std::string> errors;      // empty when every check passed
  int mutants = 0;                      // distinct, compilable mutants of the solution
  int killed = 0;                       // mutants the cases reject
  double score = 0;                     // killed / mutants in percent (100 without mutants)
  bool mutation_checked = false;        // the mutation step ran
  std::vector<std::string> survivors;   // "line 4 compare: `<` -> `<=` in `a < b`"
  bool ok = false;                      // no errors and score >= the minimum
  // One line as check_levels.py prints it: "python-007 mutants 23/24 killed 95.8%", or
  // "python-007 ERROR: <first error>".
  std::string Line() const;
};

// Progress of a validation run, reported after every judged step.
struct ValidationProgress {
  std::string slug;                     // the level being checked
  int level_index = 0;                  // 0-based among the levels of the run
  int level_count = 0;
  int done = 0;                         // judge runs finished for this level
  int total = 0;                        // judge runs planned for this level (grows once mutants are known)
};

struct ValidationOptions {
  double min_score = 90.0;              // percent
  bool mutation = true;                 // false: skip the (slow) mutation step
  bool run_code = true;                 // false: only the checks that run no code (no judge)
  std::function<void(const ValidationProgress&)> on_progress;  // called on the caller's thread
};

class CLASH_EXPORT LevelValidator {
 public:
  // `judge` must outlive the validator.
  explicit LevelValidator(JudgeGateway& judge) : judge_(judge) {}

  // Validates one level (with its secrets) as read from a folder or sent by staff. Returns the
  // report (findings are in it, not in the status); errors only when the judge cannot run
  // (FailedPrecondition, Unavailable).
  Result<LevelReport> Validate(const Level& level, const ValidationOptions& options = {}, int index = 0,
                               int count = 1);
  // Validates a level folder (files, then Validate).
  Result<LevelReport> ValidateFolder(const std::string& folder, const ValidationOptions& options = {},
                                     int index = 0, int count = 1);
  // `path` is a level folder (it has level.json) or a directory of level folders (validated in
  // name order). InvalidArgument if it is neither.
  Result<std::vector<LevelReport>> ValidatePath(const std::string& path, const ValidationOptions& options = {});

 private:
  JudgeGateway& judge_;
};

// A staff write: the stored level (with secrets) and its validation report.
struct LevelWrite {
  Level level;
  LevelReport report;
};

}  // namespace clash
