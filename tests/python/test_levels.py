"""Every level in data/levels (format 2): its reference solution is accepted and its starter code is
not, judged by the real sandbox judge against all of its cases as data (the way submissions are)."""
import json
import pathlib

import pytest

import clash


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """An engine whose judge pool these tests share (started on the first judge() call)."""
    with clash.open("sqlite::memory:", data_dir=tmp_path_factory.mktemp("judge-data")) as opened:
        yield opened


LEVELS = sorted(p for p in (pathlib.Path(__file__).resolve().parents[2] / "data" / "levels").iterdir() if p.is_dir())


@pytest.mark.parametrize("level", LEVELS, ids=[p.name for p in LEVELS])
def test_solution_is_accepted_and_starter_is_not(engine, level):
    cases = json.loads((level / "cases.json").read_text())
    limits = {"cpu_ms": 5000, "wall_ms": 30000}
    solved = engine.judge("python3", (level / "solution.py").read_text(), data_cases=cases, limits=limits)
    assert solved["verdict"] == "accepted", solved
    assert solved["tests_total"] == len(cases["cases"]) >= 10
    started = engine.judge("python3", (level / "starter.py").read_text(), data_cases=cases, limits=limits)
    assert started["verdict"] != "accepted", started
    assert started["tests_passed"] < started["tests_total"]


def test_the_campaign_has_sixty_levels_in_six_stages():
    assert [p.name for p in LEVELS] == [f"python-{n:03d}" for n in range(1, 61)]
    stages = [json.loads((p / "level.json").read_text())["stage"] for p in LEVELS]
    assert stages == [(n - 1) // 10 + 1 for n in range(1, 61)]
