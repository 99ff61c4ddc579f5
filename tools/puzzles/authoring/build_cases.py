#!/usr/bin/env python3
"""Authoring aid: regenerates a puzzle's cases.json and its statement's Example from gen/<slug>.py.

Each gen/<slug>.py defines cases() -> [(name, public, input), ...] (seeded, so the output is
reproducible) and may define brute(input) -> expected output text (or None to skip a case): an
independent, usually slow, solution that every output must agree with. The expected outputs are
computed by the puzzle's solution.py; check_puzzles.py then checks the C++ and node solutions
against them.

    /usr/bin/python3 tools/puzzles/authoring/build_cases.py SLUG ...         # write
    /usr/bin/python3 tools/puzzles/authoring/build_cases.py --check [SLUG ...]  # compare only

Runs the puzzle's solution.py unsandboxed (trusted-author tooling, like check_puzzles.py).
"""

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2] / "data" / "puzzles"
sys.path.insert(0, str(HERE.parent))
from check_puzzles import normalize_output  # noqa: E402


def load_generator(slug):
    spec = importlib.util.spec_from_file_location(slug.replace("-", "_"), HERE / "gen" / f"{slug}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def spread(text):
    """In ### Input and ### Constraints every line is its own paragraph (Markdown joins lines)."""
    out, section = [], None
    for line in text.split("\n"):
        if line.startswith("### "):
            section = line[4:]
        elif (section in ("Input", "Constraints") and line.strip() and out and out[-1].strip()
              and not out[-1].startswith("### ")):
            out.append("")
        out.append(line)
    return "\n".join(out)


def build(slug):
    """Returns (cases.json text, statement.md text) for the puzzle, or raises SystemExit."""
    gen = load_generator(slug)
    folder = ROOT / slug
    cases = []
    for name, public, text_in in gen.cases():
        run = subprocess.run([sys.executable, "-I", str(folder / "solution.py")], input=text_in,
                             capture_output=True, text=True, timeout=60)
        if run.returncode != 0:
            sys.exit(f"{slug}: case {name}: solution.py failed: {run.stderr.strip()}")
        text_out = normalize_output(run.stdout) + "\n"
        expected = gen.brute(text_in) if hasattr(gen, "brute") else None
        if expected is not None and normalize_output(expected) + "\n" != text_out:
            sys.exit(f"{slug}: case {name}: brute() gives {expected[:200]!r}, "
                     f"solution.py {text_out[:200]!r}")
        cases.append({"name": name, "public": public, "input": text_in, "output": text_out})
    first = next(c for c in cases if c["public"])
    statement = (folder / "statement.md").read_text(encoding="utf-8")
    head = spread(statement.split("### Example")[0].rstrip("\n"))
    statement = (f"{head}\n\n### Example\nInput\n```text\n{first['input']}```\nOutput\n"
                 f"```text\n{first['output']}```\n")
    return json.dumps({"cases": cases}, indent=2) + "\n", statement


def main():
    parser = argparse.ArgumentParser(description="Regenerate puzzle cases from gen/<slug>.py.")
    parser.add_argument("slugs", nargs="*")
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in data/puzzles instead of writing them")
    args = parser.parse_args()
    slugs = args.slugs or sorted(p.stem for p in (HERE / "gen").glob("*.py"))
    if not args.slugs and not args.check:
        parser.error("name the puzzles to rewrite (or use --check)")
    stale = []
    for slug in slugs:
        cases_text, statement = build(slug)
        folder = ROOT / slug
        if args.check:
            same = ((folder / "cases.json").read_text() == cases_text
                    and (folder / "statement.md").read_text(encoding="utf-8") == statement)
            print(f"{slug}: {'up to date' if same else 'DIFFERS from its generator'}")
            if not same:
                stale.append(slug)
        else:
            (folder / "cases.json").write_text(cases_text)
            (folder / "statement.md").write_text(statement, encoding="utf-8")
            count = cases_text.count('"name"')
            print(f"{slug}: wrote {count} cases")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
