#!/usr/bin/env python3
"""Checks the match puzzles under data/puzzles/ against docs/puzzles.md and runs their solutions.

TRUSTED-AUTHOR TOOLING. This script compiles and runs every puzzle's reference solutions
(solution.py, solution.cpp, solution.js) directly on this machine, UNSANDBOXED, with only CPU,
wall-clock and (Python, C++) address-space limits. Run it only on puzzles from this repository,
never on code from players or other untrusted sources (that goes through the judge's sandbox).

Usage:
    /usr/bin/python3 tools/puzzles/check_puzzles.py [--root DIR] [--no-run] [--times]
                                                    [--jobs 1|2] [SLUG ...]
Prints one line per puzzle (`echo-reverse  py ok  cpp ok  js ok  9 cases`) with its problems
indented below, then a summary; exits 0 if every puzzle passed, 1 if any failed, 2 on bad usage.
"""

import argparse
import concurrent.futures
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from puzzle_format import (CASE_KEYS, check_folder, normalize_output, outputs_match,  # noqa: F401
                           time_limit)

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "data" / "puzzles"
MEMORY_LIMIT_BYTES = 256 << 20       # the judge's default RLIMIT_AS (node needs more, gets none)
OUTPUT_LIMIT_BYTES = 1 << 20         # the judge's default output limit
COMPILE_TIMEOUT_SECONDS = 120


# ---------------------------------------------------------------------------------------------
# Running solutions.

@dataclass
class RunResult:
    exit_code: int = 0          # exit status, or -signal
    cpu_seconds: float = 0.0
    wall_timeout: bool = False
    stdout: str = ""
    stderr: str = ""


def run_program(argv, stdin_text, cpu_limit, memory_limit, cwd):
    """Runs argv with stdin_text on stdin in its own process group, under RLIMIT_CPU = cpu_limit
    (plus RLIMIT_AS = memory_limit unless None) and a wall-clock timeout of 2 * cpu_limit + 3 s.
    The limits are set by `sh -c ulimit ...; exec` so no Python code runs between fork and exec."""
    limits = [f"-t {int(cpu_limit)}", f"-f {OUTPUT_LIMIT_BYTES // 512 + 1}"]   # -f: 512-byte blocks
    if memory_limit is not None:
        limits.append(f"-v {memory_limit // 1024}")                              # -v: KiB
    wrapper = "".join(f"ulimit {limit} && " for limit in limits) + 'exec "$0" "$@"'
    with tempfile.TemporaryDirectory(prefix="puzzle-run-") as tmp:
        paths = {k: os.path.join(tmp, k) for k in ("in", "out", "err")}
        with open(paths["in"], "w", encoding="utf-8", newline="") as f:
            f.write(stdin_text)
        with open(paths["in"], "rb") as fin, open(paths["out"], "wb") as fout, \
                open(paths["err"], "wb") as ferr:
            proc = subprocess.Popen(["/bin/sh", "-c", wrapper, *argv], stdin=fin, stdout=fout,
                                    stderr=ferr, cwd=cwd, start_new_session=True)
        result = RunResult()

        def on_timeout():
            result.wall_timeout = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(2 * cpu_limit + 3, on_timeout)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)   # reaped here, not by Popen
        try:  # children the program left behind belong to its group
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        result.exit_code = proc.returncode
        result.cpu_seconds = usage.ru_utime + usage.ru_stime
        with open(paths["out"], "rb") as f:
            result.stdout = f.read(OUTPUT_LIMIT_BYTES + 1).decode("utf-8", errors="replace")
        with open(paths["err"], "rb") as f:
            result.stderr = f.read(4096).decode("utf-8", errors="replace")
    return result


def _excerpt(text, limit=80):
    text = normalize_output(text)
    return repr(text if len(text) <= limit else text[:limit] + "...")


def classify(run, expected, cpu_limit):
    """None if the run passed, else why it failed."""
    if run.wall_timeout:
        return "time limit exceeded (wall clock)"
    if run.exit_code == -signal.SIGXCPU or (run.exit_code == -signal.SIGKILL
                                            and run.cpu_seconds >= 0.8 * cpu_limit):
        return f"time limit exceeded (cpu {run.cpu_seconds:.2f} s)"
    if run.exit_code == -signal.SIGXFSZ or len(run.stdout) > OUTPUT_LIMIT_BYTES:
        return "output limit exceeded"
    if run.exit_code != 0:
        how = (f"killed by signal {-run.exit_code}" if run.exit_code < 0
               else f"exit code {run.exit_code}")
        tail = run.stderr.strip().split("\n")[-1][:160] if run.stderr.strip() else ""
        return f"runtime error ({how})" + (f": {tail}" if tail else "")
    if not outputs_match(run.stdout, expected):
        return f"wrong answer: expected {_excerpt(expected)}, got {_excerpt(run.stdout)}"
    if run.cpu_seconds > cpu_limit / 2:
        return (f"too slow: {run.cpu_seconds:.2f} s of cpu, over half the {cpu_limit} s limit "
                "(a reference solution must pass well within it)")
    return None


