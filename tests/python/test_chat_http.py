"""Chat and the notification socket over real WebSockets against clash-host, on SQLite and
PostgreSQL (client-contract.md sections 12 and 13, issue 14): authentication at the upgrade
(cookie or Bearer) with the Origin check, every frame type the web client reads, history over
HTTP, mentions on /ws/notifications, resume by last sequence, oversize frames (1009) and a reader
that stops reading (dropped, never slowing the others)."""
import threading

import pytest

from economy_http import login, staff
from hostutil import Host
from wsclient import HandshakeRefused, WsClient


@pytest.fixture
def host(storage_url):
    h = Host(storage_url, "--rate-limits", "false")
    yield h
    h.stop()


def chat(host, client, path="/ws/chat/global", **kw):
    return WsClient(host.port, path, cookies=client.cookies, **kw)


def test_upgrade_needs_credentials_an_allowed_origin_and_a_known_room(host):
    ada = login(host)
    with pytest.raises(HandshakeRefused) as e:
        WsClient(host.port, "/ws/chat/global")
    assert e.value.status == 403
    with pytest.raises(HandshakeRefused) as e:
        chat(host, ada, origin="http://evil.example")
    assert e.value.status == 403
    with pytest.raises(HandshakeRefused) as e:
        chat(host, ada, path="/ws/chat/lobby")
    assert e.value.status == 403
    with pytest.raises(HandshakeRefused) as e:
        WsClient(host.port, "/ws/notifications", cookies={"access_token": "garbage"})
    assert e.value.status == 403
    # Bearer works for clients that can set headers (no Origin: not a browser).
    c = WsClient(host.port, "/ws/chat/global", bearer=ada.cookies["access_token"], origin=False)
    assert c.wait_for("history")["messages"] == []
    c.close()


def test_two_clients_see_every_frame_type(host):
    ada, bob, root = login(host), login(host), staff(host)
    a = chat(host, ada)
    assert a.wait_for("history")["gap"] is False
    assert a.wait_for("online")["count"] == 1
    b = chat(host, bob)
    b.wait_for("history")
    # presence: a sees bob join (coalesced, sent by the host's timer)
    join = a.wait_for("presence", lambda f: f["count"] == 2)
    assert join["event"] == "join"
    assert bob.user["username"] in [u["username"] for u in join["joined"]]  # maybe with ada's own join

    a.send({"action": "send", "message": "hello bob"})
    msg = b.wait_for("chat_message")
    assert msg["message"] == "hello bob" and msg["username"] == ada.user["username"]
    assert {"id", "seq", "room", "user_id", "avatar_url", "timestamp"} <= msg.keys()
    ts = msg["timestamp"]
    a.send({"action": "edit", "target_timestamp": ts, "message": "hello, bob"})
    assert b.wait_for("chat_edit")["message"] == "hello, bob"
    b.send({"action": "react", "target_timestamp": ts, "emoji": "👍"})
    react = a.wait_for("chat_react")
    assert react["reactions"] == {"👍": [bob.user["username"]]} and react["username"] == bob.user["username"]
    b.send({"action": "typing"})
    assert a.wait_for("typing")["username"] == bob.user["username"]
    b.send({"action": "edit", "target_timestamp": ts, "message": "mine now"})
    assert b.wait_for("error")["message"] == "You can only edit your own messages."
    b.send("{not json")
    assert b.wait_for("error", lambda f: f["message"] == "Invalid message format.")

    r = chat(host, root)
    r.wait_for("history")
    r.send({"action": "pin", "target_timestamp": ts, "message": "forged text"})
    pin = a.wait_for("chat_pin")
    assert pin["message"] == "hello, bob" and pin["pinned_by"] == "root"
    r.send({"action": "unpin", "target_timestamp": ts})
    assert a.wait_for("chat_unpin")["timestamp"] == ts
    r.send({"action": "delete", "target_timestamp": ts, "message": "deleted"})
    assert b.wait_for("chat_delete")["timestamp"] == ts

    a.send({"message": "second"})
    b.wait_for("chat_message", lambda f: f["message"] == "second")
    status, page = ada.get("/api/chat/history/?limit=10")
    assert status == 200
    assert [m["message"] for m in page["messages"]] == ["second"]  # the deleted one is gone
    assert page["has_more"] is False and page["last_seq"] == 7  # send, edit, react, pin, unpin, delete, send
    status, body = ada.get("/api/chat/history/?limit=1000")
    assert status == 400 and "limit" in body["error"]
    status, online = ada.get("/api/chat/online/")
    assert status == 200 and online["count"] == 3
    b.close()
    # Updates are coalesced: bob's leave may share a frame with root's join.
    left = a.wait_for("presence", lambda f: bob.user["username"] in [u["username"] for u in f["left"]])
    assert left["count"] == 2
    for c in (a, r):
        c.close()


