"""The level validator end to end, in the sandbox judge: `clash-host validate-levels` over every
shipped level (each must reach a mutation score of 90 %; the test prints every level's figure) and
`clash.levels.validate` on good and broken level folders."""
import json
import os
import re
import shutil
import subprocess

import clash

from hostutil import REPO, host_binary

LEVELS = os.path.join(REPO, "data", "levels")
LINE = re.compile(r"^(python-\d{3}) mutants (\d+)/(\d+) killed (\d+\.\d)%$")


def test_every_shipped_level_passes_with_a_mutation_score_of_at_least_90_percent():
    out = subprocess.run([host_binary(), "validate-levels", LEVELS], capture_output=True, text=True, timeout=3600)
    print(out.stdout)  # the figure of every level (pytest -s, or the report of a failure)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[-1] == "60 level(s), 0 failed"
    figures = {}
    for line in lines[:-1]:
        m = LINE.match(line)
        assert m, line
        slug, killed, mutants, score = m.group(1), int(m.group(2)), int(m.group(3)), float(m.group(4))
        assert mutants > 0 and killed <= mutants and score >= 90.0, line
        figures[slug] = score
    assert sorted(figures) == [f"python-{n:03d}" for n in range(1, 61)]
    # No progress bar when stderr is not a terminal.
    assert "\r" not in out.stderr


def copy_level(tmp_path, n):
    target = tmp_path / f"python-{n:03d}"
    shutil.copytree(os.path.join(LEVELS, f"python-{n:03d}"), target)
    return target


def test_python_validate_reports_the_score_and_progress(tmp_path):
    folder = copy_level(tmp_path, 7)
    seen = []
    [report] = clash.levels.validate(folder, progress=seen.append)
    assert report["ok"] is True and report["errors"] == [], report
    assert report["mutation_checked"] and report["mutants"] > 0 and report["score"] >= 90.0
    assert report["line"] == f"python-007 mutants {report['killed']}/{report['mutants']} killed {report['score']:.1f}%"
    assert seen and seen[-1]["slug"] == "python-007" and seen[-1]["done"] == seen[-1]["total"]


def test_weak_hidden_cases_are_reported_with_their_surviving_mutants(tmp_path):
    folder = copy_level(tmp_path, 5)
    cases = json.loads((folder / "cases.json").read_text())
    # Eight hidden copies of the first public case: no boundary is tested any more.
    public = [c for c in cases["cases"] if c.get("public")]
    copy = {k: v for k, v in public[0].items() if k != "public"}
    cases["cases"] = public + [copy] * 8
    (folder / "cases.json").write_text(json.dumps(cases))
    [report] = clash.levels.validate(folder)
    assert report["ok"] is False and report["errors"] == [] and report["score"] < 90.0, report
    assert report["line"].endswith("(below the minimum)")
    assert any("`>=` -> `>`" in s for s in report["survivors"]), report["survivors"]
    out = subprocess.run([host_binary(), "validate-levels", str(folder)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 1 and "survivor: " in out.stdout, out.stdout


def test_a_wrong_reference_solution_is_an_error(tmp_path):
    folder = copy_level(tmp_path, 1)
    (folder / "solution.py").write_text("def greet(name):\n    return 'Hello, ' + name\n")
    out = subprocess.run([host_binary(), "validate-levels", str(folder)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 1, out.stdout
    assert out.stdout.startswith("python-001 ERROR: ") and "solution" in out.stdout.splitlines()[0]
    assert out.stdout.splitlines()[-1] == "1 level(s), 1 failed"
    [report] = clash.levels.validate(folder, mutation=False)
    assert report["ok"] is False and any("solution" in e for e in report["errors"])
