// Mutants of a reference solution, made inside the sandbox by the embedded mutate.py and brought out
// through the judge's stdout excerpt (4 KiB per run) in chunks of a compact answer: the solution
// as mutate.py re-prints it (ast.unparse), then per mutant only the lines that differ.
#include <nlohmann/json.hpp>

#include "campaign/level_checks.h"

namespace clash::internal {
namespace {

constexpr int kChunkChars = 3500;  // + a header line: well inside the judge's 4 KiB stdout excerpt
constexpr const char* kHeader = "CLASH-MUTANTS ";

// Appended to mutate.py: prints chunk _CLASH_CHUNK of the answer; _clash_done is the entry the
// judge calls (one case, so the run counts as accepted and its stdout is kept).
constexpr const char* kDriver = R"PY(
import json as _clash_json
def _clash_mutant_answer(src):
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    base = ast.unparse(ast.parse(src)) + "\n"
    bl = base.split("\n")
    out = []
    for m in mutants(src):
        ml = m["source"].split("\n")
        p = 0
        while p < len(bl) and p < len(ml) and bl[p] == ml[p]:
            p += 1
        s = 0
        while s < len(bl) - p and s < len(ml) - p and bl[len(bl) - 1 - s] == ml[len(ml) - 1 - s]:
            s += 1
        out.append([m["operator"], m["line"], m["description"], p, len(bl) - p - s, ml[p:len(ml) - s]])
    return _clash_json.dumps({"base": base, "mutants": out}, ensure_ascii=True, separators=(",", ":"))
_clash_answer = _clash_mutant_answer(_CLASH_SOURCE)
print("CLASH-MUTANTS %d" % len(_clash_answer))
print(_clash_answer[_CLASH_CHUNK * _CLASH_CHUNK_CHARS:(_CLASH_CHUNK + 1) * _CLASH_CHUNK_CHARS], flush=True)
def _clash_done():
    return 0
)PY";

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
}

}  // namespace

JudgeRequest MutantChunkRequest(const std::string& solution, int chunk) {
  Result<std::string> literal = PythonLiteral(CaseValue::Str(solution));
  JudgeRequest r;
  r.language = "python3";
  // __name__ keeps mutate.py's command-line entry point from running.
  r.source = "__name__ = 'clash_mutate'\n_CLASH_SOURCE = " + (literal.ok() ? *literal : std::string("''")) +
             "\n_CLASH_CHUNK = " + std::to_string(chunk) + "\n_CLASH_CHUNK_CHARS = " + std::to_string(kChunkChars) +
             "\n" + MutatePy() + kDriver;
  DataCases done;
  done.entry = "_clash_done";
  DataCase c;
  c.is_public = true;
  c.expected = CaseValue::Int(0);
  done.cases.push_back(std::move(c));
  r.data_cases = std::move(done);
  r.limits.cpu_time = std::chrono::seconds(10);
  r.limits.wall_time = std::chrono::seconds(60);
  r.limits.memory_bytes = 512LL << 20;
  return r;
}

Status MutantCollector::Add(const std::string& out, int chunk) {
  const std::size_t nl = out.find('\n');
  if (out.rfind(kHeader, 0) != 0 || nl == std::string::npos) {
    return Status::InvalidArgument("mutate.py printed no mutants");
  }
  const long total = std::strtol(out.c_str() + std::char_traits<char>::length(kHeader), nullptr, 10);
  if (total < 0 || (total_ >= 0 && total != total_)) return Status::InvalidArgument("mutate.py's answer changed between runs");
  total_ = total;
  if (static_cast<long>(text_.size()) != static_cast<long>(chunk) * kChunkChars) {
    return Status::InvalidArgument("mutant chunks arrived out of order");
  }
  std::string piece = out.substr(nl + 1);
  while (!piece.empty() && piece.back() == '\n') piece.pop_back();
  text_ += piece;
  return Status::Ok();
}

int MutantCollector::ChunkCount() const {
  if (total_ < 0) return 1;
  return static_cast<int>(std::max<long>(1, (total_ + kChunkChars - 1) / kChunkChars));
}

Result<std::vector<Mutant>> MutantCollector::Mutants() const {
  using nlohmann::json;
  json j = json::parse(text_, nullptr, false);
  if (!j.is_object() || !j.contains("base") || !j.contains("mutants")) {
    return Status::InvalidArgument("mutate.py's answer is not the expected JSON");
  }
  try {
    const std::vector<std::string> base = SplitLines(j["base"].get<std::string>());
    std::vector<Mutant> out;
    for (const json& m : j["mutants"]) {
      const std::size_t keep = m.at(3).get<std::size_t>();
      const std::size_t removed = m.at(4).get<std::size_t>();
      if (keep + removed > base.size()) return Status::InvalidArgument("a mutant does not fit its solution");
      std::vector<std::string> lines(base.begin(), base.begin() + static_cast<long>(keep));
      for (const json& l : m.at(5)) lines.push_back(l.get<std::string>());
      lines.insert(lines.end(), base.begin() + static_cast<long>(keep + removed), base.end());
      Mutant mutant{.op = m.at(0).get<std::string>(), .line = m.at(1).get<int>(),
                    .description = m.at(2).get<std::string>(), .source = ""};
      for (std::size_t i = 0; i < lines.size(); ++i) mutant.source += (i ? "\n" : "") + lines[i];
      out.push_back(std::move(mutant));
    }
    return out;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("mutate.py's answer is malformed: ") + e.what());
  }
}

}  // namespace clash::internal
