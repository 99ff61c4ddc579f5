"""Tests of check_levels.py on small level folders built in a temporary directory.

Run: /usr/bin/python3 -m pytest tools/levels -q
"""
import json
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import check_levels as cl  # noqa: E402

STATEMENT = """### Problem Statement
Write `double(n)` that returns twice `n`.

### Input Format
One integer `n`.

### Output Format
An integer.

### Example
```python
>>> double(2)
4
```

### Constraints
- -100 <= n <= 100
"""


def make_level(root, solution="def double(n):\n    return n * 2\n", starter="def double(n):\n    pass\n",
               cases=None, meta=None, statement=STATEMENT, mode="function", entry="double"):
    folder = root / "python-001"
    folder.mkdir()
    level = {"slug": "python-001", "order": 1, "stage": 1, "title": "Double", "xp_reward": 10,
             "target_time_seconds": 120, "time_limit_seconds": 5, "topics": ["arithmetic"],
             "hints": ["Think about multiplication.", "Use the * operator.", "Multiply the input by two."]}
    level.update(meta or {})
    if cases is None:
        cases = [{"args": [2], "expected": 4, "public": True}, {"args": [-3], "expected": -6, "public": True}]
        cases += [{"args": [n], "expected": 2 * n} for n in (0, 1, 5, -1, 100, -100, 7, 13)]
    (folder / "level.json").write_text(json.dumps(level))
    (folder / "cases.json").write_text(json.dumps({"mode": mode, "entry": entry, "cases": cases}))
    (folder / "solution.py").write_text(solution)
    (folder / "starter.py").write_text(starter)
    (folder / "statement.md").write_text(statement)
    return folder


def test_a_good_level_reports_its_mutation_score(tmp_path):
    lines, ok = cl.check_level(make_level(tmp_path))
    assert ok
    assert lines == ["python-001 mutants 5/5 killed 100.0%"]


def test_weak_cases_fall_below_90_percent(tmp_path):
    cases = [{"args": [2], "expected": 4, "public": True}, {"args": [0], "expected": 0, "public": True}]
    cases += [{"args": [2], "expected": 4}] * 8
    capped = "def double(n):\n    if n > 50:\n        return 100\n    return n * 2\n"
    lines, ok = cl.check_level(make_level(tmp_path, solution=capped, cases=cases), survivors=True)
    assert not ok
    assert lines[0].startswith("python-001 mutants ") and "below 90%" in lines[0]
    assert any("survived" in line for line in lines[1:])


def test_exact_types_a_float_is_not_an_int(tmp_path):
    lines, ok = cl.check_level(make_level(tmp_path, solution="def double(n):\n    return n * 2.0\n"))
    assert not ok
    assert "solution.py fails case 0" in lines[0] and "got 4.0, expected 4" in lines[0]


def test_a_starter_that_solves_the_task_is_refused(tmp_path):
    lines, ok = cl.check_level(make_level(tmp_path, starter="def double(n):\n    return n + n\n"))
    assert not ok and "starter.py passes every public case" in lines[0]


@pytest.mark.parametrize("meta, message", [
    ({"xp_reward": 20}, "xp_reward must be 10"),
    ({"stage": 2}, "stage must be 1"),
    ({"target_time_seconds": 150}, "target_time_seconds must be 120"),
    ({"hints": ["a", "b"]}, "hints must be 3"),
    ({"hints": ["a", "b", "write return n * 2"]}, "contains the solution line"),
    ({"hints": ["a", "b", "```python\nx\n```"]}, "code block"),
    ({"topics": ["Arithmetic"]}, "topics"),
])
def test_level_json_rules(tmp_path, meta, message):
    lines, ok = cl.check_level(make_level(tmp_path, meta=meta))
    assert not ok and message in lines[0], lines


