"""The learning campaign over real HTTP against clash-host, on SQLite and PostgreSQL
(client-contract.md sections 4, 5 and 10): the level loop judged in the sandbox, progress enforced on
the server, the legacy {passed: true} switch, queued submissions and their task route, hints,
reviews, certificates (verified offline with the published key), the leaderboard and staff level
edits. Every response any test here receives is scanned for the levels' secrets (reference
solutions and hidden cases)."""
import base64
import datetime
import json
import os
import threading
import time

import pytest

from economy_http import Client, grant_xp, login, profile_xp, staff
from hostutil import REPO, Host

LEVELS = os.path.join(REPO, "data", "levels")
GREET = 'def greet(name):\n    return "Hello, " + name + "!"\n'


def level_files(n):
    folder = os.path.join(LEVELS, f"python-{n:03d}")
    with open(os.path.join(folder, "cases.json")) as f:
        cases = json.load(f)
    with open(os.path.join(folder, "solution.py")) as f:
        solution = f.read()
    with open(os.path.join(folder, "level.json")) as f:
        meta = json.load(f)
    return cases, solution, meta


def secrets():
    """What must never leave the server: each solution as the JSON it would travel in, and each hidden
    case's arguments and expected value when distinctive (not in the level's public text)."""
    out = []
    for n in range(1, 61):
        cases, solution, _ = level_files(n)
        with open(os.path.join(LEVELS, f"python-{n:03d}", "statement.md")) as f:
            public = f.read() + json.dumps([c for c in cases["cases"] if c.get("public")])
        out.append(json.dumps(solution)[1:-1])
        for c in cases["cases"]:
            if c.get("public"):
                continue
            for value in (c.get("args"), c.get("expected")):
                text = json.dumps(value, ensure_ascii=False)
                if len(text) >= 16 and text not in public and text[1:-1] not in public:
                    out.append(text)
    return out


SECRETS = secrets()
SEEN = []  # every response body of this module, scanned at the end of each test


class Scanned(Client):
    def call(self, method, path, body=None, raw=None, headers=None):
        status, hdrs, out = super().call(method, path, body, raw, headers)
        SEEN.append(json.dumps(out, ensure_ascii=False))
        return status, hdrs, out


def scanned(c):
    s = Scanned(c.host)
    s.cookies, s.user = c.cookies, c.user
    return s


def player(host):
    return scanned(login(host))


@pytest.fixture(autouse=True)
def no_secret_in_any_response():
    SEEN.clear()
    yield
    assert SEEN, "the test made no request"
    for body in SEEN:
        for secret in SECRETS:
            assert secret not in body, f"secret {secret[:60]!r} in a response"


def start(storage_url, *extra):
    # Submissions wait for their verdict unless a test says otherwise: with `auto` a busy machine (a
    # worker still preparing its zygote) may answer 202; the queued path has its own test (`queue`).
    judging = () if "--submit-judging" in extra else ("--submit-judging", "wait")
    return Host(storage_url, "--load-levels", "--rate-limits", "false", *judging, *extra)


@pytest.fixture
def host(storage_url):
    h = start(storage_url)
    yield h
    h.stop()


def states(client):
    status, body = client.get("/api/challenges/")
    assert status == 200, body
    return {c["slug"]: c["status"] for c in body}


