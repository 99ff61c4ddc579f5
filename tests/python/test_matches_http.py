"""Matches over real sockets against clash-host, on SQLite and PostgreSQL (issue 17, docs/api.md
"Matches"): a fastest match played to the end over HTTP with the live socket /ws/matches/<id>
watching every event (the countdown and the end are the host's timers, awaited as conditions, never
slept), a reconnecting watcher resuming after its last sequence number, and every refused action
answering a 4xx JSON error with nothing changed."""
import json

import pytest

from economy_http import login
from hostutil import Host
from wsclient import WsClient

ECHO = (
    "import sys\nlines = sys.stdin.read().split('\\n')\nn = int(lines[0])\n"
    "for line in reversed(lines[1:n + 1]):\n    print(line[::-1])\n"
)


@pytest.fixture
def host(storage_url):
    h = Host(storage_url, "--rate-limits", "false")
    yield h
    h.stop()


def watch(host, client, match_id, last_seq=None):
    path = f"/ws/matches/{match_id}" + (f"?last_seq={last_seq}" if last_seq is not None else "")
    return WsClient(host.port, path, cookies=client.cookies)


def test_a_fastest_match_over_http_with_a_live_watcher(host):
    ada, bob = login(host), login(host)
    status, m = ada.post("/api/matches/", {"mode": "fastest", "puzzle": "echo-reverse", "max_players": 2})
    assert status == 201, m
    mid = m["id"]
    assert m["state"] == "lobby" and m["statement"] is None and m["players"][0]["is_host"]
    w = watch(host, ada, mid)
    state = w.wait_for("state")
    assert state["match"]["id"] == mid
    assert w.wait_for("joined")["data"]["user_id"] == ada.user["id"]

    status, body = bob.post(f"/api/matches/{mid}/join/")
    assert status == 200, body
    assert w.wait_for("joined", lambda f: f["data"]["user_id"] == bob.user["id"])["seq"] == 2
    status, body = bob.post(f"/api/matches/{mid}/start/")
    assert status == 403 and body["error"]
    status, body = ada.post(f"/api/matches/{mid}/start/")
    assert status == 400 and "ready" in body["error"]
    assert bob.post(f"/api/matches/{mid}/ready/", {"ready": True})[0] == 200
    assert ada.post(f"/api/matches/{mid}/start/")[0] == 200
    countdown = w.wait_for("countdown")
    assert countdown["data"]["seconds"] == 10
    started = w.wait_for("started", timeout=90)  # the host's timer, 10 s after Start
    assert started["data"]["statement"].startswith("### Goal")
    assert len(started["data"]["samples"]) == 3

    status, s = bob.post(f"/api/matches/{mid}/submit/", {"language": "python3", "code": "print('no')\n"})
    assert status == 200, s
    assert s["verdict"] == "wrong_answer" and s["tests_passed"] == 0 and s["tests_total"] == 10
    progress = w.wait_for("progress")
    assert progress["data"] == {"user_id": bob.user["id"], "tests_passed": 0, "tests_total": 10, "best_passed": 0}
    status, s = ada.post(f"/api/matches/{mid}/submit/", {"language": "python3", "code": ECHO})
    assert status == 200 and s["verdict"] == "accepted" and s["best"], s
    status, s = bob.post(f"/api/matches/{mid}/submit/", {"language": "python3", "code": ECHO})
    assert status == 200 and s["tests_passed"] == 10, s
    # Both passed every test: a fastest match ends at once.
    assert w.wait_for("finished")["data"]["reason"] == "all_passed"
    results = w.wait_for("results")["data"]["players"]
    assert [p["user_id"] for p in results] == [ada.user["id"], bob.user["id"]]
    assert [p["rank"] for p in results] == [1, 2]
    assert results[0]["xp"] == 10 + 5 + 20 and results[1]["xp"] == 10
    for frame in w.frames:  # never code
        assert "sys.stdin" not in json.dumps(frame), frame["type"]

    status, r = bob.get(f"/api/matches/{mid}/results/")
    assert status == 200
    assert r["players"][1]["code"] == ECHO  # bob's own
    assert r["players"][0]["code"] is None  # ada did not reveal hers
    status, body = bob.post(f"/api/matches/{mid}/submit/", {"language": "python3", "code": ECHO})
    assert status == 400 and body["error"] == "the match is over"
    status, hist = bob.get("/api/matches/history/")
    assert status == 200 and [h["id"] for h in hist] == [mid]
    status, events = bob.get(f"/api/matches/{mid}/events/?after=0")
    assert status == 200 and [e["seq"] for e in events] == list(range(1, len(events) + 1))
    w.close()

    # A watcher that reconnects after seq N gets the state and only the later events.
    last = events[-3]["seq"]
    again = watch(host, bob, mid, last_seq=last)
    assert again.wait_for("state")["match"]["state"] == "finished"
    assert again.wait_for("results")["seq"] == events[-1]["seq"]
    assert [f["seq"] for f in again.of_type("joined")] == []
    again.close()


def test_refused_actions_answer_4xx_and_change_nothing(host):
    ada, bob, cyd = login(host), login(host), login(host)
    status, m = ada.post("/api/matches/", {"puzzle": "echo-reverse", "max_players": 2})
    assert status == 201
    mid = m["id"]

    def snapshot():
        status, view = ada.get(f"/api/matches/{mid}/")
        assert status == 200
        return view["state"], view["last_seq"], [p["user_id"] for p in view["players"]]

    for bad in ({"mode": "slowest"}, {"time_limit_minutes": 7}, {"max_players": 9}, {"puzzle": "nope"}):
        status, body = bob.post("/api/matches/", bad)
        assert status == 400 and body["error"], bad
    status, body = ada.post("/api/matches/", {})
    assert status == 409 and "already in a match" in body["error"]
    assert bob.post(f"/api/matches/{mid}/join/")[0] == 200
    before = snapshot()
    status, body = cyd.post(f"/api/matches/{mid}/join/")
    assert status == 400 and body["error"] == "the lobby is full"
    status, body = bob.post(f"/api/matches/{mid}/kick/", {"user_id": ada.user["id"]})
    assert status == 403
    status, body = bob.post(f"/api/matches/{mid}/join/")
    assert status == 409
    status, body = bob.post(f"/api/matches/{mid}/submit/", {"language": "python3", "code": ECHO})
    assert status == 400 and body["error"] == "the match has not started"
    status, body = cyd.post(f"/api/matches/{mid}/submit/", {"language": "python3", "code": ECHO})
    assert status == 403
    status, body = cyd.post("/api/matches/join-by-code/", {"join_code": "ABCDEFGH"})
    assert status == 404
    status, body = ada.post("/api/matches/nosuchmatch/join/")
    assert status == 404
    assert snapshot() == before
    status, body = ada.get("/api/matches/current/")
    assert status == 200 and body["match_id"] == mid
    status, open_ = cyd.get("/api/matches/?mode=fastest")
    assert status == 200 and [o["id"] for o in open_] == [mid]
    status, board = cyd.get("/api/matches/leaderboard/fastest/")
    assert status == 200 and board == []
    status, body = cyd.get("/api/matches/leaderboard/slowest/")
    assert status == 400
