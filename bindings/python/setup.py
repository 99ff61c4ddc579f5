"""Builds the `clash` package: runs CMake on the repository root and ships the `_clash` module.

Environment variables:
  CLASH_PIP_BUILD_DIR  persistent CMake build directory (reused between installs, so rebuilds are
                       incremental); default: a directory inside setuptools' build_temp.
  CLASH_SOURCE_DIR     the repository root; default: two levels above this file.
  CLASH_CMAKE_ARGS     extra arguments for the CMake configure step (split like a shell would).
  CMAKE_BUILD_PARALLEL_LEVEL  build jobs (default 2).
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent


def source_dir() -> Path:
    root = Path(os.environ.get("CLASH_SOURCE_DIR") or HERE.parent.parent).resolve()
    if not (root / "libclash").is_dir() or not (root / "CMakeLists.txt").is_file():
        sys.exit(f"setup.py: {root} is not the Clash repository root; set CLASH_SOURCE_DIR")
    return root


def project_version() -> str:
    text = (source_dir() / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*clash\s+VERSION\s+([0-9.]+)", text)
    if not match:
        sys.exit("setup.py: no `project(clash VERSION x.y.z)` in the root CMakeLists.txt")
    return match.group(1)


class CMakeExtension(Extension):
    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    """Configures the repository with only the Python module enabled and builds target _clash."""

    def build_extension(self, ext: Extension) -> None:
        build_dir = Path(os.environ.get("CLASH_PIP_BUILD_DIR") or Path(self.build_temp) / "cmake").resolve()
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = [
            "cmake", "-S", str(source_dir()), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DCLASH_BUILD_TESTS=OFF",
            "-DCLASH_BUILD_HOST=OFF",
            "-DCLASH_BUILD_EXAMPLES=OFF",
            "-DCLASH_BUILD_PYTHON=ON",
            f"-DPython_EXECUTABLE={sys.executable}",
        ]
        if not (build_dir / "CMakeCache.txt").exists() and shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("CLASH_CMAKE_ARGS", ""))
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        self.announce("configuring: " + shlex.join(configure), level=2)
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_clash", "-j", jobs], check=True)

        built = self._find_module(build_dir / "bindings" / "python" / "clash")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)
        # The judge's sandbox helpers travel inside the package (clash/__init__.py points the library
        # at them), so clash.judge works once the CMake build directory is gone.
        for helper in self.SANDBOX_HELPERS:
            found = list((build_dir / "libclash" / "src" / "judge").glob(helper))
            if found:
                shutil.copy2(found[0], target.parent / helper)

    SANDBOX_HELPERS = ("clash-sandbox-init", "libclash-zygote.so")

    @staticmethod
    def _find_module(package_dir: Path) -> Path:
        candidates = sorted(package_dir.glob("_clash*.so"), key=lambda p: p.stat().st_mtime)
        if not candidates:
            sys.exit(f"setup.py: the build produced no _clash module in {package_dir}")
        return candidates[-1]


setup(
    name="clash",
    version=project_version(),
    description="Python bindings of libclash, the Clash coding-platform SDK",
    python_requires=">=3.8",
    packages=["clash"],
    package_dir={"clash": "clash"},
    ext_modules=[CMakeExtension("clash._clash")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
