#!/usr/bin/env python3
"""Authoring checker for campaign level folders (docs/levels.md).

    python3 tools/levels/check_levels.py [DIR_OR_LEVEL ...] [--jobs N] [--survivors]

TRUSTED-AUTHOR TOOLING: this runs the level's solution.py, starter.py and every mutant of the solution
UNSANDBOXED (plain `python3 -I` subprocesses with only an address-space and CPU rlimit). Run it on
levels you wrote or reviewed, never on code from players; the server validates through the judge.

For each level folder: files, level.json, statement.md, cases.json (structure and value encoding),
the reference solution passes every case (exact types, float_tolerance) and the rendered public
test_code, the starter fails a public case, hints leak no code; then every mutant from mutate.py runs
against all cases (2 CPU seconds per mutant run) and one line is printed:  `python-007 mutants 23/24 killed 95.8%`.
Problems are printed as `python-007 ERROR: ...`. Exit 1 if any check fails or any level is below 90 %.
"""
import argparse
import ast
import functools
import json
import math
import multiprocessing
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
MUTATE = HERE / "mutate.py"
MIN_SCORE = 90.0
MUTANT_CPU_SECONDS = 2  # a mutant run using more CPU than this is killed (CPU, not wall time: robust on a busy machine)
RUN_CPU_SECONDS = 10
WALL_TIMEOUT = 60.0  # backstop for runs that sleep instead of computing
SOLUTION_CPU_LIMIT = 1.0
SECTIONS = ["Problem Statement", "Input Format", "Output Format", "Example", "Constraints"]
LEVEL_KEYS = {"slug", "order", "stage", "title", "xp_reward", "target_time_seconds", "time_limit_seconds",
              "topics", "hints"}
TARGET_TIMES = [(4, 120), (8, 150), (14, 180), (18, 210), (22, 240), (25, 270), (28, 300), (32, 330),
                (35, 360), (38, 390), (42, 420), (45, 450), (48, 480), (52, 540), (55, 570), (60, 600)]
INT64 = 2 ** 63
TAGS = {"$int", "$float", "$tuple", "$dict", "$set", "$frozenset"}
TRIVIAL_LINES = re.compile(r"^(else:|try:|finally:|pass|break|continue|return|return (None|True|False|-?[01]|\[\]|\{\}|''|\"\"))$")

# Runs in the child: reads {"source","mode","entry","cases"} on stdin, prints {"load": ..., "results": [...]}.
HARNESS = r'''
import io, json, math, sys, time
payload = json.loads(sys.stdin.read())
real_stdout, sys.stdout, sys.stdin = sys.stdout, io.StringIO(), io.StringIO()
def dec(v):
    if isinstance(v, list): return [dec(x) for x in v]
    if isinstance(v, dict):
        if not any(k.startswith("$") for k in v): return {k: dec(x) for k, x in v.items()}
        (k, x), = v.items()
        if k == "$int": return int(x)
        if k == "$float": return float(x)
        if k == "$tuple": return tuple(dec(y) for y in x)
        if k == "$dict": return {dec(a): dec(b) for a, b in x}
        if k == "$set": return {dec(y) for y in x}
        if k == "$frozenset": return frozenset(dec(y) for y in x)
    return v
def enc(v):
    t = type(v)
    if v is None or t is bool or t is str: return v
    if t is int: return v if -2**63 <= v < 2**63 else {"$int": str(v)}
    if t is float: return v if math.isfinite(v) else {"$float": repr(v)}
    if t is list: return [enc(x) for x in v]
    if t is tuple: return {"$tuple": [enc(x) for x in v]}
    if t is dict: return {"$dict": [[enc(a), enc(b)] for a, b in v.items()]}
    if t is set: return {"$set": [enc(x) for x in v]}
    if t is frozenset: return {"$frozenset": [enc(x) for x in v]}
    return {"$unencodable": t.__name__}
def safe_enc(v):
    try: return enc(v)
    except RecursionError: return {"$unencodable": "recursive"}
out = {"load": None, "results": []}
ns = {"__name__": "solution"}
start = time.process_time()
try:
    exec(compile(payload["source"], "solution.py", "exec"), ns)
except BaseException as e:
    out["load"] = type(e).__name__ + ": " + str(e)[:200]
else:
    for case in payload["cases"]:
        try:
            if payload["mode"] == "function":
                out["results"].append({"value": safe_enc(ns[payload["entry"]](*dec(case)))})
            else:
                obj = ns[payload["entry"]](*dec(case[0][1]))
                values = [None]
                for name, args in case[1:]:
                    try:
                        values.append(safe_enc(getattr(obj, name)(*dec(args))))
                    except Exception as e:
                        values.append({"$raises": type(e).__name__})
                out["results"].append({"value": values})
        except BaseException as e:
            out["results"].append({"error": type(e).__name__ + ": " + str(e)[:200]})
out["cpu"] = time.process_time() - start
real_stdout.write(json.dumps(out))
'''


