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
