"""Tests of mutate.py: each operator on small sources, dedup, order, the CLI contract.

Run: /usr/bin/python3 -m pytest tools/levels -q
"""
import ast
import json
import pathlib
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import mutate  # noqa: E402


def sources(code, operator=None):
    return [m["source"] for m in mutate.mutants(code) if operator is None or m["operator"] == operator]


def same(a, b):
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


def has(code, operator, expected):
    return any(same(s, expected) for s in sources(code, operator))


@pytest.mark.parametrize("op, swaps", [
    ("<", ["<=", ">"]), ("<=", ["<"]), (">", [">=", "<"]), (">=", [">"]), ("==", ["!="]), ("!=", ["=="]),
])
def test_compare_swaps(op, swaps):
    code = f"def f(a, b):\n    return a {op} b\n"
    got = sorted(s.split("return ")[1].strip() for s in sources(code, "compare"))
    assert got == sorted(f"a {new} b" for new in swaps)


def test_compare_each_operator_of_a_chain():
    got = sources("def f(a, b, c):\n    return a < b == c\n", "compare")
    assert len(got) == 3
    assert any(same(s, "def f(a, b, c):\n    return a < b != c\n") for s in got)


def test_int_constant_plus_minus_one_and_bools_are_not_ints():
    code = "def f(x):\n    return x * 3 + True\n"
    assert has(code, "int_const", "def f(x):\n    return x * 4 + True\n")
    assert has(code, "int_const", "def f(x):\n    return x * 2 + True\n")
    assert len(sources(code, "int_const")) == 2


def test_range_bounds_each_argument():
    code = "def f(n):\n    return list(range(2, n))\n"
    assert has(code, "range_bound", "def f(n):\n    return list(range(3, n))\n")
    assert has(code, "range_bound", "def f(n):\n    return list(range(1, n))\n")
    assert has(code, "range_bound", "def f(n):\n    return list(range(2, n + 1))\n")
    assert has(code, "range_bound", "def f(n):\n    return list(range(2, n - 1))\n")


def test_range_bound_folds_a_trailing_constant():
    code = "def f(n):\n    return list(range(n - 1))\n"
    assert has(code, "range_bound", "def f(n):\n    return list(range(n - 2))\n")
    # `n - 1 - 1` would be the same mutant as int_const's `n - 2`: it is folded and counted once
    everything = sources(code)
    assert len(everything) == len({ast.dump(ast.parse(s)) for s in everything})


def test_if_with_else_swaps_bodies():
    code = "def f(x):\n    if x > 0:\n        y = 1\n    else:\n        y = 2\n    return y\n"
    assert has(code, "if_swap", "def f(x):\n    if x > 0:\n        y = 2\n    else:\n        y = 1\n    return y\n")
    assert sources(code, "if_negate") == []


def test_if_without_else_is_negated():
    code = "def f(x):\n    if x > 0:\n        x = 0\n    return x\n"
    assert sources(code, "if_negate") == ["def f(x):\n    if not x > 0:\n        x = 0\n    return x\n"]
    code = "def f(x):\n    if not x:\n        x = 1\n    return x\n"
    assert has(code, "if_negate", "def f(x):\n    if x:\n        x = 1\n    return x\n")


def test_conditional_expression_branches_swapped():
    assert has("def f(x):\n    return 1 if x else 2\n", "if_swap", "def f(x):\n    return 2 if x else 1\n")


def test_drop_statement_only_in_bodies_of_two_or_more():
    code = "def f(x):\n    '''doc'''\n    x += 1\n    return x\n"
    dropped = sources(code, "drop_statement")
    assert has(code, "drop_statement", "def f(x):\n    '''doc'''\n    pass\n    return x\n")
    assert has(code, "drop_statement", "def f(x):\n    '''doc'''\n    x += 1\n    pass\n")
    assert len(dropped) == 2  # the docstring is never dropped
    assert sources("def f(x):\n    return x\n", "drop_statement") == []


def test_return_first_parameter():
    assert sources("def f(a, b):\n    return a + b\n", "return_param") == ["def f(a, b):\n    return a\n"]
    assert sources("def f():\n    return 1\n", "return_param") == []
    assert sources("def f(a):\n    return a\n", "return_param") == []  # identical to the original