def test_mentions_and_notifications_reach_the_notification_socket(host):
    ada, bob = login(host), login(host)
    bell = WsClient(host.port, "/ws/notifications", cookies=bob.cookies)
    a = chat(host, ada)
    a.wait_for("history")
    a.send({"message": f"hi @{bob.user['username']}"})
    mention = bell.wait_for("mention")
    assert mention["sender"] == ada.user["username"] and mention["room"] == "global"
    status, _ = ada.post(f"/api/profiles/users/{bob.user['username']}/follow/")
    assert status == 201
    note = bell.wait_for("notification")
    assert note["title"] == "New Follower!"
    bell.close()
    a.close()


def test_reconnect_with_the_last_sequence_resumes(host):
    ada, bob = login(host), login(host)
    b = chat(host, bob)
    last = b.wait_for("history")["last_seq"]
    b.close()
    a = chat(host, ada)
    a.wait_for("history")
    for i in range(3):
        a.send({"message": f"while away {i}"})
        a.wait_for("chat_message", lambda f, i=i: f["message"] == f"while away {i}")
    b2 = chat(host, bob, path=f"/ws/chat/global?last_seq={last}")
    resume = b2.wait_for("resume")
    assert [e["message"] for e in resume["events"]] == [f"while away {i}" for i in range(3)]
    assert not b2.of_type("history")
    a.send({"message": "live again"})
    b2.wait_for("chat_message", lambda f: f["message"] == "live again")
    a.close()
    b2.close()


def test_oversize_frame_closes_with_1009(storage_url):
    h = Host(storage_url, "--rate-limits", "false", "--ws-max-frame-bytes", "4096")
    try:
        ada = login(h)
        a = WsClient(h.port, "/ws/chat/global", cookies=ada.cookies)
        a.wait_for("history")
        a.send({"message": "x" * 5000})
        assert a.wait_closed() == 1009
    finally:
        h.stop()


def test_a_reader_that_stops_reading_is_dropped_and_never_slows_the_others(storage_url):
    h = Host(storage_url, "--rate-limits", "false", "--ws-max-queue-bytes", "16384",
             "--ws-send-buffer-bytes", "4096")
    try:
        ada, bob, cat = login(h), login(h), login(h)
        slow = WsClient(h.port, "/ws/chat/global", cookies=cat.cookies, rcvbuf=4096)
        slow.wait_for("history")  # then never reads again
        fast = WsClient(h.port, "/ws/chat/global", cookies=bob.cookies)
        fast.wait_for("history")
        a = WsClient(h.port, "/ws/chat/global", cookies=ada.cookies)
        a.wait_for("history")
        text = "y" * 900
        n = 120  # ~120 KB of frames: far beyond the slow reader's 16 KiB queue and kernel buffers
        result = {}

        def read_fast():  # a reader that keeps up, on its own thread
            try:
                result["last"] = fast.wait_for("chat_message", lambda f: f["message"].startswith(f"{n - 1} "),
                                               timeout=180)
            except Exception as e:  # reported below
                result["error"] = e

        reader = threading.Thread(target=read_fast)
        reader.start()
        for i in range(n):  # one at a time (a connection may have 64 frames waiting)
            a.send({"message": f"{i} {text}"})
            a.wait_for("chat_message", lambda f, i=i: f["message"].startswith(f"{i} "))
        reader.join()
        assert "error" not in result, result.get("error")
        last = result["last"]
        got = [f["message"].split(" ", 1)[0] for f in fast.of_type("chat_message")]
        assert got == [str(i) for i in range(n)]  # everything, in order, once
        assert last["seq"] == fast.of_type("chat_message")[0]["seq"] + n - 1
        # The slow socket was dropped: reading what its buffers hold ends in EOF with no close
        # frame (a live socket would instead block here until the deadline and return None).
        assert slow.wait_closed(timeout=60) == 1006
        assert len(slow.of_type("chat_message")) < n
        metrics = h.request("GET", "/metrics")[2].decode()
        assert "clash_websocket_slow_readers_dropped_total 1" in metrics
        for c in (fast, a):
            c.close()
    finally:
        h.stop()