class LevelError(Exception):
    pass


def limit_child(cpu_seconds):
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def run_python(args, stdin, cpu_seconds):
    """(returncode, stdout, stderr) of `python3 -I args`; returncode None on the wall-clock backstop.

    A run over its CPU limit is ended by SIGXCPU (negative returncode)."""
    try:
        done = subprocess.run([sys.executable, "-I", *args], input=stdin.encode(), capture_output=True,
                              timeout=WALL_TIMEOUT, preexec_fn=functools.partial(limit_child, cpu_seconds))
    except subprocess.TimeoutExpired:
        return None, "", "timeout"
    return done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")


# ---- values -------------------------------------------------------------------------------------

def canon(v, convenience, where):
    """Encoded JSON value -> canonical tagged form (exact types; dicts and sets keep their order)."""
    if v is None:
        return ("none",)
    if type(v) is bool:
        return ("bool", v)
    if type(v) is int:
        if not -INT64 <= v < INT64:
            raise LevelError(f"{where}: integer {v} outside ±2^63 must be written as {{\"$int\": \"...\"}}")
        return ("int", v)
    if type(v) is float:
        return ("float", v)
    if type(v) is str:
        return ("str", v)
    if type(v) is list:
        return ("list", tuple(canon(x, convenience, where) for x in v))
    if type(v) is not dict:
        raise LevelError(f"{where}: cannot decode {v!r}")
    if not any(k.startswith("$") for k in v):
        if not convenience:
            raise LevelError(f"{where}: untagged object {v!r}")
        return ("dict", tuple((("str", k), canon(x, convenience, where)) for k, x in v.items()))
    if len(v) != 1 or next(iter(v)) not in TAGS | ({"$unencodable"} if not convenience else set()):
        raise LevelError(f"{where}: bad tagged value {v!r}")
    (tag, x), = v.items()
    if tag == "$unencodable":
        return ("unencodable", x)
    if tag == "$int":
        if type(x) is not str or not re.fullmatch(r"-?[0-9]+", x):
            raise LevelError(f"{where}: bad $int {x!r}")
        return ("int", int(x))
    if tag == "$float":
        if x not in ("nan", "inf", "-inf"):
            raise LevelError(f"{where}: $float must be nan, inf or -inf, got {x!r}")
        return ("float", float(x))
    if type(x) is not list:
        raise LevelError(f"{where}: {tag} needs an array")
    if tag == "$tuple":
        return ("tuple", tuple(canon(y, convenience, where) for y in x))
    if tag == "$dict":
        if not all(type(p) is list and len(p) == 2 for p in x):
            raise LevelError(f"{where}: $dict needs [key, value] pairs")
        pairs = [(hashable(canon(a, convenience, where), where), canon(b, convenience, where)) for a, b in x]
        if len({repr(k) for k, _ in pairs}) != len(pairs):
            raise LevelError(f"{where}: duplicate $dict key")
        return ("dict", tuple(pairs))
    items = {repr(i): i for i in (hashable(canon(y, convenience, where), where) for y in x)}
    return (tag[1:], tuple(items.values()))


