"""The tutor's retrieval through the Python module (engine.tutor), on a SQLite file and a scratch
PostgreSQL database: the shipped levels and notes indexed, a level edited through the engine and its
new text retrieved at once, level preference, errors."""
import os

import pytest

import clash
from hostutil import REPO

LEVELS = os.path.join(REPO, "data", "levels")
NOTES = os.path.join(REPO, "data", "notes")


@pytest.fixture
def engine(storage_url, tmp_path):
    with clash.open(storage_url, data_dir=tmp_path / "data", tutor_notes_dir=NOTES) as opened:
        opened.load_levels(LEVELS)
        yield opened


def test_search_returns_dicts_best_first(engine):
    assert engine.tutor.embedder == "hash-v1"
    hits = engine.tutor.search("counting with dictionaries", k=5)
    assert 1 <= len(hits) <= 5
    assert set(hits[0]) == {"id", "source_kind", "source_id", "title", "text", "score"}
    assert hits[0]["source_kind"] in ("level", "note")
    assert hits[0]["id"].startswith(hits[0]["source_kind"] + ":" + hits[0]["source_id"] + "#")
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert any(h["source_id"] == "counting-with-dictionaries" for h in hits)


def test_edited_level_is_found_at_once(engine):
    level = engine.level_for_judging("python-001")
    level.description = "Greet the capybara named in the argument with a cheerful line."
    engine.upsert_levels([level])
    hits = engine.tutor.search("cheerful capybara", k=1)
    assert [h["id"] for h in hits] == ["level:python-001#0"]
    assert "capybara" in hits[0]["text"]
    for mode in (engine.tutor.search_lexical, engine.tutor.search_vectors):
        assert mode("cheerful capybara", k=1)[0]["source_id"] == "python-001"


def test_level_preference_and_errors(engine):
    hits = engine.tutor.search("my loop stops one element too early", k=5, level_id="python-042")
    assert hits[0]["source_id"] == "python-042"
    with pytest.raises(clash.InvalidArgumentError):
        engine.tutor.search("x", k=0)
    with pytest.raises(clash.InvalidArgumentError):
        engine.tutor.search("x", k=51)


def test_retrieval_off(tmp_path):
    with clash.open(f"sqlite://{tmp_path}/off.db", data_dir=tmp_path / "d", tutor_embedder="off") as engine:
        with pytest.raises(clash.FailedPreconditionError):
            engine.tutor.search("anything")
    with pytest.raises(clash.InvalidArgumentError):
        clash.open(f"sqlite://{tmp_path}/bad.db", data_dir=tmp_path / "d2", tutor_embedder="bert")
    with pytest.raises(clash.InvalidArgumentError):
        clash.open(f"sqlite://{tmp_path}/bad2.db", data_dir=tmp_path / "d3", tutor_embedder="openai")
