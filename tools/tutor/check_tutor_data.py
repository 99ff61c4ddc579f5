#!/usr/bin/env python3
"""Checker for the AI tutor's data (docs/tutor-corpus.md).

    python3 tools/tutor/check_tutor_data.py [--root REPO]

Validates, against the campaign levels in data/levels/:
  data/notes/<slug>.md             concept notes: front matter, sections, length, examples, level coverage
  data/tutor/retrieval_eval.json   labelled retrieval queries: shape, referenced documents, title copies
  data/tutor/leak_guard_set.json   labelled hint texts: shape, kinds, counts, grounding in solution.py

Prints one summary line per file, then `OK`; problems are printed as `ERROR: ...` and the exit code is 1.
Reads files only; never runs a solution or a note's example (examples are only compiled).
Python 3.11 standard library only.
"""
import argparse
import ast
import builtins
import json
import keyword
import pathlib
import re
import sys
import tokenize
import io

MIN_NOTES = 45
NOTE_WORDS = (150, 400)
NOTE_SECTIONS = ["## What it is", "## When to use it", "## Example", "## Common mistakes"]
FRONT_KEYS = ["slug", "title", "topics", "levels"]
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LEVEL_SLUG = re.compile(r"^python-\d{3}$")
TOPIC = re.compile(r"^[a-z0-9][a-z0-9 .'+-]*$")
MIN_QUERIES = 120
MAX_RELEVANT = 4
MAX_TITLE_COPY_SHARE = 1 / 3
MIN_LEAKS = MIN_SAFE = 70
MIN_LEAK_LEVELS = 40
LEAK_KINDS = {"code-block", "code-line", "inline-expression", "step-transcription", "near-verbatim-prose"}
SAFE_KINDS = {"conceptual-nudge", "technique-name", "edge-case", "guiding-question", "high-level-algorithm"}
# Token n-grams and identifiers are compared with the solution minus starter.py (the public signature):
LEAK_NGRAM = 4   # a leaking text shares a 4-gram with the solution, or names 2 of its hidden identifiers
SAFE_NGRAM = 5   # a safe text shares no 5-gram with the solution
TEXT_TOKEN = re.compile(r"[a-z_][a-z0-9_]*|\d+(?:\.\d+)?|//=?|\*\*=?|[-+*/%<>=!]=|->|[^\s\w\"'`]")
SOLUTION_LINE_MIN = 20
IMPORT_LINE = re.compile(r"^(import \S|from \S+ import )")


# ---------------------------------------------------------------- levels

def load_levels(levels_dir):
    """{slug: {"title", "solution", "starter"}} for every level folder with a level.json."""
    levels = {}
    for meta_path in sorted(pathlib.Path(levels_dir).glob("*/level.json")):
        meta = json.loads(meta_path.read_text())
        files = {name: meta_path.parent / f"{name}.py" for name in ("solution", "starter")}
        levels[meta["slug"]] = {"title": meta["title"]}
        levels[meta["slug"]].update({name: path.read_text() if path.exists() else ""
                                     for name, path in files.items()})
    return levels


# ---------------------------------------------------------------- tokens shared with a solution

def text_tokens(text):
    """Lower-cased code-ish tokens of free text; quotes and backticks act as separators."""
    return TEXT_TOKEN.findall(text.lower())