def test_return_first_parameter_of_a_method_skips_self_but_not_for_staticmethods():
    code = "class C:\n    def m(self, a, b):\n        return a * b\n"
    assert has(code, "return_param", "class C:\n    def m(self, a, b):\n        return a\n")
    assert sources("class C:\n    def m(self):\n        return 1\n", "return_param") == []
    code = "class C:\n    @staticmethod\n    def m(a, b):\n        return a - b\n"
    assert has(code, "return_param", "class C:\n    @staticmethod\n    def m(a, b):\n        return a\n")


def test_return_in_nested_function_uses_its_own_parameter():
    code = "def f(a):\n    def g(b):\n        return b + 1\n    return g(a)\n"
    assert has(code, "return_param", "def f(a):\n    def g(b):\n        return b\n    return g(a)\n")
    assert has(code, "return_param", "def f(a):\n    def g(b):\n        return b + 1\n    return a\n")


@pytest.mark.parametrize("op, swaps", [
    ("+", ["-"]), ("-", ["+"]), ("*", ["//", "/"]), ("//", ["*"]), ("/", ["*"]),
])
def test_arithmetic_swaps_in_binary_and_augmented_assignment(op, swaps):
    got = sorted(s.split("return ")[1].strip() for s in sources(f"def f(a, b):\n    return a {op} b\n", "arith"))
    assert got == sorted(f"a {new} b" for new in swaps)
    got = sources(f"def f(a, b):\n    a {op}= b\n    return a\n", "arith")
    assert sorted(s.splitlines()[1].strip() for s in got) == sorted(f"a {new}= b" for new in swaps)


def test_modulo_and_power_are_not_mutated():
    assert sources("def f(a, b):\n    return a % b ** a\n", "arith") == []


def test_and_or_swapped():
    assert has("def f(a, b):\n    return a and b\n", "bool_op", "def f(a, b):\n    return a or b\n")
    assert has("def f(a, b):\n    return a or b\n", "bool_op", "def f(a, b):\n    return a and b\n")


def test_true_false_swapped():
    assert has("def f():\n    return True\n", "bool_const", "def f():\n    return False\n")
    assert has("def f():\n    return False\n", "bool_const", "def f():\n    return True\n")


def test_every_mutant_is_distinct_compilable_and_differs_from_the_original():
    code = (HERE / "mutate.py").read_text()
    result = mutate.mutants(code)
    dumps = [ast.dump(ast.parse(m["source"])) for m in result]
    assert len(result) > 100
    assert len(set(dumps)) == len(dumps)
    assert ast.dump(ast.parse(code)) not in dumps
    for m in result:
        compile(m["source"], "<m>", "exec")
        assert set(m) == {"operator", "line", "description", "source"}
    assert [m["line"] for m in result] == sorted(m["line"] for m in result)


def test_no_mutants_for_a_constant_string():
    assert mutate.mutants("def f():\n    return 'hi'\n") == []


def run_cli(stdin):
    return subprocess.run([sys.executable, "-I", str(HERE / "mutate.py")], input=stdin,
                          capture_output=True, timeout=60)


def test_cli_prints_json_and_is_deterministic():
    code = b"def f(xs):\n    total = 0\n    for x in xs:\n        if x > 1:\n            total += x\n    return total\n"
    first, second = run_cli(code), run_cli(code)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert {m["operator"] for m in data} == {"int_const", "drop_statement", "if_negate", "compare", "arith",
                                             "return_param"}


def test_cli_exits_2_on_a_syntax_error():
    result = run_cli(b"def f(:\n")
    assert result.returncode == 2
    assert b"not valid Python" in result.stderr
    assert result.stdout == b""


def test_cli_handles_unusual_but_valid_python():
    code = (b"import asyncio\nasync def g(*a, **k):\n    async with x as y:\n        yield [i async for i in y]\n"
            b"match 3:\n    case [1, *r] if r:\n        pass\n    case _:\n        z = lambda q=1: q + 1\n"
            b"print(f'{1 + 2!r:>{3}}')\nx: int = -1\ndel x\nclass K(object, metaclass=type): pass\n")
    result = run_cli(code)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) > 5
    assert run_cli(b"").stdout.strip() == b"[]"