@dataclass
class LangReport:
    status: str = "ok"          # ok, FAIL, skip
    problems: list = field(default_factory=list)
    max_cpu: float = 0.0


@dataclass
class PuzzleReport:
    name: str
    problems: list = field(default_factory=list)    # format problems
    langs: dict = field(default_factory=dict)       # "py"/"cpp"/"js" -> LangReport
    case_count: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.problems and all(r.status != "FAIL" for r in self.langs.values())


@dataclass
class Tools:
    python: str
    node: str
    gxx: str


def run_language(lang, argv, cases, cpu_limit, memory_limit, cwd):
    report = LangReport()
    for case in cases:
        run = run_program(argv, case["input"], cpu_limit, memory_limit, cwd)
        report.max_cpu = max(report.max_cpu, run.cpu_seconds)
        why = classify(run, case["output"], cpu_limit)
        if why:
            kind = "public" if case["public"] else "hidden"
            report.problems.append(f"{lang}: case {case['name']!r} ({kind}): {why}")
    if report.problems:
        report.status = "FAIL"
    return report


def run_solutions(folder, cases, cpu_limit, tools):
    langs = {}
    with tempfile.TemporaryDirectory(prefix="puzzle-check-") as tmp:
        langs["py"] = run_language("py", [tools.python, "-I", str(folder / "solution.py")], cases,
                                   cpu_limit, MEMORY_LIMIT_BYTES, tmp)
        binary = os.path.join(tmp, "solution")
        try:
            compiled = subprocess.run(
                [tools.gxx, "-O2", "-std=c++17", "-o", binary, str(folder / "solution.cpp")],
                stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                timeout=COMPILE_TIMEOUT_SECONDS)
            compile_error = compiled.stderr.strip() if compiled.returncode != 0 else None
        except subprocess.TimeoutExpired:
            compile_error = f"compilation took over {COMPILE_TIMEOUT_SECONDS} s"
        if compile_error is not None:
            first = [line for line in compile_error.split("\n") if "error" in line][:3]
            langs["cpp"] = LangReport("FAIL", ["cpp: compile error: "
                                               + (" | ".join(first) or compile_error[:300])])
        else:
            langs["cpp"] = run_language("cpp", [binary], cases, cpu_limit, MEMORY_LIMIT_BYTES,
                                        tmp)
        langs["js"] = run_language("js", [tools.node, str(folder / "solution.js")], cases,
                                   cpu_limit, None, tmp)
    return langs


def check_puzzle(folder, tools=None, run=True):
    """Checks one puzzle folder; runs its solutions too when `run` (and the cases loaded)."""
    folder = Path(folder)
    report = PuzzleReport(folder.name)
    report.problems, meta, cases = check_folder(folder)
    if isinstance(meta, dict):
        report.meta = meta
    runnable = [c for c in cases or []
                if isinstance(c, dict) and set(c) == CASE_KEYS
                and isinstance(c["input"], str) and isinstance(c["output"], str)]
    report.case_count = len(runnable)
    for lang, file in (("py", "solution.py"), ("cpp", "solution.cpp"), ("js", "solution.js")):
        if not (folder / file).is_file():
            report.langs[lang] = LangReport("FAIL", [f"{lang}: {file} missing"])
    if run and runnable and not report.langs:
        report.langs = run_solutions(folder, runnable, time_limit(meta), tools)
    for lang in ("py", "cpp", "js"):
        report.langs.setdefault(lang, LangReport("skip"))
    return report