def hashable(c, where):
    if c[0] in ("list", "dict", "set"):
        raise LevelError(f"{where}: unhashable {c[0]} used as a dict key or set element")
    if c[0] in ("tuple",):
        for x in c[1]:
            hashable(x, where)
    return c


def matches(expected, actual, tol):
    if expected[0] == "float" and actual[0] == "float":
        a, b = actual[1], expected[1]
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b or abs(a - b) <= tol * max(1.0, abs(b))
    if expected[0] != actual[0] or len(expected) != len(actual):
        return False
    if expected[0] in ("list", "tuple", "dict", "set", "frozenset"):
        if len(expected[1]) != len(actual[1]):
            return False
        exp, act = expected[1], actual[1]
        if expected[0] != "list" and expected[0] != "tuple":  # order irrelevant: compare sorted
            exp, act = sorted(exp, key=repr), sorted(act, key=repr)
        if expected[0] == "dict":
            return all(matches(ek, ak, tol) and matches(ev, av, tol) for (ek, ev), (ak, av) in zip(exp, act))
        return all(matches(e, a, tol) for e, a in zip(exp, act))
    return expected == actual


def literal(c):
    """Canonical value -> Python literal text (test_code rendering)."""
    kind, v = c[0], c[1] if len(c) > 1 else None
    if kind == "none":
        return "None"
    if kind in ("bool", "int", "str"):
        return repr(v)
    if kind == "float":
        return repr(v) if math.isfinite(v) else f"float('{v!r}')"
    if kind == "list":
        return "[" + ", ".join(map(literal, v)) + "]"
    if kind == "tuple":
        return "(" + ", ".join(map(literal, v)) + ("," if len(v) == 1 else "") + ")"
    if kind == "dict":
        return "{" + ", ".join(f"{literal(k)}: {literal(x)}" for k, x in v) + "}"
    body = ", ".join(map(literal, v))
    if kind == "set":
        return "{" + body + "}" if v else "set()"
    return "frozenset({" + body + "})" if v else "frozenset()"


def render_test_code(spec, cases):
    lines = []
    for case in cases:
        if spec["mode"] == "function":
            call = f"{spec['entry']}({', '.join(map(literal, case['args_c']))})"
            lines.append(f"assert {call} == {literal(case['expected_c'])}")
            continue
        ops, expected = case["ops_c"], case["expected_c"][1]
        lines.append(f"_obj = {spec['entry']}({', '.join(map(literal, ops[0][1]))})")
        for (name, args), exp in zip(ops[1:], expected[1:]):
            call = f"_obj.{name}({', '.join(map(literal, args))})"
            if exp[0] == "raises":
                lines += ["try:", f"    {call}", f"except {exp[1]}:", "    pass", "else:",
                          f"    assert False, 'expected {exp[1]}'"]
            else:
                lines.append(f"assert {call} == {literal(exp)}")
    return "\n".join(lines) + "\n"


# ---- folder checks ------------------------------------------------------------------------------

def read_json(path):
    def bad_constant(name):
        raise LevelError(f"{path.name}: {name} is not JSON; use {{\"$float\": ...}}")
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_constant=bad_constant)
    except json.JSONDecodeError as err:
        raise LevelError(f"{path.name}: invalid JSON: {err}") from None


def target_time(order):
    return next((t for last, t in TARGET_TIMES if order <= last), None)


