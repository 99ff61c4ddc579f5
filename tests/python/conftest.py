"""Shared pytest setup for tests/python: where to import `clash` from, and the repository root.

The module is found through CLASH_PYTHONPATH (os.pathsep-separated, relative entries resolved
against the working directory), then PYTHONPATH / the installed package. Example:
    CLASH_PYTHONPATH=build-py/bindings/python /usr/bin/python3 -m pytest tests/python -q
"""

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

for _entry in reversed(os.environ.get("CLASH_PYTHONPATH", "").split(os.pathsep)):
    if _entry:
        sys.path.insert(0, os.path.abspath(_entry))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(params=["sqlite", "postgresql"])
def storage_url(request, tmp_path):
    """Empty storage of each backend for tests that run clash-host: a SQLite file, and a scratch
    database on the test PostgreSQL server (a missing server is a failure, never a skip)."""
    from hostutil import ScratchPostgres, postgres_server_url
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path}/clash.db"
        return
    server = postgres_server_url()
    if server is None:
        pytest.fail("PostgreSQL half needs CLASH_TEST_POSTGRES_URL (use scripts/test.sh)")
    db = ScratchPostgres(server)
    yield db.url
    db.close()
