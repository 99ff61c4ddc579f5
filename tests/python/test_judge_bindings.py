"""Tests of engine.judge(): submissions through the process-wide sandbox judge (bubblewrap).

The module must be built with CLASH_WITH_JUDGE=ON (the default) on a host where the sandbox works;
otherwise engine.judge() raises FailedPreconditionError and these tests fail.
"""

import json

import pytest

import clash


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """An engine whose judge pool these tests share (started on the first judge() call)."""
    with clash.open("sqlite::memory:", data_dir=tmp_path_factory.mktemp("judge-data")) as opened:
        yield opened


RESULT_KEYS = {"verdict", "message", "first_failure", "stderr_excerpt", "compile_output", "tests_passed",
               "tests_total", "cpu_time_ms", "wall_time_ms", "memory_bytes", "case_results", "stdout_excerpt"}
FAILURE_KEYS = {"index", "name", "message", "line", "input", "expected_output", "actual_output", "public", "args",
                "expected", "actual"}


@pytest.fixture(scope="module")
def python_002(repo_root):
    (level,) = [lv for lv in clash.read_levels(repo_root / "data" / "levels") if lv.slug == "python-002"]
    return level


def test_accepted_solution_of_python_002_with_public_and_hidden_tests(engine, python_002):
    tests = python_002.test_code + "\n" + python_002.secrets.hidden_tests
    result = engine.judge("python3", python_002.secrets.solution, tests)
    assert set(result) == RESULT_KEYS
    assert result["verdict"] == "accepted", result
    assert result["first_failure"] is None
    assert result["tests_total"] == tests.count("assert ") > 0
    assert result["tests_passed"] == result["tests_total"]
    assert result["compile_output"] == ""
    assert all(isinstance(result[k], int) and result[k] >= 0
               for k in ("cpu_time_ms", "wall_time_ms", "memory_bytes"))


def test_wrong_answer_reports_the_first_failing_assert(engine, python_002):
    tests = python_002.test_code + "\n" + python_002.secrets.hidden_tests
    result = engine.judge("python3", "def add(a, b):\n    return a - b\n", tests)
    assert result["verdict"] == "wrong_answer", result
    failure = result["first_failure"]
    assert set(failure) == FAILURE_KEYS
    assert failure["name"].startswith("assert ") and failure["name"] in tests
    assert failure["line"] >= 1 and failure["index"] == result["tests_passed"]
    assert result["tests_passed"] < result["tests_total"]


def test_wrong_answer_on_stdin_cases_shows_expected_and_actual(engine):
    code = "a, b = map(int, input().split())\nprint(a * b)\n"
    result = engine.judge("python3", code, cases=[("2 2\n", "4\n"), ("2 3\n", "5\n")])
    assert result["verdict"] == "wrong_answer", result
    failure = result["first_failure"]
    assert (failure["index"], failure["input"], failure["expected_output"]) == (1, "2 3\n", "5\n")
    assert failure["actual_output"].strip() == "6"
    assert (result["tests_passed"], result["tests_total"]) == (1, 2)


def test_runtime_error_keeps_the_traceback(engine):
    result = engine.judge("python3", "raise RuntimeError('boom from the player')\n", "assert True\n")
    assert result["verdict"] == "runtime_error", result
    assert "boom from the player" in result["stderr_excerpt"]
    assert result["first_failure"] is None


def test_infinite_loop_hits_the_cpu_limit(engine):
    result = engine.judge("python3", "while True:\n    pass\n", limits={"cpu_ms": 1000, "wall_ms": 5000})
    assert result["verdict"] == "time_limit", result


def test_cpp_compile_error(engine):
    result = engine.judge("cpp17", "int main( {\n  return 0;\n}\n")
    assert result["verdict"] == "compile_error", result
    assert "error" in result["compile_output"]


def test_cpp_accepted_on_cases(engine):
    code = "#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }\n"
    result = engine.judge("cpp17", code, cases=[("1 2\n", "3\n"), ("-5 5\n", "0\n")])
    assert result["verdict"] == "accepted", result
    assert (result["tests_passed"], result["tests_total"]) == (2, 2)


