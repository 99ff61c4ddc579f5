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
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "data" / "puzzles"

REQUIRED_FILES = ("puzzle.json", "statement.md", "cases.json", "solution.py", "solution.cpp",
                  "solution.js")
SECTIONS = ("Goal", "Input", "Output", "Constraints", "Example")
MODES = ("fastest", "shortest", "reverse")
TOPICS = ("strings", "arithmetic", "simulation", "grids", "sorting", "greedy", "parsing",
          "number-theory", "dp", "bits", "graphs")
META_KEYS = {"slug", "title", "difficulty", "topics", "modes", "time_limit_seconds"}
META_REQUIRED = META_KEYS - {"time_limit_seconds"}
CASE_KEYS = {"name", "public", "input", "output"}
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DEFAULT_TIME_LIMIT = 2
MAX_TIME_LIMIT = 10
MAX_TEXT_BYTES = 65536
MAX_SOURCE_BYTES = 65536
MAX_CASES = 40
MIN_HIDDEN = 6
MEMORY_LIMIT_BYTES = 256 << 20       # the judge's default RLIMIT_AS (node needs more, gets none)
OUTPUT_LIMIT_BYTES = 1 << 20         # the judge's default output limit
COMPILE_TIMEOUT_SECONDS = 120

# The C++17 standard library headers (and the C headers it provides as <cxxx>).
CPP_STD_HEADERS = set("""
algorithm any array atomic bitset cassert cctype cerrno cfenv cfloat charconv chrono cinttypes
climits clocale cmath codecvt complex condition_variable csetjmp csignal cstdarg cstddef cstdint
cstdio cstdlib cstring ctime cuchar cwchar cwctype deque exception execution filesystem forward_list
fstream functional future initializer_list iomanip ios iosfwd iostream istream iterator limits list
locale map memory memory_resource mutex new numeric optional ostream queue random ratio regex
scoped_allocator set shared_mutex sstream stack stdexcept streambuf string string_view system_error
thread tuple type_traits typeindex typeinfo unordered_map unordered_set utility valarray variant
vector
""".split())
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*(.*)$')


def normalize_output(text):
    """The judge's comparison form: trailing spaces, tabs and CRs dropped from every line, then
    trailing empty lines dropped (libclash/src/judge/output_compare.cpp)."""
    lines = [line.rstrip(" \t\r") for line in text.split("\n")]
    return "\n".join(lines).rstrip("\n")


def outputs_match(actual, expected):
    return normalize_output(actual) == normalize_output(expected)


# ---------------------------------------------------------------------------------------------
# Format checks. Each returns a list of problems (strings); an empty list means valid.

def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_meta(meta, folder_name):
    """puzzle.json: keys, types and ranges; the slug equals the folder name."""
    if not isinstance(meta, dict):
        return ["puzzle.json: must be a JSON object"]
    problems = []
    for key in sorted(set(meta) - META_KEYS):
        problems.append(f"puzzle.json: unknown key {key!r}")
    for key in sorted(META_REQUIRED - set(meta)):
        problems.append(f"puzzle.json: missing key {key!r}")
    slug = meta.get("slug")
    if "slug" in meta:
        if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 50:
            problems.append("puzzle.json: slug must be 1-50 characters of a-z0-9- "
                            "(no leading, trailing or doubled '-')")
        elif slug != folder_name:
            problems.append(f"puzzle.json: slug {slug!r} differs from the folder name "
                            f"{folder_name!r}")
    title = meta.get("title")
    if "title" in meta and (not isinstance(title, str) or not 1 <= len(title) <= 60
                            or title != title.strip()):
        problems.append("puzzle.json: title must be 1-60 characters without leading or "
                        "trailing spaces")
    if "difficulty" in meta and (not _is_int(meta["difficulty"])
                                 or meta["difficulty"] not in (1, 2, 3)):
        problems.append("puzzle.json: difficulty must be 1, 2 or 3")
    topics = meta.get("topics")
    if "topics" in meta:
        if (not isinstance(topics, list) or not 1 <= len(topics) <= 3
                or not all(isinstance(t, str) for t in topics) or len(set(topics)) != len(topics)):
            problems.append("puzzle.json: topics must be 1-3 distinct strings")
        else:
            for t in topics:
                if t not in TOPICS:
                    problems.append(f"puzzle.json: unknown topic {t!r} (one of {', '.join(TOPICS)})")
    modes = meta.get("modes")
    if "modes" in meta:
        if (not isinstance(modes, list) or not modes
                or not all(isinstance(m, str) for m in modes) or len(set(modes)) != len(modes)):
            problems.append("puzzle.json: modes must be a non-empty list of distinct strings")
        else:
            for m in modes:
                if m not in MODES:
                    problems.append(f"puzzle.json: unknown mode {m!r} (one of {', '.join(MODES)})")
    if "time_limit_seconds" in meta:
        limit = meta["time_limit_seconds"]
        if not _is_int(limit) or not 1 <= limit <= MAX_TIME_LIMIT:
            problems.append(f"puzzle.json: time_limit_seconds must be an integer from 1 to "
                            f"{MAX_TIME_LIMIT}")
    return problems


