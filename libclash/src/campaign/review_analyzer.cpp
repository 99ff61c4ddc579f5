// The static reviewer's analyzer: a Python program run in the sandbox that parses the player's code
// (ast.parse; the code itself never runs there) and prints its findings as one JSON line.
#include "campaign/review_analyzer.h"

#include <nlohmann/json.hpp>

namespace clash::internal {
namespace {

constexpr const char* kAnalyzer = R"PY(
import ast, json
LOOPS = (ast.For, ast.While, ast.AsyncFor, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
def _analyze(code):
    try:
        tree = ast.parse(code)
    except SyntaxError as e:
        return {"syntax": {"line": e.lineno or 0, "column": e.offset or 0, "message": e.msg}, "warnings": []}
    except (ValueError, RecursionError, MemoryError) as e:
        return {"syntax": {"line": 0, "column": 0, "message": str(e)[:200]}, "warnings": []}
    found = []
    def warn(node, kind, message):
        item = {"line": getattr(node, "lineno", 0), "kind": kind, "message": message}
        if item not in found:
            found.append(item)
    def loop_depth(parents):
        return sum(1 for p in parents if isinstance(p, LOOPS))
    def walk(node, parents):
        depth = loop_depth(parents)
        if isinstance(node, LOOPS) and depth >= 1 and not isinstance(node, (ast.GeneratorExp,)):
            power = depth + 1
            warn(node, "nested_loops", "a loop inside %s: about O(n^%d) steps for inputs of size n; a dict or set, "
                 "or sorting once, often removes the inner loop" % ("a loop" if depth == 1 else "nested loops", power))
        if depth >= 1 and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in ("index", "count", "remove"):
                warn(node, "search_in_loop", ".%s() scans the whole list on every pass of the loop; a dict or set "
                     "finds an item in one step" % name)
            elif name == "pop" and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == 0:
                warn(node, "shift_in_loop", ".pop(0) moves every element on every pass; collections.deque.popleft() "
                     "does not")
            elif name == "insert" and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == 0:
                warn(node, "shift_in_loop", ".insert(0, ...) moves every element on every pass; append and reverse "
                     "once, or use collections.deque")
            elif name == "sort":
                warn(node, "sort_in_loop", "sorting inside a loop repeats O(n log n) work on every pass; sort once "
                     "before the loop")
        if depth >= 1 and isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sorted":
            warn(node, "sort_in_loop", "sorted() inside a loop repeats O(n log n) work on every pass; sort once "
                 "before the loop")
        if depth >= 1 and isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and \
                isinstance(node.value, (ast.JoinedStr, ast.Constant)) and isinstance(getattr(node.value, "value", ""), str):
            warn(node, "string_concat_in_loop", "building a string with += in a loop copies it every time; collect "
                 "the pieces in a list and ''.join() them")
        if isinstance(node, ast.While) and isinstance(node.test, ast.Constant) and node.test.value is True:
            if not any(isinstance(n, (ast.Break, ast.Return, ast.Raise)) for n in ast.walk(node)):
                warn(node, "endless_loop", "`while True` without break, return or raise never ends")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            calls = [n for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                     and n.func.id == node.name]
            cached = any(("cache" in ast.unparse(d)) for d in node.decorator_list)
            if len(calls) >= 2 and not cached:
                warn(node, "exponential_recursion", "%s() calls itself %d times per call: the work can grow "
                     "exponentially; remember results (functools.cache) or loop instead" % (node.name, len(calls)))
        for child in ast.iter_child_nodes(node):
            walk(child, parents + [node])
    walk(tree, [])
    found.sort(key=lambda w: w["line"])
    return {"syntax": None, "warnings": found[:12]}
print("CLASH-REVIEW " + json.dumps(_analyze(_CLASH_CODE), ensure_ascii=True, separators=(",", ":")), flush=True)
def _clash_done():
    return 0
)PY";

}  // namespace

JudgeRequest AnalyzerRequest(std::string_view code) {
  Result<std::string> literal = PythonLiteral(CaseValue::Str(std::string(code)));
  JudgeRequest r;
  r.language = "python3";
  r.source = "_CLASH_CODE = " + (literal.ok() ? *literal : std::string("''")) + "\n" + kAnalyzer;
  DataCases done;
  done.entry = "_clash_done";
  DataCase c;
  c.is_public = true;
  c.expected = CaseValue::Int(0);
  done.cases.push_back(std::move(c));
  r.data_cases = std::move(done);
  r.limits.cpu_time = std::chrono::seconds(5);
  r.limits.wall_time = std::chrono::seconds(30);
  return r;
}

Result<AnalyzerFindings> ParseAnalyzerOutput(const JudgeResult& run) {
  const std::string& out = run.stdout_excerpt;
  const std::string head = "CLASH-REVIEW ";
  if (run.verdict != Verdict::kAccepted || out.rfind(head, 0) != 0) {
    return Status::Internal("the code analyzer failed: " + run.message);
  }
  const std::size_t end = out.find('\n');
  nlohmann::json j = nlohmann::json::parse(out.substr(head.size(), end == std::string::npos ? std::string::npos : end - head.size()),
                                           nullptr, false);
  if (!j.is_object()) return Status::Internal("the code analyzer's answer is not JSON (too many findings?)");
  AnalyzerFindings f;
  try {
    if (!j.at("syntax").is_null()) {
      const auto& s = j.at("syntax");
      f.syntax = SyntaxIssue{.line = s.at("line").get<int>(), .column = s.at("column").get<int>(),
                             .message = s.at("message").get<std::string>()};
    }
    for (const auto& w : j.at("warnings")) {
      f.warnings.push_back(ReviewWarning{.line = w.at("line").get<int>(), .kind = w.at("kind").get<std::string>(),
                                         .message = w.at("message").get<std::string>()});
    }
  } catch (const nlohmann::json::exception&) {
    return Status::Internal("the code analyzer's answer is malformed");
  }
  return f;
}

}  // namespace clash::internal