def format_report(report, name_width, times=False):
    parts = [report.name.ljust(name_width)]
    for lang in ("py", "cpp", "js"):
        r = report.langs[lang]
        cell = f"{lang} {r.status}"
        if times and r.status != "skip":
            cell += f" {r.max_cpu * 1000:.0f}ms"
        parts.append(cell.ljust(15 if times else 8))
    parts.append(f"{report.case_count} cases")
    if report.problems:
        parts.append(f"  FORMAT: {len(report.problems)} problem"
                     + ("s" if len(report.problems) != 1 else ""))
    lines = ["  ".join(parts).rstrip()]
    for problem in report.problems:
        lines.append(f"    {problem}")
    for lang in ("py", "cpp", "js"):
        for problem in report.langs[lang].problems:
            lines.append(f"    {problem}")
    return "\n".join(lines)


def startup_baseline(tools):
    """CPU time of an empty Python and node program, so that --times figures can be read."""
    with tempfile.TemporaryDirectory(prefix="puzzle-base-") as tmp:
        script = os.path.join(tmp, "empty")
        Path(script).write_text("\n")
        py = run_program([tools.python, "-I", script], "", 10, None, tmp).cpu_seconds
        js = run_program([tools.node, script], "", 10, None, tmp).cpu_seconds
    return f"py {py * 1000:.0f}ms  js {js * 1000:.0f}ms"


def find_tools(args):
    missing = []
    python = args.python or sys.executable
    node = args.node or shutil.which("node") or shutil.which("nodejs")
    gxx = args.gxx or shutil.which("g++")
    for name, value in (("python3", python), ("node", node), ("g++", gxx)):
        if not value:
            missing.append(name)
    return Tools(python, node, gxx), missing


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("slugs", nargs="*", help="puzzles to check (default: every folder)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                        help="folder holding the puzzle folders (default: data/puzzles)")
    parser.add_argument("--no-run", action="store_true", help="check the format only")
    parser.add_argument("--times", action="store_true",
                        help="show each language's largest cpu time per puzzle")
    parser.add_argument("--jobs", type=int, default=1, choices=(1, 2),
                        help="puzzles checked at once (default 1)")
    parser.add_argument("--python", help="Python interpreter (default: this one)")
    parser.add_argument("--node", help="node binary (default: node on PATH)")
    parser.add_argument("--gxx", help="g++ binary (default: g++ on PATH)")
    args = parser.parse_args(argv)

    if not args.root.is_dir():
        print(f"check_puzzles: {args.root} is not a directory", file=sys.stderr)
        return 2
    folders = sorted(p for p in args.root.iterdir() if p.is_dir())
    if args.slugs:
        by_name = {p.name: p for p in folders}
        unknown = [s for s in args.slugs if s not in by_name]
        if unknown:
            print(f"check_puzzles: no puzzle folder {', '.join(unknown)} under {args.root}",
                  file=sys.stderr)
            return 2
        folders = [by_name[s] for s in args.slugs]
    if not folders:
        print(f"check_puzzles: no puzzle folders under {args.root}", file=sys.stderr)
        return 2
    tools, missing = find_tools(args)
    if missing and not args.no_run:
        print(f"check_puzzles: not found: {', '.join(missing)}", file=sys.stderr)
        return 2

    width = max(len(p.name) for p in folders) + 2
    if args.times and not args.no_run:
        print(f"start-up cpu of an empty program: {startup_baseline(tools)} (included below)")
    reports = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(check_puzzle, p, tools, not args.no_run) for p in folders]
        for future in futures:          # in folder order, each as soon as it is ready
            report = future.result()
            reports.append(report)
            print(format_report(report, width, args.times), flush=True)

    titles = {}
    for r in reports:
        title = r.meta.get("title")
        if isinstance(title, str):
            titles.setdefault(title, []).append(r.name)
    for title, names in sorted(titles.items()):
        if len(names) > 1:
            print(f"duplicate title {title!r}: {', '.join(names)}")
    duplicate_titles = any(len(n) > 1 for n in titles.values())

    failed = [r.name for r in reports if not r.ok]
    by_level = {d: sum(1 for r in reports if r.meta.get("difficulty") == d) for d in (1, 2, 3)}
    reverse = sum(1 for r in reports if "reverse" in (r.meta.get("modes") or []))
    print(f"{len(reports)} puzzles: {len(reports) - len(failed)} ok, {len(failed)} failed"
          f"{' (format only)' if args.no_run else ''}; difficulty 1/2/3: "
          f"{by_level[1]}/{by_level[2]}/{by_level[3]}; reverse-suitable: {reverse}; cases: "
          f"{sum(r.case_count for r in reports)}")
    if failed:
        print(f"failed: {' '.join(failed)}")
    return 1 if failed or duplicate_titles else 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # `| head` ends the output quietly
    sys.exit(main())
