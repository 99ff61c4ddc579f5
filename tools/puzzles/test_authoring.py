"""Tests that the committed puzzle data matches its authoring sources (tools/puzzles/authoring/).

Run: /usr/bin/python3 -m pytest tools/puzzles/test_authoring.py -q
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUTHORING = HERE / "authoring"
PUZZLES = HERE.parents[1] / "data" / "puzzles"


def run(script, *args):
    return subprocess.run([sys.executable, str(AUTHORING / script), *args], capture_output=True,
                          text=True, timeout=600, cwd=AUTHORING)


def test_every_puzzle_has_a_generator():
    folders = sorted(p.name for p in PUZZLES.iterdir() if p.is_dir())
    generators = sorted(p.stem for p in (AUTHORING / "gen").glob("*.py"))
    assert folders == generators
    assert len(folders) >= 30


def test_case_inputs_respect_the_constraints():
    result = run("validate_inputs.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"validated the inputs of {len(list(PUZZLES.iterdir()))} puzzles: 0 problems" \
        in result.stdout


def test_cases_and_examples_match_their_generators_and_brute_forces():
    result = run("build_cases.py", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(list(PUZZLES.iterdir()))
    assert all(line.endswith(": up to date") for line in lines), result.stdout