def test_statement_sections_and_example(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    lines, ok = cl.check_level(make_level(first, statement=STATEMENT.replace("### Example", "### Examples")))
    assert not ok and "headings" in lines[0]
    lines, ok = cl.check_level(make_level(second, statement=STATEMENT.replace(">>> double(2)\n4", ">>> double(9)\n18")))
    assert not ok and "Example must show a public case" in lines[0]


def test_case_counts_and_encoding(tmp_path):
    few = [{"args": [2], "expected": 4, "public": True}] * 2 + [{"args": [1], "expected": 2}] * 7
    lines, ok = cl.check_level(make_level(tmp_path, cases=few))
    assert not ok and "need 2-4 public and >= 8 hidden" in lines[0]


def test_canon_and_matches_follow_the_encoding_rules():
    c = lambda v: cl.canon(v, True, "t")  # noqa: E731
    assert c(1) != c(1.0) != c(True)
    assert c([1]) != c({"$tuple": [1]})
    assert c({"a": 1}) == c({"$dict": [["a", 1]]})
    assert cl.matches(c({"$set": [1, 2]}), c({"$set": [2, 1]}), 0)
    assert cl.matches(c({"$dict": [[1, "x"], [2, "y"]]}), c({"$dict": [[2, "y"], [1, "x"]]}), 0)
    assert cl.matches(c({"$int": str(2 ** 70)}), c({"$int": str(2 ** 70)}), 0)
    assert cl.matches(c(1.0), c(1.0 + 1e-12), 1e-9) and not cl.matches(c(1.0), c(1.1), 1e-9)
    assert not cl.matches(c(1.0), c(1.0 + 1e-12), 0)
    assert cl.matches(c({"$float": "nan"}), c({"$float": "nan"}), 0)
    with pytest.raises(cl.LevelError):
        c(2 ** 63)
    with pytest.raises(cl.LevelError):
        c({"$set": [[1]]})
    with pytest.raises(cl.LevelError):
        c({"$bogus": 1})
    with pytest.raises(cl.LevelError):
        cl.canon({"$unencodable": "X"}, True, "t")


def test_test_code_rendering_for_both_modes():
    c = lambda v: cl.canon(v, True, "t")  # noqa: E731
    spec = {"mode": "function", "entry": "f"}
    case = {"args_c": [c("a"), c({"$tuple": [1]}), c(None)], "expected_c": c({"$set": []})}
    assert cl.render_test_code(spec, [case]) == "assert f('a', (1,), None) == set()\n"
    spec = {"mode": "class", "entry": "Acct"}
    case = {"ops_c": [("__init__", [c(10)]), ("deposit", [c(5)]), ("withdraw", [c(99)])],
            "expected_c": ("list", (c(None), c(15), ("raises", "ValueError")))}
    assert cl.render_test_code(spec, [case]) == (
        "_obj = Acct(10)\nassert _obj.deposit(5) == 15\ntry:\n    _obj.withdraw(99)\nexcept ValueError:\n"
        "    pass\nelse:\n    assert False, 'expected ValueError'\n")


def test_class_mode_level(tmp_path):
    solution = ("class Counter:\n    def __init__(self, start):\n        self.n = start\n\n"
                "    def bump(self, k):\n        if k < 0:\n            raise ValueError('k')\n"
                "        self.n += k\n        return self.n\n")
    starter = "class Counter:\n    def __init__(self, start):\n        pass\n\n    def bump(self, k):\n        pass\n"
    statement = STATEMENT.replace("`double(n)`", "`Counter(start)`").replace(
        ">>> double(2)\n4", ">>> c = Counter(1)\n>>> c.bump(2)\n3")
    cases = [{"ops": [["__init__", [1]], ["bump", [2]]], "expected": [None, 3], "public": True},
             {"ops": [["__init__", [0]], ["bump", [-1]]], "expected": [None, {"$raises": "ValueError"}],
              "public": True}]
    cases += [{"ops": [["__init__", [s]], ["bump", [0]], ["bump", [1]], ["bump", [-2]]],
               "expected": [None, s, s + 1, {"$raises": "ValueError"}]} for s in range(8)]
    lines, ok = cl.check_level(make_level(tmp_path, solution=solution, starter=starter, cases=cases,
                                          statement=statement, mode="class", entry="Counter"))
    assert ok, lines
    assert lines[0].startswith("python-001 mutants ")
