"""Tests of the `clash` Python module against real storage.

Every storage test runs on a SQLite file in a temporary directory and, when CLASH_TEST_POSTGRES_URL
names a PostgreSQL server (postgresql://user:pass@host:port/db), on a scratch database created for
the test with `createdb` and dropped afterwards. CLASH_REQUIRE_POSTGRES=1 turns a missing URL into
a failure.
"""

import copy
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import clash

PG_URL = os.environ.get("CLASH_TEST_POSTGRES_URL", "")
REQUIRE_PG = os.environ.get("CLASH_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL or REQUIRE_PG else [])

ALL_ERRORS = {
    "invalid_argument": clash.InvalidArgumentError,
    "unauthenticated": clash.UnauthenticatedError,
    "insufficient_funds": clash.InsufficientFundsError,
    "permission_denied": clash.PermissionDeniedError,
    "not_found": clash.NotFoundError,
    "already_exists": clash.AlreadyExistsError,
    "failed_precondition": clash.FailedPreconditionError,
    "aborted": clash.AbortedError,
    "payload_too_large": clash.PayloadTooLargeError,
    "resource_exhausted": clash.ResourceExhaustedError,
    "internal": clash.InternalError,
    "unavailable": clash.UnavailableError,
    "deadline_exceeded": clash.DeadlineExceededError,
}


# --- storage fixtures ---------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _private_working_directory(tmp_path, monkeypatch):
    """Engine.Open keeps generated files (keys, outbox) under a relative data dir; keep them out of
    the repository."""
    monkeypatch.chdir(tmp_path)


def _pg_admin_url(url: str) -> str:
    """The server URL without its query (libclash options such as ?pool=8 mean nothing to libpq)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _pg_database_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def _run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{cmd[0]} failed ({done.returncode}): {done.stderr.strip()}"


@pytest.fixture(params=BACKENDS)
def storage_url(request, tmp_path):
    """A URL naming empty, private storage of each backend."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'clash.db'}"
        return
    if not PG_URL:
        pytest.fail("CLASH_REQUIRE_POSTGRES=1 but CLASH_TEST_POSTGRES_URL is not set")
    if "postgresql" not in clash.BACKENDS:
        pytest.fail("CLASH_TEST_POSTGRES_URL is set but this clash module was built with "
                    "CLASH_WITH_POSTGRES=OFF; rebuild with it ON")
    name = "clash_py_" + uuid.uuid4().hex[:16]
    admin = _pg_admin_url(PG_URL)
    _run(["createdb", "--maintenance-db", admin, name])
    try:
        yield _pg_database_url(PG_URL, name)
    finally:
        _run(["dropdb", "--if-exists", "--force", "--maintenance-db", admin, name])


@pytest.fixture
def engine(storage_url):
    with clash.open(storage_url) as opened:
        yield opened


@pytest.fixture(scope="session")
def levels_dir(repo_root) -> Path:
    return repo_root / "data" / "levels"


# Canonical form (what the catalogue stores): a round trip compares equal.
CASES = ('{"cases":[{"args":[],"expected":42,"public":true},{"args":[],"expected":42,"name":"again",'
         '"public":false}],"entry":"answer","float_tolerance":0.0,"mode":"function"}')
FIRST_THREE = ["python-001", "python-002", "python-003"]


def make_level(slug="custom-001", order=7, **fields):
    values = dict(
        slug=slug, order=order, title="Custom", description="Return 42.",
        initial_code="def answer():\n    pass\n", test_code="assert answer() == 42\n",
        xp_reward=70, time_limit_seconds=4, target_time_seconds=200, stage=1, topics=["numbers"],
        secrets=clash.LevelSecrets(cases_json=CASES,
                                   solution="def answer():\n    return 42\n",
                                   hints=["a number", "forty-something", "42"]),
    )
    values.update(fields)
    return clash.Level(**values)


# --- engine -------------------------------------------------------------------------------------

def test_open_reports_health_schema_and_backend(engine, storage_url):
    assert engine.health() == {"database": "ok", "pubsub": "ok"}
    assert isinstance(engine.schema_version(), int)
    assert engine.schema_version() >= 1
    assert engine.backend == ("sqlite" if storage_url.startswith("sqlite") else "postgresql")
    assert engine.levels() == []
    assert not engine.closed


def test_reopen_keeps_data_and_schema_version(storage_url, levels_dir):
    with clash.open(storage_url) as first:
        assert first.load_levels(levels_dir) == 60
        version = first.schema_version()
    with clash.open(storage_url) as second:
        assert [level.slug for level in second.levels()][:3] == FIRST_THREE
        assert second.schema_version() == version


def test_load_repo_levels_hides_secrets_except_for_judging(engine, levels_dir):
    assert engine.load_levels(str(levels_dir)) == 60

    levels = engine.levels()
    assert [level.slug for level in levels] == [f"python-{n:03d}" for n in range(1, 61)]
    assert [level.xp_reward for level in levels] == [10 * n for n in range(1, 61)]
    assert [level.order for level in levels] == list(range(1, 61))
    assert [level.stage for level in levels] == [(n - 1) // 10 + 1 for n in range(1, 61)]
    assert all(level.id > 0 for level in levels)
    assert all(level.secrets == clash.LevelSecrets() for level in levels)
    assert levels[0].title == "Hello, Arena"

    public = engine.level("python-001")
    assert public == levels[0]
    assert public.secrets.solution == ""
    assert public.secrets.hints == []

    judged = engine.level_for_judging("python-001")
    assert judged.id == public.id
    assert judged.secrets.solution != ""
    assert '"public":true' in judged.secrets.cases_json and '"public":false' in judged.secrets.cases_json
    assert judged.test_code == "assert greet('Ada') == 'Hello, Ada!'\n\nassert greet('Arena') == 'Hello, Arena!'\n"
    assert len(judged.secrets.hints) == 3
    assert judged.secrets.hints[0].startswith("The function has to hand back text")
    judged.secrets = clash.LevelSecrets()
    assert judged == public


def test_upsert_and_get_round_trip(engine):
    level = make_level()
    engine.upsert_levels([level])

    stored = engine.level_for_judging("custom-001")
    assert stored.id > 0
    level.id = stored.id
    assert stored == level
    assert stored.to_dict() == level.to_dict()

    public = engine.level("custom-001")
    assert public.secrets == clash.LevelSecrets()
    assert public.title == "Custom" and public.xp_reward == 70 and public.time_limit_seconds == 4

    stored.title = "Custom, renamed"
    stored.secrets.hints = ["only one"]
    engine.upsert_levels([stored])
    again = engine.level_for_judging("custom-001")
    assert again.id == stored.id
    assert again.title == "Custom, renamed"
    assert again.secrets.hints == ["only one"]
    assert [level.slug for level in engine.levels()] == ["custom-001"]


def test_unknown_slug_raises_not_found(engine):
    with pytest.raises(clash.NotFoundError) as raised:
        engine.level("python-999")
    error = raised.value
    assert type(error) is clash.NotFoundError
    assert error.code == "not_found"
    assert "python-999" in str(error)
    assert error.details == {}
    assert error.retry_after is None
    assert isinstance(error, clash.Error) and isinstance(error, LookupError)

    with pytest.raises(clash.NotFoundError) as raised:
        engine.level_for_judging("python-999")
    assert raised.value.code == "not_found"


def test_invalid_level_raises_invalid_argument_and_changes_nothing(engine):
    engine.upsert_levels([make_level(slug="kept-001", order=1)])
    with pytest.raises(clash.InvalidArgumentError) as raised:
        engine.upsert_levels([make_level(slug="fine-002", order=2), make_level(slug="Bad Slug!", order=3)])
    assert raised.value.code == "invalid_argument"
    assert "Bad Slug!" in str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert [level.slug for level in engine.levels()] == ["kept-001"]

    with pytest.raises(clash.InvalidArgumentError, match="order"):
        engine.upsert_levels([make_level(order=0)])
    with pytest.raises(clash.InvalidArgumentError, match="duplicate slug"):
        engine.upsert_levels([make_level(), make_level()])
    with pytest.raises(clash.InvalidArgumentError, match="does not exist"):
        engine.load_levels("/nonexistent/levels")


@pytest.mark.parametrize("url", ["mysql://localhost/clash", "sqlite://", "clash.db"])
def test_bad_url_raises_invalid_argument(url):
    with pytest.raises(clash.InvalidArgumentError) as raised:
        clash.open(url)
    assert raised.value.code == "invalid_argument"
    assert isinstance(raised.value, ValueError)


def test_closed_engine_refuses_calls(storage_url):
    engine = clash.open(storage_url)
    with engine as entered:
        assert entered is engine
    assert engine.closed
    assert "closed" in repr(engine)
    with pytest.raises(clash.FailedPreconditionError) as raised:
        engine.levels()
    assert raised.value.code == "failed_precondition"
    engine.close()  # idempotent
    assert engine.backend in ("sqlite", "postgresql")


# --- exceptions ---------------------------------------------------------------------------------

def test_every_status_code_has_an_error_class():
    assert issubclass(clash.Error, Exception)
    for code, cls in ALL_ERRORS.items():
        assert issubclass(cls, clash.Error), cls
        assert cls.code == code
        assert cls.__module__ == "clash"
        assert cls.__doc__
    assert len(set(ALL_ERRORS.values())) == 13
    assert issubclass(clash.InvalidArgumentError, ValueError)
    assert issubclass(clash.NotFoundError, LookupError)
    assert not issubclass(clash.UnavailableError, (ValueError, LookupError))


def test_error_raised_from_python_has_empty_details():
    error = clash.UnavailableError("down")
    assert str(error) == "down"
    assert error.code == "unavailable"
    assert dict(error.details) == {}
    assert error.retry_after is None


# --- value types --------------------------------------------------------------------------------

def test_level_defaults_equality_repr_and_copy():
    level = clash.Level()
    assert (level.id, level.slug, level.order, level.xp_reward) == (0, "", 0, 0)
    assert (level.time_limit_seconds, level.target_time_seconds) == (5, 600)
    assert level.secrets == clash.LevelSecrets()

    level = make_level()
    assert level == make_level()
    assert level != make_level(title="Other")
    text = repr(level)
    assert text.startswith("Level(") and "'custom-001'" in text
    assert "return 42" not in text and "return 42" not in repr(level.secrets)

    duplicate = copy.deepcopy(level)
    duplicate.secrets.solution = "changed"
    assert level.secrets.solution == "def answer():\n    return 42\n"

    as_dict = level.to_dict()
    assert as_dict["slug"] == "custom-001" and as_dict["xp_reward"] == 70
    assert as_dict["secrets"] == {"cases_json": CASES,
                                  "solution": "def answer():\n    return 42\n",
                                  "hints": ["a number", "forty-something", "42"]}
    assert set(as_dict) == {"id", "slug", "order", "title", "description", "initial_code", "test_code",
                            "xp_reward", "time_limit_seconds", "target_time_seconds", "stage", "topics",
                            "created_for_user", "secrets"}
    with pytest.raises(TypeError):
        clash.Level("positional-slug")


def test_read_levels_returns_levels_with_secrets(levels_dir):
    levels = clash.read_levels(levels_dir)
    assert [level.slug for level in levels][:3] == FIRST_THREE and len(levels) == 60
    assert [level.xp_reward for level in levels][:3] == [10, 20, 30]
    assert all(level.id == 0 for level in levels)
    assert all(len(level.secrets.hints) == 3 and level.secrets.solution for level in levels)
    with pytest.raises(clash.InvalidArgumentError):
        clash.read_levels(levels_dir / "missing")


def test_version_matches_cmake_project(repo_root):
    match = re.search(r"project\(\s*clash\s+VERSION\s+([0-9.]+)", (repo_root / "CMakeLists.txt").read_text())
    assert clash.__version__ == match.group(1)


# --- threads and the GIL ------------------------------------------------------------------------

def test_gil_is_released_while_the_library_waits(tmp_path, levels_dir):
    """A load blocked on a SQLite write lock must let Python run: the main thread releases the
    lock while the load waits. If the binding held the GIL, the main thread could not run until
    the load gave up (busy timeout), and the load would fail instead of returning 3."""
    path = tmp_path / "locked.db"
    engine = clash.open(f"sqlite://{path}")
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    outcome = {}
    calling = threading.Event()

    def load():
        calling.set()
        started = time.monotonic()
        try:
            outcome["count"] = engine.load_levels(levels_dir)
        except Exception as error:  # reported by the asserts below
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=load)
    worker.start()
    assert calling.wait(timeout=30)
    ticks = 0
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        ticks += 1
    assert worker.is_alive(), f"the load did not wait for the lock: {outcome}"
    blocker.execute("COMMIT")
    worker.join(timeout=30)
    blocker.close()
    assert not worker.is_alive()
    assert outcome.get("error") is None
    assert outcome["count"] == 60
    assert outcome["seconds"] >= 0.4  # it waited for the COMMIT above
    assert ticks > 1000
    engine.close()


def test_threads_share_an_engine_and_load_concurrently(storage_url, levels_dir, tmp_path):
    other_url = f"sqlite://{tmp_path / 'other.db'}"
    with clash.open(storage_url) as shared, clash.open(other_url) as other:
        results, errors = [], []

        def work(target):
            try:
                for _ in range(5):
                    results.append(target.load_levels(levels_dir))
                    assert len(target.levels()) == 60
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=work, args=(e,)) for e in (shared, shared, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads), "deadlock"
        assert errors == []
        assert results == [60] * 15


def test_close_waits_for_calls_in_flight(storage_url, levels_dir):
    engine = clash.open(storage_url)
    errors = []

    def hammer():
        try:
            while True:
                engine.load_levels(levels_dir)
        except clash.FailedPreconditionError:
            pass  # the engine was closed under us: the expected way out
        except Exception as error:
            errors.append(error)

    thread = threading.Thread(target=hammer)
    thread.start()
    time.sleep(0.2)
    engine.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert errors == []


# --- examples -----------------------------------------------------------------------------------

def test_list_levels_example(repo_root, tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(clash.__file__).parent.parent)] +
                                        ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    url = f"sqlite://{tmp_path / 'example.db'}"
    done = subprocess.run([sys.executable, str(repo_root / "examples" / "list_levels.py"), url],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "loaded 60 levels from data/levels"
    assert lines[1].split() == ["1", "python-001", "10", "xp", "Hello,", "Arena"]
    assert len(lines) == 61