def _bad_chars(text):
    """Characters outside printable ASCII and newline, as a short description, or None."""
    for i, ch in enumerate(text):
        if ch != "\n" and not " " <= ch <= "~":
            return f"character {ch!r} at offset {i}"
    return None


def check_cases(doc, modes=()):
    """cases.json: shape, text rules and counts. Returns (problems, cases or None)."""
    if not isinstance(doc, dict) or set(doc) != {"cases"} or not isinstance(doc["cases"], list):
        return ['cases.json: must be an object with the single key "cases" holding a list'], None
    problems = []
    cases = doc["cases"]
    names = set()
    for i, case in enumerate(cases):
        where = f"cases.json: case {i + 1}"
        if not isinstance(case, dict):
            problems.append(f"{where}: must be an object")
            continue
        if set(case) != CASE_KEYS:
            missing = sorted(CASE_KEYS - set(case))
            extra = sorted(set(case) - CASE_KEYS)
            problems.append(f"{where}: keys must be exactly name, public, input, output"
                            + (f" (missing {', '.join(missing)})" if missing else "")
                            + (f" (unknown {', '.join(extra)})" if extra else ""))
            continue
        name, text_in, text_out = case["name"], case["input"], case["output"]
        if (not isinstance(name, str) or not 1 <= len(name) <= 60
                or any(not " " <= ch <= "~" for ch in name)):
            problems.append(f"{where}: name must be 1-60 printable ASCII characters")
        elif name in names:
            problems.append(f"{where}: duplicate name {name!r}")
        else:
            names.add(name)
            where = f"cases.json: case {name!r}"
        if not isinstance(case["public"], bool):
            problems.append(f"{where}: public must be true or false")
        for key, text in (("input", text_in), ("output", text_out)):
            if not isinstance(text, str):
                problems.append(f"{where}: {key} must be a string")
                continue
            bad = _bad_chars(text)
            if bad:
                problems.append(f"{where}: {key} has {bad} (printable ASCII and \\n only)")
            if not 1 <= len(text.encode()) <= MAX_TEXT_BYTES:
                problems.append(f"{where}: {key} must be 1-{MAX_TEXT_BYTES} bytes")
        if isinstance(text_in, str) and text_in:
            if not text_in.endswith("\n"):
                problems.append(f"{where}: input must end with a newline")
            if any(line.endswith(" ") for line in text_in.split("\n")):
                problems.append(f"{where}: input has a line ending with a space")
        if isinstance(text_out, str) and text_out:
            if not normalize_output(text_out):
                problems.append(f"{where}: output is empty")
            elif text_out != normalize_output(text_out) + "\n":
                problems.append(f"{where}: output must be stored normalized (no trailing spaces, "
                                "no trailing blank lines, one final newline)")
    public = sum(1 for c in cases if isinstance(c, dict) and c.get("public") is True)
    hidden = sum(1 for c in cases if isinstance(c, dict) and c.get("public") is False)
    if "reverse" in modes and public != 3:
        problems.append(f"cases.json: a reverse puzzle needs exactly 3 public cases, has {public}")
    elif not 2 <= public <= 3:
        problems.append(f"cases.json: needs 2 or 3 public cases, has {public}")
    if hidden < MIN_HIDDEN:
        problems.append(f"cases.json: needs at least {MIN_HIDDEN} hidden cases, has {hidden}")
    if len(cases) > MAX_CASES:
        problems.append(f"cases.json: at most {MAX_CASES} cases, has {len(cases)}")
    return problems, cases


def parse_statement(text):
    """Splits statement.md into sections. Returns (problems, {name: [lines]})."""
    problems = []
    sections = {}
    order = []
    current = None
    fence = None
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if fence is not None:
            if stripped == fence:
                fence = None
        elif stripped.startswith("```"):
            fence = "`" * (len(stripped) - len(stripped.lstrip("`")))
        elif re.match(r"^#{1,3}(\s|$)", line):
            m = re.match(r"^### (\S.*?)\s*$", line)
            if not m or m.group(1) not in SECTIONS:
                problems.append(f"statement.md: line {number}: unexpected heading {line.strip()!r} "
                                f"(only ### {', ### '.join(SECTIONS)})")
                continue
            current = m.group(1)
            if current in sections:
                problems.append(f"statement.md: section ### {current} appears twice")
            order.append(current)
            sections[current] = []
            continue
        if current is None:
            if stripped:
                problems.append(f"statement.md: line {number}: text before ### Goal")
        else:
            sections[current].append(line)
    if fence is not None:
        problems.append("statement.md: a code fence is not closed")
    for name in SECTIONS:
        if name not in sections:
            problems.append(f"statement.md: missing section ### {name}")
        elif not "".join(sections[name]).strip():
            problems.append(f"statement.md: section ### {name} is empty")
    if not problems and order != list(SECTIONS):
        problems.append(f"statement.md: sections must be in the order {', '.join(SECTIONS)}")
    return problems, sections


