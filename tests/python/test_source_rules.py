"""scripts/check-source-rules.sh: the architecture rules a compiler cannot check. Each rule is
proven to fire on a copy of the tree with one planted violation (and to pass on the real tree)."""

import shutil
import subprocess
from pathlib import Path

import pytest


def _copy_tree(repo_root: Path, dest: Path) -> Path:
    for part in ("scripts", "libclash/src", "libclash/include"):
        shutil.copytree(repo_root / part, dest / part)
    return dest


def _run(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(root / "scripts/check-source-rules.sh")], cwd=root,
                          capture_output=True, text=True, timeout=120)


def test_the_tree_passes(repo_root):
    result = _run(repo_root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check-source-rules: ok" in result.stdout


@pytest.mark.parametrize("path, line, message", [
    ("libclash/src/economy/names.cpp", '#include "judge/sandbox.h"', "another module's src/ header"),
    ("libclash/src/auth/otp.cpp", '#include "storage/sqlite/sqlite_session.h"', "another module's src/ header"),
    ("libclash/src/storage/sql/sql_storage.cpp", '#include "storage/postgres/pg_session.h"',
     "another module's src/ header"),
    ("libclash/include/clash/auth.h", '#include "common/crypto.h"', "public header includes a private src/ header"),
    ("libclash/include/clash/auth.h", '#include <sqlite3.h>', "public header includes a backend type"),
    ("libclash/src/economy/ledger.cpp", "auto t = std::chrono::system_clock::now();", "read the system clock"),
])
def test_each_rule_fires(repo_root, tmp_path, path, line, message):
    root = _copy_tree(repo_root, tmp_path)
    target = root / path
    target.write_text(target.read_text() + "\n" + line + "\n")
    result = _run(root)
    assert result.returncode == 1
    assert message in result.stdout
    assert path in result.stdout


def test_backends_may_use_the_sql_layer_and_engine_wires_everything(repo_root, tmp_path):
    root = _copy_tree(repo_root, tmp_path)
    for path, line in [("libclash/src/storage/sqlite/sqlite_storage.cpp", '#include "storage/sql/sql_session.h"'),
                       ("libclash/src/engine/engine.cpp", '#include "judge/sandbox.h"')]:
        target = root / path
        target.write_text(target.read_text() + "\n" + line + "\n")
    result = _run(root)
    assert result.returncode == 0, result.stdout
