"""Tests of tools/puzzles/check_puzzles.py on small good and bad puzzle folders in a temp dir.

Run: /usr/bin/python3 -m pytest tools/puzzles/test_check_puzzles.py -q
Needs g++ and node on PATH (as the checker does). No test depends on timing: the one run that
hits the CPU limit loops forever, so it fails however loaded the machine is.
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CHECKER = HERE / "check_puzzles.py"
REPO = HERE.parents[1]

_spec = importlib.util.spec_from_file_location("check_puzzles", CHECKER)
cp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cp)

SOLUTION_PY = "a, b = map(int, open(0).read().split())\nprint(a + b)\n"
SOLUTION_CPP = """#include <iostream>
int main() {
  long long a, b;
  std::cin >> a >> b;
  std::cout << a + b << "\\n";
}
"""
SOLUTION_JS = """const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);
console.log(a + b);
"""
STATEMENT = """### Goal
Add two integers.

### Input
One line: two integers `A` and `B`.

### Output
Their sum.

### Constraints
-1000 ≤ `A`, `B` ≤ 1000

### Example
Input
```text
{input}```
Output
```text
{output}```
"""
PAIRS = [(1, 2), (-5, 5), (0, 0), (1000, 1000), (-1000, -1000), (7, -3), (123, 456), (-1, 0),
         (2, 2)]


def make_cases(public=2, hidden=6):
    cases = []
    for i, (a, b) in enumerate(PAIRS[:public + hidden]):
        is_public = i < public
        name = f"sample-{i + 1}" if is_public else f"hidden-{i + 1 - public}"
        cases.append({"name": name, "public": is_public, "input": f"{a} {b}\n",
                      "output": f"{a + b}\n"})
    return cases


def write_puzzle(root, slug="add-two", meta=None, cases=None, statement=None, files=None):
    """A valid puzzle folder; keyword arguments replace its parts."""
    folder = root / slug
    folder.mkdir(parents=True)
    meta = meta if meta is not None else {
        "slug": slug, "title": f"Add Two {slug}", "difficulty": 1, "topics": ["arithmetic"],
        "modes": ["fastest", "shortest"]}
    cases = cases if cases is not None else make_cases()
    first = next(c for c in cases if c["public"])
    if statement is None:
        statement = STATEMENT.format(input=first["input"], output=first["output"])
    contents = {"puzzle.json": json.dumps(meta), "cases.json": json.dumps({"cases": cases}),
                "statement.md": statement, "solution.py": SOLUTION_PY,
                "solution.cpp": SOLUTION_CPP, "solution.js": SOLUTION_JS}
    contents.update(files or {})
    for name, text in contents.items():
        if text is not None:
            (folder / name).write_text(text)
    return folder


def problems_of(folder):
    report = cp.check_puzzle(folder, run=False)
    return report.problems


def run_cli(*args):
    return subprocess.run([sys.executable, str(CHECKER), *map(str, args)], capture_output=True,
                          text=True, timeout=600)


# --- whole runs through the command line -----------------------------------------------------

def test_good_puzzle_passes_in_all_three_languages(tmp_path):
    write_puzzle(tmp_path)
    result = run_cli("--root", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"add-two\s+py ok\s+cpp ok\s+js ok\s+8 cases", lines[0])
    assert lines[1].startswith("1 puzzles: 1 ok, 0 failed")


def test_wrong_answer_on_one_hidden_case_fails_that_language_only(tmp_path):
    js = SOLUTION_JS.replace("console.log(a + b);",
                             "console.log(a === 123 ? a + b + 1 : a + b);")
    write_puzzle(tmp_path, files={"solution.js": js})
    result = run_cli("--root", tmp_path)
    assert result.returncode == 1
    assert re.match(r"add-two\s+py ok\s+cpp ok\s+js FAIL\s+8 cases", result.stdout)
    assert "js: case 'hidden-5' (hidden): wrong answer: expected '579', got '580'" in result.stdout
    assert "failed: add-two" in result.stdout


def test_compile_error_runtime_error_and_missing_file_are_reported(tmp_path):
    write_puzzle(tmp_path, files={
        "solution.cpp": "int main() { return undeclared; }\n",
        "solution.py": "a, b = map(int, input().split())\nprint(a + b + 0 // (a - 1))\n"})
    write_puzzle(tmp_path, slug="no-js", files={"solution.js": None})
    result = run_cli("--root", tmp_path, "--jobs", "2")     # lines still in folder order
    assert result.returncode == 1
    out = result.stdout
    assert re.search(r"^add-two\s+py FAIL\s+cpp FAIL\s+js ok", out, re.M)
    assert "cpp: compile error:" in out and "undeclared" in out
    assert ("py: case 'sample-1' (public): runtime error (exit code 1): ZeroDivisionError"
            in out)
    assert "py: case 'sample-2'" not in out        # only a = 1 divides by zero
    assert re.search(r"^no-js\s+py skip\s+cpp skip\s+js FAIL", out, re.M)
    assert "solution.js: missing" in out
    assert "failed: add-two no-js" in out
    assert out.index("add-two ") < out.index("no-js ")


def test_endless_loop_hits_the_cpu_limit(tmp_path):
    loop = "a, b = map(int, open(0).read().split())\nwhile a == 7:\n    pass\nprint(a + b)\n"
    meta = {"slug": "add-two", "title": "Add", "difficulty": 1, "topics": ["arithmetic"],
            "modes": ["fastest"], "time_limit_seconds": 1}
    write_puzzle(tmp_path, meta=meta, files={"solution.py": loop})
    result = run_cli("--root", tmp_path)
    assert result.returncode == 1
    assert re.search(r"py: case 'hidden-4' \(hidden\): time limit exceeded", result.stdout)
    assert result.stdout.count("time limit exceeded") == 1


def test_flooding_stdout_is_an_output_limit(tmp_path):
    flood = "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n"
    write_puzzle(tmp_path, files={"solution.py": flood})
    result = run_cli("--root", tmp_path, "add-two")
    assert result.returncode == 1
    assert "py: case 'sample-1' (public): output limit exceeded" in result.stdout


def test_no_run_checks_format_only(tmp_path):
    write_puzzle(tmp_path, files={"solution.py": "print(0)\n"})
    result = run_cli("--root", tmp_path, "--no-run")
    assert result.returncode == 0, result.stdout
    assert re.fullmatch(r"add-two\s+py skip\s+cpp skip\s+js skip\s+8 cases",
                        result.stdout.splitlines()[0])
    assert "(format only)" in result.stdout


def test_format_problems_fail_the_run_and_are_listed(tmp_path):
    write_puzzle(tmp_path, slug="bad-one", meta={
        "slug": "bad-two", "title": "Bad", "difficulty": 4, "topics": ["arithmetic"],
        "modes": ["fastest"]})
    result = run_cli("--root", tmp_path, "--no-run")
    assert result.returncode == 1
    assert re.search(r"^bad-one .*FORMAT: 2 problems$", result.stdout, re.M)
    assert "    puzzle.json: slug 'bad-two' differs from the folder name 'bad-one'" in result.stdout
    assert "    puzzle.json: difficulty must be 1, 2 or 3" in result.stdout


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("--root", tmp_path / "nowhere").returncode == 2
    assert run_cli("--root", tmp_path).returncode == 2            # no puzzle folders
    write_puzzle(tmp_path)
    result = run_cli("--root", tmp_path, "no-such-puzzle")
    assert result.returncode == 2
    assert "no puzzle folder no-such-puzzle" in result.stderr


def test_duplicate_titles_fail(tmp_path):
    meta = {"slug": "a-one", "title": "Same", "difficulty": 1, "topics": ["arithmetic"],
            "modes": ["fastest"]}
    write_puzzle(tmp_path, slug="a-one", meta=meta)
    write_puzzle(tmp_path, slug="a-two", meta=dict(meta, slug="a-two"))
    result = run_cli("--root", tmp_path, "--no-run")
    assert result.returncode == 1
    assert "duplicate title 'Same': a-one, a-two" in result.stdout


# --- format checks, called directly ----------------------------------------------------------

def test_the_good_folder_has_no_problems(tmp_path):
    assert problems_of(write_puzzle(tmp_path)) == []


@pytest.mark.parametrize("change, problem", [
    ({"extra": 1}, "puzzle.json: unknown key 'extra'"),
    ({"title": None}, "puzzle.json: missing key 'title'"),
    ({"slug": "Add-Two"}, "puzzle.json: slug must be 1-50 characters of a-z0-9-"),
    ({"slug": "add--two"}, "puzzle.json: slug must be 1-50 characters of a-z0-9-"),
    ({"title": " Padded"}, "puzzle.json: title must be 1-60 characters"),
    ({"difficulty": True}, "puzzle.json: difficulty must be 1, 2 or 3"),
    ({"difficulty": "2"}, "puzzle.json: difficulty must be 1, 2 or 3"),
    ({"topics": []}, "puzzle.json: topics must be 1-3 distinct strings"),
    ({"topics": ["arithmetic", "arithmetic"]}, "puzzle.json: topics must be 1-3 distinct"),
    ({"topics": ["maths"]}, "puzzle.json: unknown topic 'maths'"),
    ({"modes": []}, "puzzle.json: modes must be a non-empty list"),
    ({"modes": ["fastest", "fastest"]}, "puzzle.json: modes must be a non-empty list"),
    ({"modes": ["golf"]}, "puzzle.json: unknown mode 'golf'"),
    ({"time_limit_seconds": 0}, "puzzle.json: time_limit_seconds must be an integer from 1"),
    ({"time_limit_seconds": 11}, "puzzle.json: time_limit_seconds must be an integer from 1"),
    ({"time_limit_seconds": 1.5}, "puzzle.json: time_limit_seconds must be an integer from 1"),
])
def test_bad_puzzle_json(tmp_path, change, problem):
    meta = {"slug": "add-two", "title": "Add", "difficulty": 1, "topics": ["arithmetic"],
            "modes": ["fastest", "shortest"]}
    meta.update(change)
    meta = {k: v for k, v in meta.items() if v is not None}
    found = problems_of(write_puzzle(tmp_path, meta=meta))
    assert len(found) == 1 and found[0].startswith(problem), found


def test_time_limit_is_optional_and_bounded(tmp_path):
    meta = {"slug": "add-two", "title": "Add", "difficulty": 3, "topics": ["arithmetic"],
            "modes": ["reverse", "fastest"], "time_limit_seconds": 10}
    assert problems_of(write_puzzle(tmp_path, meta=meta, cases=make_cases(public=3))) == []


def test_unparsable_json_is_reported(tmp_path):
    found = problems_of(write_puzzle(tmp_path, files={"cases.json": "{\"cases\": [}"}))
    assert len(found) == 1 and found[0].startswith("cases.json: cannot be read as JSON")


def test_missing_and_unexpected_files(tmp_path):
    folder = write_puzzle(tmp_path, files={"solution.cpp": None, "notes.txt": "todo"})
    assert problems_of(folder) == [
        "solution.cpp: missing",
        "notes.txt: unexpected file (allowed: puzzle.json, statement.md, cases.json, "
        "solution.py, solution.cpp, solution.js)"]


def test_case_counts(tmp_path):
    assert problems_of(write_puzzle(tmp_path / "a", cases=make_cases(public=1, hidden=7))) == [
        "cases.json: needs 2 or 3 public cases, has 1"]
    assert problems_of(write_puzzle(tmp_path / "b", cases=make_cases(public=3, hidden=5))) == [
        "cases.json: needs at least 6 hidden cases, has 5"]
    many = [dict(c, name=f"case-{i}") for i, c in enumerate(make_cases(public=2, hidden=6) * 6)]
    assert problems_of(write_puzzle(tmp_path / "c", cases=many)) == [
        "cases.json: needs 2 or 3 public cases, has 12", "cases.json: at most 40 cases, has 48"]


def test_reverse_needs_exactly_three_public_cases(tmp_path):
    meta = {"slug": "add-two", "title": "Add", "difficulty": 1, "topics": ["arithmetic"],
            "modes": ["reverse"]}
    assert problems_of(write_puzzle(tmp_path / "a", meta=meta)) == [
        "cases.json: a reverse puzzle needs exactly 3 public cases, has 2"]
    assert problems_of(write_puzzle(tmp_path / "b", meta=meta, cases=make_cases(public=3))) == []


@pytest.mark.parametrize("change, problem", [
    ({"name": "sample-2"}, "duplicate name 'sample-2'"),
    ({"name": ""}, "name must be 1-60 printable ASCII characters"),
    ({"public": "no"}, "public must be true or false"),
    ({"input": "1 2"}, "input must end with a newline"),
    ({"input": "1 2 \n"}, "input has a line ending with a space"),
    ({"input": "1\t2\n"}, "input has character '\\t' at offset 1"),
    ({"input": "1 2\r\n"}, "input has character '\\r' at offset 3"),
    ({"output": "3"}, "output must be stored normalized"),
    ({"output": "3 \n"}, "output must be stored normalized"),
    ({"output": "3\n\n"}, "output must be stored normalized"),
    ({"output": "\n"}, "output is empty"),
    ({"output": 3}, "output must be a string"),
    ({"expected": "3\n"}, "keys must be exactly name, public, input, output (unknown expected)"),
])
def test_bad_case(tmp_path, change, problem):
    cases = make_cases(hidden=7)
    cases[3] = dict(cases[3], **change)         # a hidden case, so the Example still matches
    found = problems_of(write_puzzle(tmp_path, cases=cases))
    assert len(found) == 1 and problem in found[0], found
    assert found[0].startswith("cases.json: case ")


def test_statement_sections(tmp_path):
    good = STATEMENT.format(input="1 2\n", output="3\n")
    no_output = re.sub(r"### Output\n.*?\n\n", "", good, flags=re.S)
    swapped = good.replace("### Input", "### TMP").replace("### Output", "### Input") \
        .replace("### TMP", "### Output")
    empty = good.replace("Add two integers.", "")
    preface = "# Add two\n\n" + good
    extra = good.replace("### Constraints", "## Notes\nnone\n\n### Constraints")
    twice = good + "\n### Goal\nagain\n"
    cases = {
        "a": (no_output, ["statement.md: missing section ### Output"]),
        "b": (swapped, ["statement.md: sections must be in the order Goal, Input, Output, "
                        "Constraints, Example"]),
        "c": (empty, ["statement.md: section ### Goal is empty"]),
        "d": (preface, ["statement.md: line 1: unexpected heading '# Add two' (only ### Goal, "
                        "### Input, ### Output, ### Constraints, ### Example)"]),
        "e": (extra, ["statement.md: line 10: unexpected heading '## Notes' (only ### Goal, "
                      "### Input, ### Output, ### Constraints, ### Example)"]),
        "f": (twice, ["statement.md: section ### Goal appears twice"]),
        "g": ("Intro\n" + good, ["statement.md: line 1: text before ### Goal"]),
    }
    for sub, (text, expected) in cases.items():
        assert problems_of(write_puzzle(tmp_path / sub, statement=text)) == expected, sub


def test_hash_lines_inside_fences_are_not_headings(tmp_path):
    cases = make_cases()
    cases[0] = {"name": "grid", "public": True, "input": "# 1\n## 2\n", "output": "#\n"}
    folder = write_puzzle(tmp_path, cases=cases)
    assert problems_of(folder) == []
    assert "```text\n# 1\n## 2\n```" in (folder / "statement.md").read_text()


def test_example_must_equal_the_first_public_case(tmp_path):
    cases = make_cases()
    wrong_in = STATEMENT.format(input="2 1\n", output="3\n")
    wrong_out = STATEMENT.format(input="1 2\n", output="4\n")
    loose_out = STATEMENT.format(input="1 2\n", output="3   \n\n")
    one_block = STATEMENT.format(input="1 2\n", output="3\n").replace(
        "Output\n```text\n3\n```\n", "Output: 3\n")
    assert problems_of(write_puzzle(tmp_path / "a", statement=wrong_in)) == [
        "statement.md: the Example input differs from the first public case 'sample-1': "
        "shows '2 1\\n', case has '1 2\\n'"]
    assert problems_of(write_puzzle(tmp_path / "b", statement=wrong_out)) == [
        "statement.md: the Example output differs from the first public case 'sample-1': "
        "shows '4', case has '3\\n'"]
    assert problems_of(write_puzzle(tmp_path / "c", statement=loose_out)) == []
    assert problems_of(write_puzzle(tmp_path / "d", statement=one_block)) == [
        "statement.md: ### Example must hold exactly 2 code blocks (input, output), has 1"]
    # "first public" is in file order, not the first case
    reordered = [cases[2], cases[0], cases[1]] + cases[3:]
    assert problems_of(write_puzzle(tmp_path / "e", cases=reordered,
                                    statement=STATEMENT.format(input="1 2\n",
                                                               output="3\n"))) == []


def test_source_rules(tmp_path):
    stdcpp = "#include <bits/stdc++.h>\nint main() {}\n"
    local = "#include <vector>\n#include \"mine.h\"\nint main() {}\n"
    js_path = "console.log(require('fs').readFileSync('/dev/stdin', 'utf8'));\n"
    assert problems_of(write_puzzle(tmp_path / "a", files={"solution.cpp": stdcpp})) == [
        "solution.cpp: line 1: <bits/stdc++.h> is not a C++17 standard library header"]
    assert problems_of(write_puzzle(tmp_path / "b", files={"solution.cpp": local})) == [
        "solution.cpp: line 2: \"mine.h\" is not a C++17 standard library header"]
    assert problems_of(write_puzzle(tmp_path / "c", files={"solution.js": js_path})) == [
        "solution.js: must read stdin with require('fs').readFileSync(0, 'utf8')"]
    assert problems_of(write_puzzle(tmp_path / "d", files={"solution.py": " \n"})) == [
        "solution.py: is empty"]


# --- pieces --------------------------------------------------------------------------------

def test_normalize_output_matches_the_judge():
    assert cp.normalize_output("a \t\r\nb\n\n\n") == "a\nb"
    assert cp.normalize_output("\n  x\n") == "\n  x"          # leading space and lines kept
    assert cp.outputs_match("1\r\n2  \n\n", "1\n2")
    assert not cp.outputs_match("1 2", "1  2")
    assert not cp.outputs_match("a\n\nb", "a\nb")


def test_classify():
    ok = cp.RunResult(exit_code=0, cpu_seconds=0.1, stdout="3\n")
    assert cp.classify(ok, "3\n", 2) is None
    slow = cp.RunResult(exit_code=0, cpu_seconds=1.2, stdout="3\n")
    assert cp.classify(slow, "3\n", 2).startswith("too slow: 1.20 s of cpu")
    killed = cp.RunResult(exit_code=-9, cpu_seconds=0.01)
    assert cp.classify(killed, "3\n", 2) == "runtime error (killed by signal 9)"
    xcpu = cp.RunResult(exit_code=-24, cpu_seconds=1.9)
    assert cp.classify(xcpu, "3\n", 2) == "time limit exceeded (cpu 1.90 s)"
    wall = cp.RunResult(exit_code=-9, wall_timeout=True)
    assert cp.classify(wall, "3\n", 2) == "time limit exceeded (wall clock)"


def test_repository_puzzles_are_well_formed():
    """The format of every puzzle in data/puzzles (running them is the checker's own job)."""
    result = run_cli("--no-run")
    assert result.returncode == 0, result.stdout
    assert " 0 failed" in result.stdout
