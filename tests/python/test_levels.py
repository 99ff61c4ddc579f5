"""Every level in data/levels: its reference solution passes its public and hidden tests in the real
judge, and its starter code does not."""
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
def test_solution_passes_and_starter_fails(engine, level):
    tests = (level / "tests_public.py").read_text() + "\n" + (level / "tests_hidden.py").read_text()
    solved = engine.judge("python3", (level / "solution.py").read_text(), tests)
    assert solved["verdict"] == "accepted", solved
    started = engine.judge("python3", (level / "starter.py").read_text(), tests)
    assert started["verdict"] == "wrong_answer", started


def test_there_are_levels():
    assert len(LEVELS) >= 3