def test_bad_language_is_invalid_argument(engine):
    with pytest.raises(clash.InvalidArgumentError) as error:
        engine.judge("cobol", "DISPLAY 'HI'.")
    assert error.value.code == "invalid_argument"


def test_bad_requests_are_invalid_argument(engine):
    with pytest.raises(clash.InvalidArgumentError):
        engine.judge("python3", "print(1)", "assert True", cases=[("", "1\n")])    # both kinds of test
    with pytest.raises(clash.InvalidArgumentError):
        engine.judge("python3", "print(1)", limits={"cpu_seconds": 1})             # unknown limit
    with pytest.raises(clash.InvalidArgumentError) as error:
        engine.judge("python3", "print(1)", limits={"cpu_ms": 10 ** 9})            # above the maximum
    assert str(error.value) == 'limit "cpu_ms" must be an integer from 1 to 20000'  # the judge's maximum
    with pytest.raises(clash.InvalidArgumentError):
        engine.judge("python3", "print(1)", limits={"processes": True})            # not an integer
    with pytest.raises(clash.InvalidArgumentError):
        engine.judge("python3", "print(1)", limits={"memory_bytes": 1 << 20})      # below the minimum


def test_limit_names_are_the_http_routes(engine):
    # One decoder in the library reads the HTTP body and these arguments: the old Python-only
    # names are unknown limits.
    for old_name in ("cpu_time_ms", "wall_time_ms"):
        with pytest.raises(clash.InvalidArgumentError) as error:
            engine.judge("python3", "print(1)", limits={old_name: 1000})
        assert str(error.value) == f'unknown limit "{old_name}"'


def test_arguments_after_tests_are_keyword_only(engine):
    with pytest.raises(TypeError):
        engine.judge("python3", "print(1)", None, [("", "1\n")])


LARGEST = {"mode": "function", "entry": "largest", "cases": [
    {"args": [1, 2, 3], "expected": 3, "public": True},
    {"args": [-5, -5, -9], "expected": -5},
    {"args": [{"$int": "100000000000000000000"}, 1, 2], "expected": {"$int": "100000000000000000000"}}]}


def test_data_cases_are_judged_outside_the_players_process(engine):
    result = engine.judge("python3", "def largest(a, b, c):\n    return max(a, b, c)\n", data_cases=LARGEST)
    assert result["verdict"] == "accepted", result
    assert result["case_results"] == [{"passed": True, "public": True}, {"passed": True, "public": False},
                                      {"passed": True, "public": False}]

    wrong = engine.judge("python3", "def largest(a, b, c):\n    return max(a, b, c, 0)\n", data_cases=json.dumps(LARGEST))
    assert wrong["verdict"] == "wrong_answer", wrong
    failure = wrong["first_failure"]
    assert (failure["index"], failure["public"], failure["args"], failure["expected"], failure["actual"]) == \
        (1, False, [-5, -5, -9], -5, 0)
    assert "-5" not in failure["message"]


def test_a_forged_equality_is_a_wrong_answer(engine):
    forged = "class Yes(int):\n    def __eq__(self, o):\n        return True\n    __hash__ = int.__hash__\n" \
             "def largest(a, b, c):\n    return Yes(0)\n"
    result = engine.judge("python3", forged, data_cases=LARGEST)
    assert result["verdict"] == "wrong_answer", result
    assert "returned a value of type Yes" in result["message"]
    # The old in-process form accepts it: the reason data cases exist.
    assert engine.judge("python3", forged, "assert largest(1, 2, 3) == 3\n")["verdict"] == "accepted"


def test_malformed_data_cases_are_invalid_argument(engine):
    with pytest.raises(clash.InvalidArgumentError) as error:
        engine.judge("python3", "x = 1", data_cases={"mode": "function", "entry": "f", "cases": [{"args": []}]})
    assert str(error.value) == '"data_cases": case 1: needs "args" and "expected"'