def code_tokens(source):
    """Tokens of Python source on the same scale as text_tokens (comments dropped, strings opened)."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING:
            try:
                out.extend(text_tokens(str(ast.literal_eval(tok.string))))
            except (ValueError, SyntaxError):
                out.extend(text_tokens(tok.string))
        elif tok.type in (tokenize.NAME, tokenize.NUMBER, tokenize.OP):
            out.extend(text_tokens(tok.string))
    return out


def ngrams(tokens, n):
    """n-grams that contain at least one word or number (pure punctuation runs do not count)."""
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)
            if any(t[0].isalnum() or t[0] == "_" for t in tokens[i:i + n])}


def solution_identifiers(source):
    """Names the source introduces (variables, parameters, helpers, attributes), minus builtins/keywords."""
    tree = ast.parse(source)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.FunctionDef) and node.name != "__init__":
            names.add(node.name)
    skip = set(dir(builtins)) | set(keyword.kwlist) | {"self", "_"}
    return {n.lower() for n in names if len(n) > 1 and n not in skip}


def shared_ngram(text, source, n, public=""):
    """A token n-gram of the text that occurs in source but not in the public code (the starter)."""
    secret = ngrams(code_tokens(source), n) - ngrams(code_tokens(public), n)
    common = ngrams(text_tokens(text), n) & secret
    return " ".join(sorted(common)[0]) if common else None


def identifiers_named(text, source, public=""):
    """Identifiers of source that are not in the public code (signature, method names) named in the text."""
    words = set(re.findall(r"[a-z_][a-z0-9_]*", text.lower()))
    hidden = solution_identifiers(source) - (solution_identifiers(public) if public.strip() else set())
    return sorted(hidden & words)


def code_like_line(text):
    """A whole line of the text that is valid Python with brackets or operators (not one word of prose)."""
    for raw in text.splitlines():
        line = raw.strip().strip("`").strip()
        if not line or not re.search(r"[()\[\]=:+*/<>%-]", line):
            continue
        candidate = line + "\n    pass" if line.endswith(":") else line
        # `return ...` only compiles inside a function
        for source in (candidate, "def _hint():\n" + "\n".join("    " + part for part in candidate.split("\n"))):
            try:
                compile(source, "<hint>", "exec")
            except SyntaxError:
                continue
            return line
    return None


# ---------------------------------------------------------------- notes

def parse_front_matter(text):
    """(meta, body) for a note; raises ValueError with a message on a malformed block."""
    lines = text.split("\n")
    if not lines or lines[0] != "---":
        raise ValueError("does not start with a '---' front-matter line")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise ValueError("front matter is not closed by a '---' line") from None
    meta = {}
    for line in lines[1:end]:
        match = re.fullmatch(r"([a-z]+): (.*)", line)
        if not match:
            raise ValueError(f"front-matter line is not 'key: value': {line!r}")
        key, value = match.groups()
        if key in meta:
            raise ValueError(f"front-matter key {key!r} repeated")
        if value.startswith("["):
            if not value.endswith("]"):
                raise ValueError(f"list for {key!r} is not closed")
            inner = value[1:-1].strip()
            meta[key] = [item.strip() for item in inner.split(",")] if inner else []
        else:
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[key] = value
    return meta, "\n".join(lines[end + 1:])


def note_errors(path, meta, body, level_slugs, solution_lines):
    name = path.name
    errors = []
    if list(meta) != FRONT_KEYS:
        return [f"{name}: front-matter keys must be {FRONT_KEYS} in this order, got {list(meta)}"]
    slug, title, topics, levels = (meta[k] for k in FRONT_KEYS)
    if not isinstance(slug, str) or not SLUG.match(slug) or path.stem != slug:
        errors.append(f"{name}: slug {slug!r} must be lower-case words joined by '-' and equal the file name")
    if not isinstance(title, str) or not title.strip() or len(title) > 80:
        errors.append(f"{name}: title must be a non-empty string of at most 80 characters")
    if not isinstance(topics, list) or not 1 <= len(topics) <= 6 or not all(TOPIC.match(t) for t in topics):
        errors.append(f"{name}: topics must be a list of 1-6 lower-case tags")
    elif len(set(topics)) != len(topics):
        errors.append(f"{name}: topics repeat")
    if not isinstance(levels, list):
        errors.append(f"{name}: levels must be a list")
    else:
        for level in levels:
            if level not in level_slugs:
                errors.append(f"{name}: levels names unknown level {level!r}")
        if levels != sorted(set(levels)):
            errors.append(f"{name}: levels must be sorted without repeats")
    stripped = body.strip("\n").split("\n")
    if not stripped or stripped[0] != f"# {title}":
        errors.append(f"{name}: body must start with the heading '# {title}'")
    positions = [body.find("\n" + s + "\n") for s in NOTE_SECTIONS]
    if -1 in positions or positions != sorted(positions):
        errors.append(f"{name}: needs the sections {NOTE_SECTIONS} in this order")
    else:
        example = body[positions[2]:positions[3]]
        if "```python\n" not in example:
            errors.append(f"{name}: the Example section needs a ```python block")
    words = len(body.split())
    if not NOTE_WORDS[0] <= words <= NOTE_WORDS[1]:
        errors.append(f"{name}: {words} words, expected {NOTE_WORDS[0]}-{NOTE_WORDS[1]}")
    if body.count("```") % 2:
        errors.append(f"{name}: unbalanced ``` fences")
    for block in re.findall(r"```python\n(.*?)```", body, re.S):
        try:
            compile(block, name, "exec")
        except SyntaxError as e:
            errors.append(f"{name}: example does not compile: {e}")
        for line in block.splitlines():
            norm = " ".join(line.split())
            if norm in solution_lines and not IMPORT_LINE.match(norm):
                errors.append(f"{name}: example copies a line of {solution_lines[norm]}'s solution: {norm!r}")
    return errors


def check_notes(notes_dir, levels):
    """(notes {slug: meta}, errors, summary line)."""
    errors = []
    notes = {}
    solution_lines = {}
    for slug, level in levels.items():
        for line in level["solution"].splitlines():
            norm = " ".join(line.split())
            if len(norm) >= SOLUTION_LINE_MIN:
                solution_lines.setdefault(norm, slug)
    word_counts = []
    for path in sorted(pathlib.Path(notes_dir).glob("*.md")):
        try:
            meta, body = parse_front_matter(path.read_text())
        except ValueError as e:
            errors.append(f"{path.name}: {e}")
            continue
        problems = note_errors(path, meta, body, levels, solution_lines)
        errors.extend(problems)
        if not problems:
            notes[meta["slug"]] = meta
            word_counts.append(len(body.split()))
    if len(notes) < MIN_NOTES:
        errors.append(f"notes: {len(notes)} valid notes, at least {MIN_NOTES} required")
    covered = {level for meta in notes.values() for level in meta["levels"]}
    missing = sorted(set(levels) - covered)
    if missing:
        errors.append(f"notes: levels not covered by any note: {', '.join(missing)}")
    span = f"{min(word_counts)}-{max(word_counts)} words" if word_counts else "no valid notes"
    summary = (f"notes: {len(notes)} ({span}), levels covered {len(set(levels) & covered)}/{len(levels)}, "
               f"notes without a level {sum(1 for m in notes.values() if not m['levels'])}")
    return notes, errors, summary


# ---------------------------------------------------------------- JSON sets

def read_json_list(path, errors):
    try:
        data = json.loads(pathlib.Path(path).read_text())
    except (OSError, ValueError) as e:
        errors.append(f"{pathlib.Path(path).name}: cannot read: {e}")
        return []
    if not isinstance(data, list):
        errors.append(f"{pathlib.Path(path).name}: top level must be a JSON array")
        return []
    return data


def title_copied(query, titles):
    lowered = query.lower()
    return any(re.search(r"(?<!\w)" + re.escape(t.lower()) + r"(?!\w)", lowered) for t in titles)


def check_retrieval_eval(path, documents):
    """documents: {"note:slug" or "level:slug": title}. Returns (errors, summary line)."""
    errors = []
    items = read_json_list(path, errors)
    ids, texts, copies, with_level, referenced, n_relevant = set(), set(), 0, 0, set(), 0
    for k, item in enumerate(items):
        where = f"retrieval_eval[{k}]"
        if not isinstance(item, dict) or set(item) != {"id", "query", "relevant"}:
            errors.append(f"{where}: must be an object with exactly id, query, relevant")
            continue
        qid, query, relevant = item["id"], item["query"], item["relevant"]
        if not isinstance(qid, str) or not re.fullmatch(r"q\d{3,}", qid) or qid in ids:
            errors.append(f"{where}: id {qid!r} must be unique and look like q001")
        ids.add(qid)
        if not isinstance(query, str) or not query.strip() or len(query) > 600:
            errors.append(f"{where}: query must be a non-empty string of at most 600 characters")
            continue
        norm = " ".join(query.lower().split())
        if norm in texts:
            errors.append(f"{where}: duplicate query {query!r}")
        texts.add(norm)
        if (not isinstance(relevant, list) or not 1 <= len(relevant) <= MAX_RELEVANT
                or len(set(map(str, relevant))) != len(relevant)):
            errors.append(f"{where}: relevant must list 1-{MAX_RELEVANT} distinct documents")
            continue
        for doc in relevant:
            if doc not in documents:
                errors.append(f"{where}: unknown document {doc!r} (use note:<slug> or level:<slug>)")
        n_relevant += len(relevant)
        referenced.update(relevant)
        with_level += any(str(d).startswith("level:") for d in relevant)
        copies += title_copied(query, documents.values())
    if len(items) < MIN_QUERIES:
        errors.append(f"retrieval_eval: {len(items)} queries, at least {MIN_QUERIES} required")
    if items and copies > len(items) * MAX_TITLE_COPY_SHARE:
        errors.append(f"retrieval_eval: {copies} of {len(items)} queries contain a document title verbatim "
                      f"(at most a third allowed)")
    share = 100.0 * copies / len(items) if items else 0.0
    summary = (f"retrieval_eval: {len(items)} queries, {with_level} with a level document, "
               f"{n_relevant / max(len(items), 1):.2f} relevant per query, {len(referenced)} documents referenced, "
               f"title copies {copies}/{len(items)} ({share:.1f}%)")
    return errors, summary


def leak_item_errors(where, item, levels):
    errors = []
    keys = set(item) if isinstance(item, dict) else set()
    if not {"id", "level", "text", "leaks", "kind"} <= keys or keys - {"id", "level", "text", "leaks", "kind", "hard"}:
        return [f"{where}: must be an object with id, level, text, leaks, kind (and optional hard)"]
    level, text, leaks, kind = item["level"], item["text"], item["leaks"], item["kind"]
    if "hard" in item and not isinstance(item["hard"], bool):
        errors.append(f"{where}: hard must be a bool")
    if level not in levels:
        return errors + [f"{where}: unknown level {level!r}"]
    if not isinstance(text, str) or not text.strip():
        return errors + [f"{where}: text must be a non-empty string"]
    if not isinstance(leaks, bool):
        return errors + [f"{where}: leaks must be true or false"]
    kinds = LEAK_KINDS if leaks else SAFE_KINDS
    if kind not in kinds:
        return errors + [f"{where}: kind {kind!r} is not one of {sorted(kinds)} (leaks={leaks})"]
    source, public = levels[level]["solution"], levels[level]["starter"]
    if leaks:
        gram = shared_ngram(text, source, LEAK_NGRAM, public)
        names = identifiers_named(text, source, public)
        if gram is None and len(names) < 2:
            errors.append(f"{where}: labelled as a leak but shares no {LEAK_NGRAM}-token sequence with "
                          f"{level}'s solution (outside starter.py) and names fewer than 2 of its hidden identifiers")
        if kind == "code-block" and not re.search(r"```.*?```", text, re.S):
            errors.append(f"{where}: kind code-block needs a ``` fenced block")
        if kind == "code-line" and code_like_line(text) is None:
            errors.append(f"{where}: kind code-line needs a whole line of Python")
    else:
        if "```" in text:
            errors.append(f"{where}: a safe text has a code fence")
        line = code_like_line(text)
        if line:
            errors.append(f"{where}: a safe text has a line of code: {line!r}")
        gram = shared_ngram(text, source, SAFE_NGRAM, public)
        if gram:
            errors.append(f"{where}: a safe text shares '{gram}' with {level}'s solution")
    return errors


def check_leak_guard_set(path, levels):
    """Returns (errors, summary line)."""
    errors = []
    items = read_json_list(path, errors)
    ids, texts, counts, used_levels, hard = set(), set(), {True: 0, False: 0}, set(), {True: 0, False: 0}
    kinds = {}
    for k, item in enumerate(items):
        where = f"leak_guard_set[{k}]"
        problems = leak_item_errors(where, item, levels)
        errors.extend(problems)
        if problems and not isinstance(item, dict):
            continue
        hid = item.get("id")
        if not isinstance(hid, str) or not re.fullmatch(r"h\d{3,}", hid) or hid in ids:
            errors.append(f"{where}: id {hid!r} must be unique and look like h001")
        ids.add(hid)
        norm = " ".join(str(item.get("text", "")).split())
        if norm in texts:
            errors.append(f"{where}: duplicate text")
        texts.add(norm)
        if problems:
            continue
        counts[item["leaks"]] += 1
        hard[item["leaks"]] += bool(item.get("hard"))
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
        used_levels.add(item["level"])
    if counts[True] < MIN_LEAKS or counts[False] < MIN_SAFE:
        errors.append(f"leak_guard_set: {counts[True]} leaking and {counts[False]} safe texts, "
                      f"at least {MIN_LEAKS} and {MIN_SAFE} required")
    if len(used_levels) < MIN_LEAK_LEVELS:
        errors.append(f"leak_guard_set: texts for {len(used_levels)} levels, at least {MIN_LEAK_LEVELS} required")
    for kind in sorted(LEAK_KINDS | SAFE_KINDS):
        if not kinds.get(kind):
            errors.append(f"leak_guard_set: no text of kind {kind!r}")
    kind_list = ", ".join(f"{k} {kinds[k]}" for k in sorted(kinds))
    summary = (f"leak_guard_set: {len(items)} texts ({counts[True]} leaking, {counts[False]} safe; hard "
               f"{hard[True]}/{hard[False]}) over {len(used_levels)} levels; kinds: {kind_list}")
    return errors, summary


# ---------------------------------------------------------------- main

def check_all(root):
    """(errors, summary lines) for the repository at root."""
    root = pathlib.Path(root)
    levels = load_levels(root / "data" / "levels")
    errors, summaries = [], []
    if not levels:
        return [f"no levels found under {root / 'data' / 'levels'}"], []
    notes, note_errs, summary = check_notes(root / "data" / "notes", levels)
    errors += note_errs
    summaries.append(summary)
    documents = {f"note:{slug}": meta["title"] for slug, meta in notes.items()}
    documents.update({f"level:{slug}": level["title"] for slug, level in levels.items()})
    eval_errs, summary = check_retrieval_eval(root / "data" / "tutor" / "retrieval_eval.json", documents)
    errors += eval_errs
    summaries.append(summary)
    leak_errs, summary = check_leak_guard_set(root / "data" / "tutor" / "leak_guard_set.json", levels)
    errors += leak_errs
    summaries.append(summary)
    return errors, summaries


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parents[2]),
                        help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    errors, summaries = check_all(args.root)
    for line in summaries:
        print(line)
    for error in errors:
        print(f"ERROR: {error}")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