def test_level_loop_judged_on_the_server(host):
    ada = player(host)
    s = states(ada)
    assert len(s) == 60 and s["python-001"] == "UNLOCKED" and s["python-002"] == "LOCKED"
    # Locked levels cannot be opened, submitted or bought hints for.
    assert ada.get("/api/challenges/python-002/")[0] == 403
    assert ada.post("/api/challenges/python-002/submit/", {"code": "x = 1"})[0] == 403
    assert ada.post("/api/challenges/python-002/purchase_ai_assist/")[0] == 403

    status, level = ada.get("/api/challenges/python-001/")
    assert status == 200 and level["status"] == "UNLOCKED" and level["started_at"] is not None
    first_open = level["started_at"]
    assert ada.get("/api/challenges/python-001/")[1]["started_at"] == first_open

    # A wrong answer on a public case shows that case; the verdict is the server's.
    status, body = ada.post("/api/challenges/python-001/submit/", {"code": "def greet(name):\n    return name\n"})
    assert status == 200, body
    assert body["status"] == "failed" and body["xp_earned"] == 0 and body["error"]
    failure = body["verdict"]["first_failure"]
    assert failure["public"] is True and "Ada" in failure["input"]

    # Right except on a hidden case: the case stays hidden.
    wrong_hidden = 'def greet(name):\n    return "Hello, " + name.strip() + "!"\n'
    status, body = ada.post("/api/challenges/python-001/submit/", {"code": wrong_hidden})
    assert status == 200 and body["status"] == "failed", body
    assert body["verdict"]["first_failure"]["public"] is False
    assert "spaced" not in json.dumps(body)

    # The forged-equality attack is a wrong answer.
    forged = "class S(str):\n    def __eq__(self, o): return True\n    def __hash__(self): return 0\n" \
             "def greet(name):\n    return S('nope')\n"
    status, body = ada.post("/api/challenges/python-001/submit/", {"code": forged})
    assert status == 200 and body["status"] == "failed", body

    status, body = ada.post("/api/challenges/python-001/submit/", {"code": GREET})
    assert status == 200, body
    assert (body["status"], body["xp_earned"], body["stars"], body["next_level_slug"]) == \
        ("completed", 10, 3, "python-002")
    # The level's 10 XP and whatever achievements the first completion unlocked.
    xp = profile_xp(ada)
    assert xp == body["total_xp"] and xp >= 10
    s = states(ada)
    assert s["python-001"] == "COMPLETED" and s["python-002"] == "UNLOCKED" and s["python-003"] == "LOCKED"
    # Again: no more XP.
    status, body = ada.post("/api/challenges/python-001/submit/", {"code": GREET})
    assert (status, body["status"], body["xp_earned"]) == (200, "already_completed", 0)
    assert profile_xp(ada) == xp
    # The completion is on today's contributions (the social heatmap) and the per-day counts.
    today = datetime.datetime.now(datetime.timezone.utc).date()
    status, days = ada.get("/api/challenges/completions/")
    assert status == 200 and days[0]["count"] == 1
    assert abs((datetime.date.fromisoformat(days[0]["date"]) - today).days) <= 1
    status, contributions = ada.get(f"/api/profiles/users/{ada.user['username']}/stats/contributions/")
    assert status == 200 and sum(d["count"] for d in contributions) == 1


def test_double_submit_pays_once(storage_url):
    host = start(storage_url, "--submit-judging", "wait")  # no 202: every click waits for its verdict
    try:
        double_submit(host)
    finally:
        host.stop()


def double_submit(host):
    ada, control = player(host), player(host)
    assert control.post("/api/challenges/python-001/submit/", {"code": GREET})[1]["xp_earned"] == 10
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        ada.post("/api/challenges/python-001/submit/", {"code": GREET}))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(b["status"] for _, b in results) == ["already_completed"] * 3 + ["completed"]
    assert sum(b["xp_earned"] for _, b in results) == 10
    assert profile_xp(ada) == profile_xp(control)


def test_client_verdicts_are_refused_unless_the_operator_trusts_them(storage_url):
    h = start(storage_url)
    try:
        ada = player(h)
        status, body = ada.post("/api/challenges/python-001/submit/?passed=true", {"passed": True})
        assert status == 400 and body["status"] == "failed"
        assert "--trust-client-results" in body["error"] and "code" in body["error"]
        assert states(ada)["python-001"] == "UNLOCKED"
    finally:
        h.stop()
    h = start(storage_url, "--trust-client-results", "true")
    try:
        bob = player(h)
        status, body = bob.post("/api/challenges/python-001/submit/?passed=true", {"passed": True})
        assert status == 200 and body["status"] == "completed" and body["xp_earned"] == 10, body
        status, body = bob.post("/api/challenges/python-002/submit/", {"passed": False})
        assert status == 400 and body == {"status": "failed", "error": "Client-side validation failed."}
        assert states(bob)["python-002"] == "UNLOCKED"
    finally:
        _, _, err = h.stop()
    assert "trust_client_results" in err


