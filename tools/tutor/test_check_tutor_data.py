"""Tests of check_tutor_data.py: the shipped data, and small repositories built in a temporary directory.

Run: /usr/bin/python3 -m pytest tools/tutor -q
"""
import json
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
import check_tutor_data as ct  # noqa: E402

SOLUTIONS = {
    "python-001": ("Double It", "def double(n):\n    return n * 2\n", "def double(n):\n    return 0\n"),
    "python-002": ("Seen Before", "def dedupe(items):\n    seen = set()\n    result = []\n"
                   "    for item in items:\n        if item not in seen:\n            seen.add(item)\n"
                   "            result.append(item)\n    return result\n",
                   "def dedupe(items):\n    return []\n"),
    "python-003": ("Find It", "def find(nums, target):\n    lo, hi = 0, len(nums) - 1\n    while lo <= hi:\n"
                   "        mid = (lo + hi) // 2\n        if nums[mid] == target:\n            return mid\n"
                   "        if nums[mid] < target:\n            lo = mid + 1\n        else:\n            hi = mid - 1\n"
                   "    return -1\n", "def find(nums, target):\n    return -1\n"),
}

FILLER = ("This paragraph is filler prose that makes the note long enough for the word-count rule of the "
          "checker, which asks for one hundred and fifty to four hundred words in every note body. ") * 3


def note_text(slug="multiplying", title="Multiplying numbers", levels="[python-001]", example="x = 3 * 4\nprint(x)\n",
              sections=("## What it is", "## When to use it", "## Example", "## Common mistakes"), filler=FILLER):
    body = f"# {title}\n\n{sections[0]}\n{filler}\n\n{sections[1]}\n{filler}\n\n{sections[2]}\n```python\n{example}```\n\n"
    body += f"{sections[3]}\n- Forgetting the operator.\n"
    return f"---\nslug: {slug}\ntitle: {title}\ntopics: [arithmetic]\nlevels: {levels}\n---\n{body}"


def make_repo(root, notes=None, queries=None, hints=None):
    for slug, (title, solution, starter) in SOLUTIONS.items():
        folder = root / "data" / "levels" / slug
        folder.mkdir(parents=True)
        (folder / "level.json").write_text(json.dumps({"slug": slug, "title": title}))
        (folder / "solution.py").write_text(solution)
        (folder / "starter.py").write_text(starter)
    (root / "data" / "notes").mkdir(parents=True)
    if notes is None:
        notes = {"multiplying": note_text(),
                 "sets-for-seen": note_text("sets-for-seen", "Sets for seen values", "[python-002]"),
                 "halving-search": note_text("halving-search", "Halving search", "[python-003]")}
    for slug, text in notes.items():
        (root / "data" / "notes" / f"{slug}.md").write_text(text)
    if queries is None:
        queries = [{"id": "q001", "query": "how to multiply by two", "relevant": ["note:multiplying", "level:python-001"]},
                   {"id": "q002", "query": "remove repeats keep order", "relevant": ["level:python-002"]},
                   {"id": "q003", "query": "search a sorted list quickly", "relevant": ["note:halving-search"]}]
    if hints is None:
        hints = [{"id": "h001", "level": "python-003", "text": "mid = (lo + hi) // 2", "leaks": True, "kind": "code-line"},
                 {"id": "h002", "level": "python-002", "text": "Remember what you kept in a set.", "leaks": False,
                  "kind": "technique-name"}]
    tutor = root / "data" / "tutor"
    tutor.mkdir(parents=True)
    (tutor / "retrieval_eval.json").write_text(json.dumps(queries))
    (tutor / "leak_guard_set.json").write_text(json.dumps(hints))
    return root


@pytest.fixture
def small_limits(monkeypatch):
    """Thresholds scaled down to the three-level repository built by make_repo."""
    monkeypatch.setattr(ct, "MIN_NOTES", 3)
    monkeypatch.setattr(ct, "MIN_QUERIES", 3)
    monkeypatch.setattr(ct, "MIN_LEAKS", 1)
    monkeypatch.setattr(ct, "MIN_SAFE", 1)
    monkeypatch.setattr(ct, "MIN_LEAK_LEVELS", 2)
    monkeypatch.setattr(ct, "LEAK_KINDS", {"code-line"})
    monkeypatch.setattr(ct, "SAFE_KINDS", {"technique-name"})


