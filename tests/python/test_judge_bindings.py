"""Tests of Engine.judge(): submissions through the engine's judge pool (bubblewrap sandbox).

The module must be built with CLASH_WITH_JUDGE=ON (the default) on a host where the sandbox works;
otherwise engine.judge() raises FailedPreconditionError and these tests fail.
"""

import pytest

import clash


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """An engine whose judge pool these tests share (started on the first judge() call)."""
    with clash.open("sqlite::memory:", data_dir=tmp_path_factory.mktemp("judge-data")) as opened:
        yield opened


RESULT_KEYS = {"verdict", "message", "first_failure", "stderr_excerpt", "compile_output", "tests_passed",
               "tests_total", "cpu_time_ms", "wall_time_ms", "memory_bytes"}
FAILURE_KEYS = {"index", "name", "message", "line", "input", "expected_output", "actual_output"}


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
    result = engine.judge("python3", "while True:\n    pass\n", limits={"cpu_time_ms": 1000, "wall_time_ms": 5000})
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
    with pytest.raises(clash.InvalidArgumentError):
        engine.judge("python3", "print(1)", limits={"cpu_time_ms": 10 ** 9})       # above the maximum


def test_arguments_after_tests_are_keyword_only(engine):
    with pytest.raises(TypeError):
        engine.judge("python3", "print(1)", None, [("", "1\n")])