def test_queued_submission_is_polled_through_the_task_route(storage_url):
    h = start(storage_url, "--submit-judging", "queue")
    try:
        ada, bob = player(h), player(h)
        status, body = ada.post("/api/challenges/python-001/submit/", {"code": GREET})
        assert status == 202 and body["status"] == "queued" and body["task_id"], body
        path = f"/api/challenges/ai-tasks/{body['task_id']}/status/"
        assert bob.get(path) == (404, {"error": "Task not found"})
        deadline = time.monotonic() + 120
        while True:
            status, task = ada.get(path)
            assert status == 200, task
            if task["status"] in ("success", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert task["status"] == "success", task
        assert task["result"]["status"] == "completed" and task["result"]["xp_earned"] == 10
        assert task["date_done"] is not None
        assert states(ada)["python-002"] == "UNLOCKED"
    finally:
        h.stop()


def test_hints_are_bought_once_per_tier_and_answered_from_the_authored_hints(host):
    root = staff(host)
    ada = player(host)
    _, _, meta = level_files(1)
    status, body = ada.post("/api/challenges/python-001/ai-hint/", {"user_code": "", "hint_level": 1})
    assert status == 402 and body["error"] == "AI Hint Level 1 not purchased for this level."
    status, body = ada.post("/api/challenges/python-001/purchase_ai_assist/")
    assert status == 402 and body["error"] == "Insufficient XP"
    assert (body["required_xp"], body["current_xp"], body["shortage"]) == (10, 0, 10) and body["how_to_earn"]

    grant_xp(root, ada.user["username"], 100)
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        ada.post("/api/challenges/python-001/purchase_ai_assist/"))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = sorted(b["hints_purchased"] for s, b in results if s == 200)
    refused = [b for s, b in results if s == 400]
    assert ok == [1, 2, 3] and len(refused) == 3
    assert all(b["error"] == "Maximum AI hints reached" and b["max_hints"] == 3 for b in refused)
    assert profile_xp(ada) == 100 - 10 - 20 - 30
    for tier in (1, 2, 3):
        status, body = ada.post("/api/challenges/python-001/ai-hint/", {"user_code": "x", "hint_level": tier})
        assert status == 200 and body["hint"] == meta["hints"][tier - 1] and body["hint_level"] == tier, body
    status, body = ada.post("/api/challenges/python-001/ai-hint/", {"hint_level": 4})
    assert status == 400 and body["error"] == "hint_level must be between 1 and 3."
    # Three hints: one star, whatever the speed.
    status, body = ada.post("/api/challenges/python-001/submit/", {"code": GREET})
    assert body["status"] == "completed" and body["stars"] == 1
    assert ada.get("/api/challenges/python-001/")[1]["ai_hints_purchased"] == 3


