"""`pip install --no-build-isolation --no-index ./bindings/python` into a fresh venv really builds
the module through setup.py and installs an importable `clash`.

Slow on a cold build (CMake builds libclash and the module). CLASH_PIP_BUILD_DIR names the
persistent CMake build directory setup.py reuses (default: <repo>/build-pip), so repeated runs
are incremental.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        output = (done.stdout + "\n" + done.stderr).splitlines()
        errors = [line for line in output if "error:" in line or "FAILED:" in line or "CMake Error" in line]
        tail = "\n".join(output[-30:])
        raise AssertionError(f"{cmd} failed ({done.returncode}); error lines:\n" + "\n".join(errors[:30]) +
                             f"\n--- last lines ---\n{tail}")
    return done


def test_pip_install_into_venv_then_import(tmp_path, repo_root):
    # The venv lives where the sandbox's uids may traverse (pytest's tmp_path is below a 0700
    # directory): the judge bind-mounts the package's helpers from their installed path, so the
    # package must be installed somewhere world-traversable (docs/packaging.md).
    venv_root = Path(tempfile.mkdtemp(prefix="clash-pip-venv-"))
    venv_root.chmod(0o755)
    try:
        _install_and_use(tmp_path, repo_root, venv_root / "venv")
    finally:
        shutil.rmtree(venv_root, ignore_errors=True)


def _install_and_use(tmp_path, repo_root, venv):
    run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], timeout=300)
    python = venv / "bin" / "python"
    build_dir = Path(os.environ.get("CLASH_PIP_BUILD_DIR") or repo_root / "build-pip")

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CLASH_PYTHONPATH", "PYTHONHOME")}
    env.update(CLASH_PIP_BUILD_DIR=str(build_dir), PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_INPUT="1", PIP_NO_CACHE_DIR="1")
    install = run([str(python), "-m", "pip", "install", "--no-build-isolation", "--no-index",
                   str(repo_root / "bindings" / "python")], env=env, timeout=3600)
    assert "Successfully installed clash-" in install.stdout

    # The module was built by this install: setup.py ran CMake into build_dir.
    built = list((build_dir / "bindings" / "python" / "clash").glob("_clash*.so"))
    assert len(built) == 1

    probe = (
        "import clash, sys\n"
        "print(clash.__file__)\n"
        "with clash.open('sqlite::memory:') as e:\n"
        f"    print(e.load_levels({str(repo_root / 'data' / 'levels')!r}))\n"
        "    print(','.join(l.slug for l in e.levels()))\n"
        "    print(e.health()['database'])\n"
        "try:\n"
        "    clash.open('nope://')\n"
        "except clash.InvalidArgumentError as err:\n"
        "    print(err.code)\n"
    )
    done = run([str(python), "-c", probe], env=env, cwd=tmp_path, timeout=120)
    module_file, count, slugs, health, code = done.stdout.splitlines()
    assert Path(module_file).resolve().is_relative_to(venv.resolve()), module_file
    assert count == "60"
    assert slugs == ",".join(f"python-{n:03d}" for n in range(1, 61))
    assert health == "ok"
    assert code == "invalid_argument"

    # The judge works from the installed package alone: its sandbox helpers travel inside it (the
    # build directory's copies are moved away while it runs).
    helpers = [p for name in ("clash-sandbox-init", "libclash-zygote.so")
               for p in (build_dir / "libclash" / "src" / "judge").glob(name)]
    assert helpers, "the pip build produced no sandbox helpers"
    judge_probe = (
        "import clash, os\n"
        "print(os.environ['CLASH_SANDBOX_INIT'])\n"
        "with clash.open('sqlite::memory:') as e:\n"
        "    r = e.judge('python3', 'def add(a, b):\\n    return a + b\\n', 'assert add(1, 2) == 3\\n')\n"
        "    print(r['verdict'])\n"
    )
    moved = [(p, p.with_name(p.name + ".moved")) for p in helpers]
    for src, dst in moved:
        src.rename(dst)
    try:
        done = run([str(python), "-c", judge_probe], env=env, cwd=tmp_path, timeout=300)
    finally:
        for src, dst in moved:
            dst.rename(src)
    init_path, verdict = done.stdout.splitlines()
    assert Path(init_path).resolve().is_relative_to(venv.resolve()), init_path
    assert verdict == "accepted", done.stdout + done.stderr

    shown = run([str(python), "-m", "pip", "show", "clash"], env=env, timeout=120)
    assert "Name: clash" in shown.stdout