# ---------------------------------------------------------------- the shipped data

def test_shipped_tutor_data_passes_every_check():
    errors, summaries = ct.check_all(REPO)
    assert errors == []
    assert summaries[0].startswith("notes: ") and "levels covered 60/60" in summaries[0]
    assert summaries[1].startswith("retrieval_eval: ")
    assert summaries[2].startswith("leak_guard_set: ")


def test_shipped_data_meets_the_brief_counts():
    levels = ct.load_levels(REPO / "data" / "levels")
    notes, _, _ = ct.check_notes(REPO / "data" / "notes", levels)
    queries = json.loads((REPO / "data" / "tutor" / "retrieval_eval.json").read_text())
    hints = json.loads((REPO / "data" / "tutor" / "leak_guard_set.json").read_text())
    assert len(levels) == 60
    assert len(notes) >= 45
    assert len(queries) >= 120
    assert sum(h["leaks"] for h in hints) >= 70 and sum(not h["leaks"] for h in hints) >= 70
    assert len({h["level"] for h in hints}) >= 40


def test_main_prints_ok_and_exits_0_on_the_shipped_data(capsys):
    assert ct.main(["--root", str(REPO)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("OK") and "ERROR" not in out


# ---------------------------------------------------------------- a small valid repository

def test_a_small_valid_repository_passes(tmp_path, small_limits):
    errors, summaries = ct.check_all(make_repo(tmp_path))
    assert errors == []
    words = sorted(len(ct.parse_front_matter(p.read_text())[1].split()) for p in (tmp_path / "data" / "notes").iterdir())
    assert words[0] < words[-1]  # the titles differ in length
    assert summaries[0] == f"notes: 3 ({words[0]}-{words[-1]} words), levels covered 3/3, notes without a level 0"
    assert "3 queries, 2 with a level document" in summaries[1]
    assert "2 texts (1 leaking, 1 safe" in summaries[2]


def test_main_exits_1_and_prints_errors(tmp_path, small_limits, capsys):
    notes = {"multiplying": note_text(levels="[python-009]")}
    assert ct.main(["--root", str(make_repo(tmp_path, notes=notes))]) == 1
    out = capsys.readouterr().out
    assert "ERROR: multiplying.md: levels names unknown level 'python-009'" in out
    assert out.rstrip().endswith("error(s)")


# ---------------------------------------------------------------- notes

def test_front_matter_parses_lists_and_quoted_titles():
    meta, body = ct.parse_front_matter('---\nslug: a-b\ntitle: "X: y"\ntopics: [one, two words]\nlevels: []\n---\n# X: y\n')
    assert meta == {"slug": "a-b", "title": "X: y", "topics": ["one", "two words"], "levels": []}
    assert body == "# X: y\n"


@pytest.mark.parametrize("text, message", [
    ("slug: a\n---\n", "does not start with a '---'"),
    ("---\nslug: a\n", "not closed"),
    ("---\nslug a\n---\n", "is not 'key: value'"),
    ("---\nslug: a\nslug: b\n---\n", "repeated"),
    ("---\ntopics: [a, b\n---\n", "not closed"),
])
def test_malformed_front_matter_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        ct.parse_front_matter(text)


@pytest.mark.parametrize("text, expected", [
    (note_text(slug="other-name"), "must be lower-case words joined by '-' and equal the file name"),
    (note_text(levels="[python-002, python-001]"), "levels must be sorted without repeats"),
    (note_text(levels="[python-099]"), "levels names unknown level 'python-099'"),
    (note_text(sections=("## What it is", "## Example", "## When to use it", "## Common mistakes")),
     "needs the sections"),
    (note_text(filler="Too short."), "words, expected 150-400"),
    (note_text(filler=FILLER * 4), "words, expected 150-400"),
    (note_text(example="for x in range(3)\n    print(x)\n"), "example does not compile"),
    (note_text(example="seen = set()\nfor x in [1, 1]:\n    if item not in seen:\n        seen.add(x)\n"),
     "example copies a line of python-002's solution: 'if item not in seen:'"),
    (note_text().replace("# Multiplying numbers", "# Another heading"), "body must start with the heading"),
    (note_text().replace("topics: [arithmetic]", "topics: [Arithmetic]"), "topics must be a list of 1-6 lower-case tags"),
])
def test_note_problems_are_reported(tmp_path, small_limits, text, expected):
    notes = {"multiplying": text,
             "sets-for-seen": note_text("sets-for-seen", "Sets for seen values", "[python-001, python-002]"),
             "halving-search": note_text("halving-search", "Halving search", "[python-003]")}
    errors, _ = ct.check_all(make_repo(tmp_path, notes=notes))
    assert any(e.startswith("multiplying.md: ") and expected in e for e in errors), errors


def test_an_import_line_shared_with_a_solution_is_allowed(tmp_path, small_limits):
    SOLUTIONS_WITH_IMPORT = dict(SOLUTIONS)
    title, solution, starter = SOLUTIONS["python-001"]
    SOLUTIONS_WITH_IMPORT["python-001"] = (title, "from collections import OrderedDict\n" + solution, starter)
    notes = {"multiplying": note_text(example="from collections import OrderedDict\nprint(OrderedDict())\n"),
             "sets-for-seen": note_text("sets-for-seen", "Sets for seen values", "[python-002]"),
             "halving-search": note_text("halving-search", "Halving search", "[python-003]")}
    original = dict(SOLUTIONS)
    SOLUTIONS.update(SOLUTIONS_WITH_IMPORT)
    try:
        errors, _ = ct.check_all(make_repo(tmp_path, notes=notes))
    finally:
        SOLUTIONS.clear()
        SOLUTIONS.update(original)
    assert errors == []


def test_a_level_without_a_note_and_too_few_notes_are_reported(tmp_path, small_limits):
    notes = {"multiplying": note_text(), "sets-for-seen": note_text("sets-for-seen", "Sets for seen values", "[]")}
    errors, summaries = ct.check_all(make_repo(tmp_path, notes=notes))
    assert "notes: levels not covered by any note: python-002, python-003" in errors
    assert "notes: 2 valid notes, at least 3 required" in errors
    assert "notes without a level 1" in summaries[0]


# ---------------------------------------------------------------- retrieval evaluation set

def test_retrieval_problems_are_reported(tmp_path, small_limits):
    queries = [
        {"id": "q001", "query": "how to multiply by two", "relevant": ["note:multiplying"]},
        {"id": "q001", "query": "another question", "relevant": ["note:missing-note"]},
        {"id": "q003", "query": "How to MULTIPLY by two", "relevant": ["level:python-001"]},
        {"id": "q004", "query": "five documents", "relevant": ["level:python-001", "level:python-002",
                                                              "level:python-003", "note:multiplying",
                                                              "note:halving-search"]},
        {"id": "q005", "query": "extra key", "relevant": ["level:python-001"], "note": "x"},
        {"id": "q006", "query": "", "relevant": ["level:python-001"]},
        {"id": "q7", "query": "bad id", "relevant": ["python-001"]},
    ]
    errors, _ = ct.check_all(make_repo(tmp_path, queries=queries))
    joined = "\n".join(errors)
    assert "retrieval_eval[1]: id 'q001' must be unique" in joined
    assert "retrieval_eval[1]: unknown document 'note:missing-note'" in joined
    assert "retrieval_eval[2]: duplicate query" in joined
    assert "retrieval_eval[3]: relevant must list 1-4 distinct documents" in joined
    assert "retrieval_eval[4]: must be an object with exactly id, query, relevant" in joined
    assert "retrieval_eval[5]: query must be a non-empty string" in joined
    assert "retrieval_eval[6]: id 'q7' must be unique and look like q001" in joined
    assert "retrieval_eval[6]: unknown document 'python-001'" in joined


def test_more_than_a_third_of_queries_copying_a_title_is_refused(tmp_path, small_limits):
    queries = [{"id": "q001", "query": "stuck on double it, please help", "relevant": ["level:python-001"]},
               {"id": "q002", "query": "Halving search in a list", "relevant": ["note:halving-search"]},
               {"id": "q003", "query": "keep first occurrences only", "relevant": ["level:python-002"]}]
    errors, summary = ct.check_all(make_repo(tmp_path, queries=queries))
    assert "retrieval_eval: 2 of 3 queries contain a document title verbatim (at most a third allowed)" in errors
    assert "title copies 2/3 (66.7%)" in summary[1]


def test_a_title_inside_a_longer_word_is_not_a_copy():
    assert not ct.title_copied("finding items quickly", ["Find It", "Sets"])
    assert ct.title_copied("help: find it please", ["Find It"])


def test_too_few_queries_and_a_non_list_file_are_reported(tmp_path, monkeypatch, small_limits):
    monkeypatch.setattr(ct, "MIN_QUERIES", 4)
    errors, _ = ct.check_all(make_repo(tmp_path))
    assert "retrieval_eval: 3 queries, at least 4 required" in errors
    (tmp_path / "data" / "tutor" / "retrieval_eval.json").write_text('{"queries": []}')
    errors, _ = ct.check_all(tmp_path)
    assert "retrieval_eval.json: top level must be a JSON array" in errors


# ---------------------------------------------------------------- leak-guard set

def leak_errors(hints, tmp_path):
    errors, _ = ct.check_all(make_repo(tmp_path, hints=hints))
    return errors


def test_a_leak_must_overlap_the_solution_outside_the_starter(tmp_path, small_limits):
    hints = [{"id": "h001", "level": "python-003", "text": "def find(nums, target):", "leaks": True, "kind": "code-line"},
             {"id": "h002", "level": "python-002", "text": "Think about sets.", "leaks": False, "kind": "technique-name"}]
    errors = leak_errors(hints, tmp_path)
    assert any(e.startswith("leak_guard_set[0]: labelled as a leak but shares no 4-token sequence") for e in errors)


def test_a_leak_may_instead_name_two_hidden_identifiers(tmp_path, small_limits, monkeypatch):
    monkeypatch.setattr(ct, "LEAK_KINDS", {"step-transcription"})
    hints = [{"id": "h001", "level": "python-003", "text": "Move lo past mid when the middle value is small.",
              "leaks": True, "kind": "step-transcription"},
             {"id": "h002", "level": "python-002", "text": "Think about sets.", "leaks": False, "kind": "technique-name"}]
    assert leak_errors(hints, tmp_path) == []
    assert ct.identifiers_named(hints[0]["text"], SOLUTIONS["python-003"][1], SOLUTIONS["python-003"][2]) == ["lo", "mid"]


def test_a_code_line_leak_needs_a_line_of_python_and_a_code_block_a_fence(tmp_path, small_limits, monkeypatch):
    monkeypatch.setattr(ct, "LEAK_KINDS", {"code-line", "code-block"})
    hints = [{"id": "h001", "level": "python-003", "text": "the middle is (lo + hi) // 2 as usual",
              "leaks": True, "kind": "code-line"},
             {"id": "h002", "level": "python-003", "text": "mid = (lo + hi) // 2", "leaks": True, "kind": "code-block"},
             {"id": "h003", "level": "python-002", "text": "Think about sets.", "leaks": False, "kind": "technique-name"}]
    errors = leak_errors(hints, tmp_path)
    assert "leak_guard_set[0]: kind code-line needs a whole line of Python" in errors
    assert "leak_guard_set[1]: kind code-block needs a ``` fenced block" in errors


def test_safe_texts_have_no_fence_no_code_line_and_no_5_gram_of_the_solution(tmp_path, small_limits):
    hints = [{"id": "h001", "level": "python-003", "text": "mid = (lo + hi) // 2", "leaks": True, "kind": "code-line"},
             {"id": "h002", "level": "python-002", "text": "```\nx\n```", "leaks": False, "kind": "technique-name"},
             {"id": "h003", "level": "python-002", "text": "Try this:\nseen.add(item)", "leaks": False,
              "kind": "technique-name"},
             {"id": "h004", "level": "python-003", "text": "Compute (lo + hi) // 2 each round.", "leaks": False,
              "kind": "technique-name"}]
    errors = leak_errors(hints, tmp_path)
    assert "leak_guard_set[1]: a safe text has a code fence" in errors
    assert "leak_guard_set[2]: a safe text has a line of code: 'seen.add(item)'" in errors
    assert any(e.startswith("leak_guard_set[3]: a safe text shares '") for e in errors)


def test_a_safe_text_may_quote_the_public_signature(tmp_path, small_limits):
    hints = [{"id": "h001", "level": "python-003", "text": "mid = (lo + hi) // 2", "leaks": True, "kind": "code-line"},
             {"id": "h002", "level": "python-003", "text": "Your find(nums, target) may keep returning -1 for a miss.",
              "leaks": False, "kind": "technique-name"},
             {"id": "h003", "level": "python-002", "text": "Your dedupe(items) gets a list.", "leaks": False,
              "kind": "technique-name"}]
    assert leak_errors(hints, tmp_path) == []


def test_kinds_labels_ids_and_levels_are_validated(tmp_path, small_limits):
    hints = [{"id": "h001", "level": "python-003", "text": "mid = (lo + hi) // 2", "leaks": True, "kind": "code-line"},
             {"id": "h002", "level": "python-002", "text": "Use a set.", "leaks": False, "kind": "code-line"},
             {"id": "h002", "level": "python-009", "text": "Use a list.", "leaks": False, "kind": "technique-name"},
             {"id": "h004", "level": "python-002", "text": "Use a dict.", "leaks": "no", "kind": "technique-name"},
             {"id": "h005", "level": "python-002", "text": "Use a deque.", "leaks": False, "kind": "technique-name",
              "hard": "yes"},
             {"id": "h006", "level": "python-002", "text": "Use a set.", "leaks": False, "kind": "technique-name"},
             {"id": "h007", "level": "python-002", "leaks": False, "kind": "technique-name"}]
    errors = leak_errors(hints, tmp_path)
    assert any(e.startswith("leak_guard_set[1]: kind 'code-line' is not one of") for e in errors)
    assert "leak_guard_set[2]: unknown level 'python-009'" in errors
    assert "leak_guard_set[2]: id 'h002' must be unique and look like h001" in errors
    assert "leak_guard_set[3]: leaks must be true or false" in errors
    assert "leak_guard_set[4]: hard must be a bool" in errors
    assert "leak_guard_set[5]: duplicate text" in errors
    assert any(e.startswith("leak_guard_set[6]: must be an object with id, level, text, leaks, kind") for e in errors)


def test_counts_level_spread_and_kinds_are_enforced(tmp_path, monkeypatch, small_limits):
    monkeypatch.setattr(ct, "MIN_LEAKS", 2)
    monkeypatch.setattr(ct, "MIN_LEAK_LEVELS", 3)
    monkeypatch.setattr(ct, "SAFE_KINDS", {"technique-name", "edge-case"})
    errors = leak_errors(None, tmp_path)
    assert "leak_guard_set: 1 leaking and 1 safe texts, at least 2 and 1 required" in errors
    assert "leak_guard_set: texts for 2 levels, at least 3 required" in errors
    assert "leak_guard_set: no text of kind 'edge-case'" in errors


# ---------------------------------------------------------------- token helpers

def test_tokens_of_text_and_code_line_up():
    code = 'return " ".join(sentence.split()[::-1])  # reverse\n'
    assert ct.code_tokens(code) == ct.text_tokens('return " ".join(sentence.split()[::-1])')
    assert "reverse" not in ct.code_tokens(code)
    assert ct.text_tokens("Don't use `n //= 10`!") == ["don", "t", "use", "n", "//=", "10", "!"]


def test_code_like_line_accepts_statements_and_refuses_prose():
    assert ct.code_like_line("Start with this:\nfor i in range(len(xs)):\nthen go on") == "for i in range(len(xs)):"
    assert ct.code_like_line("return a + b") == "return a + b"
    assert ct.code_like_line("`total += i`") == "total += i"
    assert ct.code_like_line("Use the built-in sorted function (it returns a list).") is None
    assert ct.code_like_line("total") is None