def check_meta(folder, meta, solution):
    if set(meta) - LEVEL_KEYS or LEVEL_KEYS - {"time_limit_seconds"} - set(meta):
        raise LevelError(f"level.json: keys must be {sorted(LEVEL_KEYS)} (time_limit_seconds optional)")
    slug, order = meta["slug"], meta["order"]
    if slug != folder.name or not re.fullmatch(r"[a-z0-9-]{1,50}", slug):
        raise LevelError(f"level.json: slug {slug!r} must equal the folder name and be 1-50 of a-z0-9-")
    if type(order) is not int or not 1 <= order <= 60 or slug != f"python-{order:03d}":
        raise LevelError(f"level.json: order {order!r} must be 1..60 and match the slug python-NNN")
    wanted = {"stage": (order - 1) // 10 + 1, "xp_reward": 10 * order, "target_time_seconds": target_time(order)}
    for key, value in wanted.items():
        if meta[key] != value or type(meta[key]) is not int:
            raise LevelError(f"level.json: {key} must be {value} for order {order}, got {meta[key]!r}")
    limit = meta.get("time_limit_seconds", 5)
    if type(limit) is not int or not 1 <= limit <= 30:
        raise LevelError("level.json: time_limit_seconds must be an integer 1..30")
    if type(meta["title"]) is not str or not meta["title"].strip() or len(meta["title"]) > 80:
        raise LevelError("level.json: title must be a non-empty string of at most 80 characters")
    topics = meta["topics"]
    if (type(topics) is not list or not 1 <= len(topics) <= 4
            or not all(type(t) is str and re.fullmatch(r"[a-z0-9][a-z0-9 -]*", t) for t in topics)):
        raise LevelError("level.json: topics must be 1-4 lower-case tags")
    hints = meta["hints"]
    if type(hints) is not list or len(hints) != 3 or not all(type(h) is str and h.strip() for h in hints):
        raise LevelError("level.json: hints must be 3 non-empty strings")
    lines = {" ".join(l.split()) for l in solution.splitlines()}
    for n, hint in enumerate(hints, 1):
        if "```" in hint or re.search(r"(^|\n)( {4}|\t)", hint):
            raise LevelError(f"level.json: hint {n} contains a code block")
        flat = " ".join(hint.split())
        for line in lines:
            if len(line) >= 8 and not TRIVIAL_LINES.match(line) and line in flat:
                raise LevelError(f"level.json: hint {n} contains the solution line {line!r}")


def check_statement(text, spec, public):
    headings, in_code = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            headings.append(line.strip())
    if headings != [f"### {s}" for s in SECTIONS]:
        raise LevelError(f"statement.md: headings must be exactly {SECTIONS} in order, got {headings}")
    parts = re.split(r"^### .*$", text, flags=re.M)[1:]
    if not all(p.strip() for p in parts):
        raise LevelError("statement.md: every section must have text")
    signature = f"{spec['entry']}("  # function signature, or the class's constructor call
    if signature not in text:
        raise LevelError(f"statement.md: must show the signature ({signature}...)")
    example = parts[3]
    rendered = render_test_code(spec, public)
    if not any(all(piece in example for piece in calls_of(spec, case)) for case in public):
        raise LevelError("statement.md: the Example must show a public case (its calls and results as "
                         f"Python literals), e.g.:\n{rendered}")


def calls_of(spec, case):
    if spec["mode"] == "function":
        return [f"{spec['entry']}({', '.join(map(literal, case['args_c']))})", literal(case["expected_c"])]
    ops = case["ops_c"]
    return [f"{spec['entry']}({', '.join(map(literal, ops[0][1]))})"] + [
        f".{name}({', '.join(map(literal, args))})" for name, args in ops[1:]]


def load_cases(folder, starter, solution):
    spec = read_json(folder / "cases.json")
    if type(spec) is not dict or set(spec) - {"mode", "entry", "float_tolerance", "cases"}:
        raise LevelError("cases.json: keys are mode, entry, float_tolerance (optional), cases")
    if spec.get("mode") not in ("function", "class"):
        raise LevelError("cases.json: mode must be \"function\" or \"class\"")
    entry = spec.get("entry")
    if type(entry) is not str or not entry.isidentifier():
        raise LevelError("cases.json: entry must be an identifier")
    tol = spec.setdefault("float_tolerance", 0)
    if type(tol) not in (int, float) or type(tol) is bool or tol < 0:
        raise LevelError("cases.json: float_tolerance must be a number >= 0")
    kind = ast.FunctionDef if spec["mode"] == "function" else ast.ClassDef
    for name, source in (("starter.py", starter), ("solution.py", solution)):
        try:
            tree = ast.parse(source)
        except SyntaxError as err:
            raise LevelError(f"{name}: syntax error: {err}") from None
        if not any(isinstance(n, kind) and n.name == entry for n in tree.body):
            raise LevelError(f"{name}: must define {kind.__name__[:-3].lower()} {entry} at top level")
    cases = spec.get("cases")
    if type(cases) is not list:
        raise LevelError("cases.json: cases must be an array")
    for i, case in enumerate(cases):
        where = f"cases.json case {i}"
        key = "args" if spec["mode"] == "function" else "ops"
        if type(case) is not dict or set(case) - {key, "expected", "public", "name"} or \
                {key, "expected"} - set(case):
            raise LevelError(f"{where}: keys are {key}, expected, public (optional), name (optional)")
        if type(case.get("public", False)) is not bool or type(case.get("name", "")) is not str:
            raise LevelError(f"{where}: public must be a boolean and name a string")
        if key == "args":
            case["expected_c"] = canon(case["expected"], True, where)
            if type(case["args"]) is not list:
                raise LevelError(f"{where}: args must be an array")
            case["args_c"] = [canon(a, True, where) for a in case["args"]]
            continue
        ops, expected = case["ops"], case["expected"]
        if (type(ops) is not list or not ops or type(expected) is not list or len(expected) != len(ops)
                or expected[0] is not None or ops[0][:1] != ["__init__"]):
            raise LevelError(f"{where}: ops must start with __init__; expected has one entry per op, first null")
        case["ops_c"] = []
        for op in ops:
            if type(op) is not list or len(op) != 2 or type(op[0]) is not str or not op[0].isidentifier() \
                    or type(op[1]) is not list:
                raise LevelError(f"{where}: each op is [method_name, [args...]]")
            case["ops_c"].append((op[0], [canon(a, True, where) for a in op[1]]))
        exp = [canon_op_result(e, where) for e in expected]
        case["expected_c"] = ("list", tuple(exp))
    public = [c for c in cases if c.get("public")]
    if not 2 <= len(public) <= 4 or len(cases) - len(public) < 8:
        raise LevelError(f"cases.json: need 2-4 public and >= 8 hidden cases, got {len(public)} and "
                         f"{len(cases) - len(public)}")
    return spec, cases, public


def canon_op_result(e, where):
    if type(e) is dict and set(e) == {"$raises"}:
        if type(e["$raises"]) is not str or not e["$raises"].isidentifier():
            raise LevelError(f"{where}: $raises needs an exception class name")
        return ("raises", e["$raises"])
    return canon(e, True, where)


def run_cases(source, spec, cases, cpu_seconds):
    """None when the run timed out or crashed, else (load_error, [canonical result or error str], cpu)."""
    payload = {"source": source, "mode": spec["mode"], "entry": spec["entry"],
               "cases": [c["args"] if spec["mode"] == "function" else c["ops"] for c in cases]}
    code, out, _ = run_python(["-c", HARNESS], json.dumps(payload), cpu_seconds)
    if code != 0:
        return None
    try:
        data = json.loads(out)
        results = [("error", r["error"]) if "error" in r else canon_result(r["value"], spec)
                   for r in data["results"]]
    except (ValueError, KeyError, TypeError, LevelError):
        return None
    return data["load"], results, data["cpu"]


def canon_result(value, spec):
    if spec["mode"] == "function":
        return canon(value, False, "result")
    return ("list", tuple(canon_op_result(v, "result") for v in value))


def failures(run, cases, tol):
    """Indices of cases the run does not pass (all of them when the run failed to load)."""
    if run is None or run[0] is not None or len(run[1]) != len(cases):
        return list(range(len(cases)))
    return [i for i, (case, got) in enumerate(zip(cases, run[1]))
            if got[0] == "error" or not matches(case["expected_c"], got, tol)]


def check_level(folder, survivors=False):
    """(lines to print, ok)."""
    name = folder.name
    try:
        missing = [f for f in ("level.json", "statement.md", "starter.py", "solution.py", "cases.json")
                   if not (folder / f).is_file()]
        if missing:
            raise LevelError(f"missing {', '.join(missing)}")
        old = [f for f in ("tests_public.py", "tests_hidden.py") if (folder / f).exists()]
        if old:
            raise LevelError(f"old-format files present: {', '.join(old)}")
        solution = (folder / "solution.py").read_text(encoding="utf-8")
        starter = (folder / "starter.py").read_text(encoding="utf-8")
        spec, cases, public = load_cases(folder, starter, solution)
        check_meta(folder, read_json(folder / "level.json"), solution)
        check_statement((folder / "statement.md").read_text(encoding="utf-8"), spec, public)
        tol = spec["float_tolerance"]
        run = run_cases(solution, spec, cases, RUN_CPU_SECONDS)
        if run is None or run[0] is not None:
            raise LevelError(f"solution.py does not run: {run and run[0]}")
        bad = failures(run, cases, tol)
        if bad:
            i = bad[0]
            raise LevelError(f"solution.py fails case {i} ({cases[i].get('name', '')}): got "
                             f"{literal_or(run[1][i])}, expected {literal(cases[i]['expected_c'])}")
        if run[2] > SOLUTION_CPU_LIMIT:
            raise LevelError(f"solution.py needs {run[2]:.2f} s CPU for all cases (limit {SOLUTION_CPU_LIMIT})")
        if not set(failures(run_cases(starter, spec, public, RUN_CPU_SECONDS), public, tol)):
            raise LevelError("starter.py passes every public case")
        test_code = render_test_code(spec, public)
        if run_python(["-c", solution + "\n" + test_code], "", RUN_CPU_SECONDS)[0] != 0:
            raise LevelError(f"solution.py fails the rendered test_code:\n{test_code}")
        if run_python(["-c", starter + "\n" + test_code], "", RUN_CPU_SECONDS)[0] == 0:
            raise LevelError("starter.py passes the rendered test_code")
        code, out, err = run_python([str(MUTATE)], solution, 60)
        if code != 0:
            raise LevelError(f"mutate.py failed: {err.strip()}")
        mutants = json.loads(out)
    except LevelError as err:
        return [f"{name} ERROR: {err}"], False
    killed, lines = 0, []
    for m in mutants:
        if failures(run_cases(m["source"], spec, cases, MUTANT_CPU_SECONDS), cases, tol):
            killed += 1
        elif survivors:
            lines.append(f"    survived: line {m['line']} {m['operator']}: {m['description']}")
    score = 100.0 * killed / len(mutants) if mutants else 100.0
    ok = score >= MIN_SCORE
    head = f"{name} mutants {killed}/{len(mutants)} killed {score:.1f}%" + ("" if ok else f" (below {MIN_SCORE:.0f}%)")
    return [head] + lines, ok


def literal_or(result):
    return result[1] if result[0] == "error" else literal(result)


def level_dirs(paths):
    out = []
    for p in map(pathlib.Path, paths):
        if (p / "level.json").exists() or re.fullmatch(r"python-\d{3}", p.name):
            out.append(p)
        else:
            out += sorted(d for d in p.iterdir() if d.is_dir() and not d.name.startswith((".", "_")))
    return out


def _work(args):
    return check_level(*args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["data/levels"], help="levels dir(s) or level folder(s)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (at most 2)")
    parser.add_argument("--survivors", action="store_true", help="list the mutants the cases do not reject")
    args = parser.parse_args()
    folders = level_dirs(args.paths)
    if not folders:
        print("no level folders found", file=sys.stderr)
        return 1
    ok = True
    jobs = max(1, min(2, args.jobs))
    with multiprocessing.Pool(jobs) as pool:
        for lines, good in pool.imap(_work, [(f, args.survivors) for f in folders]):
            print("\n".join(lines), flush=True)
            ok &= good
    orders = [f.name for f in folders]
    if len(set(orders)) != len(orders):
        print("ERROR: duplicate level folders", file=sys.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
