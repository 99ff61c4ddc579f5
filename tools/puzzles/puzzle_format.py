"""The match puzzle format of docs/puzzles.md: every rule that can be checked without running code.

check_folder(folder) returns the problems of one puzzle folder (and what it could load); the other
functions check one file each. Used by check_puzzles.py, which also runs the solutions.
"""

import json
import re
from pathlib import Path

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


def _load_json(path, problems):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        problems.append(f"{path.name}: cannot be read as JSON: {e}")
        return None



def time_limit(meta):
    """The puzzle's CPU seconds per run: its time_limit_seconds if valid, else the default."""
    if isinstance(meta, dict) and _is_int(meta.get("time_limit_seconds")) and \
            1 <= meta["time_limit_seconds"] <= MAX_TIME_LIMIT:
        return meta["time_limit_seconds"]
    return DEFAULT_TIME_LIMIT


def check_folder(folder):
    """Checks one puzzle folder's format. Returns (problems, meta or None, cases or None)."""
    folder = Path(folder)
    problems = []
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            problems.append(f"{name}: missing")
    for name in sorted(p.name for p in folder.iterdir()):
        if name not in REQUIRED_FILES:
            problems.append(f"{name}: unexpected file (allowed: {', '.join(REQUIRED_FILES)})")
    meta = None
    if (folder / "puzzle.json").is_file():
        meta = _load_json(folder / "puzzle.json", problems)
        if meta is not None:
            problems += check_meta(meta, folder.name)
    modes = meta.get("modes") if isinstance(meta, dict) and isinstance(meta.get("modes"), list) \
        else []
    cases = None
    if (folder / "cases.json").is_file():
        doc = _load_json(folder / "cases.json", problems)
        if doc is not None:
            case_problems, cases = check_cases(doc, modes)
            problems += case_problems
    if (folder / "statement.md").is_file():
        try:
            text = (folder / "statement.md").read_text(encoding="utf-8")
            problems += check_statement(text, cases)
        except UnicodeDecodeError:
            problems.append("statement.md: not UTF-8")
    problems += check_sources(folder)
    return problems, meta, cases
