// Internal: the level validator's parts (clash/level_validator.h).
#pragma once

#include <string>
#include <vector>

#include "clash/catalogue.h"
#include "clash/judge.h"
#include "clash/judge_cases.h"

namespace clash::internal {

// The checks that run no code: case counts, level.json rules (title, topics, hints without code
// or solution lines, numbering of python-NNN slugs), the statement's sections, signature and
// example, and the entry defined at top level of starter and solution. Findings, in order.
std::vector<std::string> StaticLevelChecks(const Level& level, const DataCases& cases);

// tools/levels/mutate.py, embedded at build time (generated mutate_py.cpp).
const char* MutatePy();

// One mutant of a solution.
struct Mutant {
  std::string op;            // "compare", "int_const", ...
  int line = 0;
  std::string description;
  std::string source;
};

// The judge requests that bring the mutants of `solution` out of the sandbox: mutate.py runs
// there and prints chunk `chunk` of its (compact) answer. Its stdout_excerpt goes to
// AddMutantChunk.
JudgeRequest MutantChunkRequest(const std::string& solution, int chunk);

// Collects chunks; Done() once every chunk arrived. Mutants() parses the whole answer.
class MutantCollector {
 public:
  // Adds the stdout of a chunk run. InvalidArgument for output that is not a chunk.
  Status Add(const std::string& stdout_excerpt, int chunk);
  bool Done() const { return total_ >= 0 && static_cast<long>(text_.size()) >= total_; }
  // Chunks the answer needs (known after the first chunk).
  int ChunkCount() const;
  Result<std::vector<Mutant>> Mutants() const;

 private:
  long total_ = -1;
  std::string text_;
};

}  // namespace clash::internal