def test_reviews_are_structured_and_offline_on_every_fallback_path(host):
    ada = player(host)
    for path in ("ai-analyze", "ai_analyze", "analyze"):
        status, body = ada.post(f"/api/challenges/python-001/{path}/", {"user_code": "def greet(name)\n    return 1\n"})
        assert status == 200, body
        assert body["syntax_errors"] and body["syntax_errors"][0]["line"] == 1 and body["review"]
    status, body = ada.post("/api/challenges/python-001/ai-analyze/", {"user_code": "def greet(name):\n    return name\n"})
    assert status == 200 and not body["syntax_errors"], body
    assert [s["passed"] for s in body["samples"]] == [False, False]
    assert "Hello, Ada!" in body["samples"][0]["expected"] and body["source"] == "static"
    assert ada.post("/api/challenges/python-002/ai-analyze/", {"user_code": "x"})[0] == 403


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_certificate_issued_once_signed_and_verified_offline(storage_url):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    h = start(storage_url, "--trust-client-results", "true")
    try:
        ada = player(h)
        status, body = ada.get("/api/certificates/my_certificate/")
        assert (status, body["has_certificate"], body["eligible"], body["required"]) == (200, False, False, 60)
        for n in range(1, 60):
            status, body = ada.post(f"/api/challenges/python-{n:03d}/submit/", {"passed": True})
            assert status == 200 and body["status"] == "completed", (n, body)
        status, body = ada.get("/api/certificates/check_eligibility/")
        assert (body["eligible"], body["completed_challenges"], body["remaining_challenges"]) == (False, 59, 1)
        assert ada.post("/api/challenges/python-060/submit/", {"passed": True})[1]["certificate_issued"] is True
        results = []
        threads = [threading.Thread(target=lambda: results.append(ada.get("/api/certificates/my_certificate/")))
                   for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ids = {b["certificate_id"] for s, b in results if s == 200}
        assert len(ids) == 1, results
        cert = results[0][1]
        assert cert["completion_count"] == 60 and cert["is_valid"] is True
        assert cert["verification_url"].endswith("/verify/" + cert["certificate_id"])

        anon = Scanned(h)
        status, verified = anon.get(f"/api/certificates/verify/{cert['certificate_id']}/")
        assert status == 200 and verified["valid"] is True and verified["certificate"]["username"] == ada.user["username"]
        assert anon.get("/api/certificates/verify/00000000-0000-4000-8000-000000000000/") == \
            (404, {"valid": False, "error": "Certificate not found"})
        assert anon.get("/api/certificates/verify/not-a-uuid/")[0] == 404
        # Offline: the published key verifies the signature over the documented text; a changed
        # field does not.
        status, key = anon.get("/api/certificates/public-key/")
        assert status == 200 and key["algorithm"] == "Ed25519" and key["key_id"] == cert["key_id"]
        public = Ed25519PublicKey.from_public_bytes(b64url(key["public_key"]))
        doc = verified["document"]
        text = "\n".join(["clash-certificate/1", doc["certificate_id"], doc["username"], doc["issued_at"],
                          str(doc["completion_count"]), doc["key_id"]]) + "\n"
        public.verify(b64url(doc["signature"]), text.encode())
        with pytest.raises(Exception):
            public.verify(b64url(doc["signature"]), text.replace(doc["username"], "mallory").encode())
    finally:
        h.stop()


def test_leaderboard_shows_a_new_rank_on_the_next_request(host):
    root = staff(host)
    ada, bob = player(host), player(host)
    grant_xp(root, ada.user["username"], 50)
    status, board = bob.get("/api/challenges/leaderboard/")
    assert status == 200, board
    names = [r["username"] for r in board]
    assert names[0] == ada.user["username"] and root.user["username"] not in names
    assert set(board[0]) == {"rank", "username", "avatar", "completed_levels", "xp"}
    status, body = bob.post("/api/challenges/python-001/submit/", {"code": GREET})
    assert body["status"] == "completed"
    grant_xp(root, bob.user["username"], 45)  # 10 + 45 XP and the first completion's achievements
    status, board = bob.get("/api/challenges/leaderboard/")
    top = board[0]
    assert (top["username"], top["xp"], top["completed_levels"], top["rank"]) == \
        (bob.user["username"], profile_xp(bob), 1, 1)
    assert board[1]["username"] == ada.user["username"] and board[1]["rank"] == 2


LEVEL_BODY = {
    "slug": "double-it", "title": "Double it", "order": 61, "xp_reward": 5, "stage": 1, "topics": ["arithmetic"],
    "description": "### Problem Statement\nReturn twice n.\n\n### Input Format\nAn integer n.\n\n"
                   "### Output Format\nAn integer.\n\n### Example\n```python\n>>> double(2)\n4\n```\n\n"
                   "### Constraints\n- |n| <= 10**9\n",
    "initial_code": "def double(n):\n    pass\n",
    "solution": "def double(n):\n    return n * 2\n",
    "hints": ["Multiply.", "Use the * operator.", "Return n times two."],
    "cases": {"mode": "function", "entry": "double", "cases": [
        {"args": [2], "expected": 4, "public": True}, {"args": [5], "expected": 10, "public": True},
        {"args": [0], "expected": 0}, {"args": [-3], "expected": -6}, {"args": [1], "expected": 2},
        {"args": [7], "expected": 14}, {"args": [100], "expected": 200}, {"args": [-1], "expected": -2},
        {"args": [123456], "expected": 246912}, {"args": [3], "expected": 6}]},
}


def test_staff_level_edits_are_validated_and_personal_levels_stay_private(host):
    root = scanned(staff(host))
    ada, bob = player(host), player(host)
    assert ada.post("/api/challenges/", LEVEL_BODY)[0] == 403
    bad = dict(LEVEL_BODY, solution="def double(n):\n    return n + n + 1\n")
    status, body = root.post("/api/challenges/", bad)
    assert status == 400 and body["errors"], body
    assert root.get("/api/challenges/double-it/")[0] == 404
    personal = dict(LEVEL_BODY, created_for_user_id=ada.user["id"])
    status, body = root.post("/api/challenges/", personal)
    assert status == 201, body
    assert body["created_for_user"] == ada.user["id"] and body["validation"]["mutation_score"] >= 90
    assert "double-it" in states(ada) and "double-it" not in states(bob)
    assert bob.get("/api/challenges/double-it/")[0] == 404
    status, body = root.call("PATCH", "/api/challenges/double-it/", {"title": "Double it!"})[::2]
    assert status == 200 and body["title"] == "Double it!", body
    status, _, _ = root.call("DELETE", "/api/challenges/double-it/")
    assert status == 204 and "double-it" not in states(ada)
    # The new level's secrets never came back either (its solution, a hidden case's value).
    for body in SEEN:
        assert json.dumps(LEVEL_BODY["solution"])[1:-1] not in body and "246912" not in body


def test_anonymous_list_from_memory_follows_staff_edits_and_keeps_the_guard(host):
    """The anonymous list is answered from a shared rendering on the event loop while the catalogue
    snapshot is fresh; a staff edit must show on the next request, and the route's guard (a bad
    Bearer token is 401, a stale cookie is ignored) must hold on that path too."""
    root = scanned(staff(host))
    anon = Scanned(host)
    first = anon.call("GET", "/api/challenges/")
    second = anon.call("GET", "/api/challenges/")
    assert first[0] == second[0] == 200
    assert first[2] == second[2] and len(first[2]) == 60 and first[2][0]["status"] == "UNLOCKED"
    assert first[1]["Content-Type"].startswith("application/json")
    head = anon.call("HEAD", "/api/challenges/")
    assert head[0] == 200 and head[1]["Content-Length"] == second[1]["Content-Length"] and head[2] is None
    status, body = root.post("/api/challenges/", LEVEL_BODY)
    assert status == 201, body
    slugs = [c["slug"] for c in anon.get("/api/challenges/")[1]]
    assert "double-it" in slugs and len(slugs) == 61
    status, _, _ = root.call("DELETE", "/api/challenges/double-it/")
    assert status == 204
    assert "double-it" not in [c["slug"] for c in anon.get("/api/challenges/")[1]]
    status, hdrs, body = anon.call("GET", "/api/challenges/", headers={"Authorization": "Bearer not.a.token"})
    assert status == 401 and hdrs["WWW-Authenticate"] == "Bearer", body
    status, _, body = anon.call("GET", "/api/challenges/", headers={"Cookie": "access_token=stale"})
    assert status == 200 and len(body) == 60