def example_blocks(lines):
    """The fenced code blocks of a section, each as its list of lines."""
    blocks, block, fence = [], None, None
    for line in lines:
        stripped = line.strip()
        if fence is None:
            if stripped.startswith("```"):
                fence = "`" * (len(stripped) - len(stripped.lstrip("`")))
                block = []
        elif stripped == fence:
            blocks.append(block)
            fence = None
        else:
            block.append(line)
    return blocks


def check_statement(text, cases):
    """statement.md: sections, and the Example equal to the first public case."""
    problems, sections = parse_statement(text)
    if "Example" not in sections:
        return problems
    blocks = example_blocks(sections["Example"])
    if len(blocks) != 2:
        problems.append(f"statement.md: ### Example must hold exactly 2 code blocks (input, "
                        f"output), has {len(blocks)}")
        return problems
    first = next((c for c in cases or [] if isinstance(c, dict) and c.get("public") is True
                  and isinstance(c.get("input"), str) and isinstance(c.get("output"), str)), None)
    if first is None:
        return problems
    shown_in = "\n".join(blocks[0]) + "\n"
    if shown_in != first["input"]:
        problems.append(f"statement.md: the Example input differs from the first public case "
                        f"{first.get('name')!r}: shows {shown_in!r}, case has {first['input']!r}")
    shown_out = "\n".join(blocks[1])
    if not outputs_match(shown_out, first["output"]):
        problems.append(f"statement.md: the Example output differs from the first public case "
                        f"{first.get('name')!r}: shows {shown_out!r}, case has "
                        f"{first['output']!r}")
    return problems


def check_sources(folder):
    """Source rules the docs state: C++ standard headers only, node reading fd 0."""
    problems = []
    for name in ("solution.py", "solution.cpp", "solution.js"):
        path = folder / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if not data.strip():
            problems.append(f"{name}: is empty")
        if len(data) > MAX_SOURCE_BYTES:
            problems.append(f"{name}: larger than {MAX_SOURCE_BYTES} bytes")
    cpp = folder / "solution.cpp"
    if cpp.is_file():
        for number, line in enumerate(cpp.read_text(errors="replace").split("\n"), start=1):
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            target = m.group(1).strip()
            hm = re.match(r"^<([a-z_]+)>", target)
            if not hm or hm.group(1) not in CPP_STD_HEADERS:
                problems.append(f"solution.cpp: line {number}: {target} is not a C++17 "
                                "standard library header")
    js = folder / "solution.js"
    if js.is_file() and "readFileSync(0" not in js.read_text(errors="replace"):
        problems.append("solution.js: must read stdin with require('fs').readFileSync(0, 'utf8')")
    return problems


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


def _load_json(path, problems):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        problems.append(f"{path.name}: cannot be read as JSON: {e}")
        return None


def check_puzzle(folder, tools=None, run=True):
    """Checks one puzzle folder; runs its solutions too when `run` (and the cases loaded)."""
    folder = Path(folder)
    report = PuzzleReport(folder.name)
    entries = sorted(p.name for p in folder.iterdir())
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            report.problems.append(f"{name}: missing")
    for name in entries:
        if name not in REQUIRED_FILES:
            report.problems.append(f"{name}: unexpected file (allowed: {', '.join(REQUIRED_FILES)})")
    meta = None
    if (folder / "puzzle.json").is_file():
        meta = _load_json(folder / "puzzle.json", report.problems)
        if meta is not None:
            report.problems += check_meta(meta, folder.name)
            if isinstance(meta, dict):
                report.meta = meta
    modes = meta.get("modes") if isinstance(meta, dict) and isinstance(meta.get("modes"), list) \
        else []
    cases = None
    if (folder / "cases.json").is_file():
        doc = _load_json(folder / "cases.json", report.problems)
        if doc is not None:
            case_problems, cases = check_cases(doc, modes)
            report.problems += case_problems
    if (folder / "statement.md").is_file():
        try:
            text = (folder / "statement.md").read_text(encoding="utf-8")
            report.problems += check_statement(text, cases)
        except UnicodeDecodeError:
            report.problems.append("statement.md: not UTF-8")
    report.problems += check_sources(folder)
    runnable = [c for c in cases or []
                if isinstance(c, dict) and set(c) == CASE_KEYS
                and isinstance(c["input"], str) and isinstance(c["output"], str)]
    report.case_count = len(runnable)
    cpu_limit = DEFAULT_TIME_LIMIT
    if isinstance(meta, dict) and _is_int(meta.get("time_limit_seconds")) and \
            1 <= meta["time_limit_seconds"] <= MAX_TIME_LIMIT:
        cpu_limit = meta["time_limit_seconds"]
    for lang, file in (("py", "solution.py"), ("cpp", "solution.cpp"), ("js", "solution.js")):
        if not (folder / file).is_file():
            report.langs[lang] = LangReport("FAIL", [f"{lang}: {file} missing"])
    if run and runnable and not report.langs:
        report.langs = run_solutions(folder, runnable, cpu_limit, tools)
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
