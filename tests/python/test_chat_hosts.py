"""Two clash-host processes sharing one PostgreSQL database and one Redis (issue 14, several hosts):
a message sent on host A reaches a client on host B in order and exactly once, presence counts are
global, and when Redis stops each host keeps serving its own sockets (and says so in /health/);
when Redis returns the hosts resubscribe and fill the gap from storage without duplicates.

Redis here is a server of the test's own (hostutil.Redis: scripts/redis-start.sh in a temporary
directory), so it can be stopped and restarted on the same port."""
import json
import tempfile
import time

import pytest

from economy_http import login
from hostutil import Host, Redis, ScratchPostgres, postgres_server_url
from wsclient import WsClient


def _wait(cond, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)  # polling a condition, not waiting for time to pass
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def deployment():
    server = postgres_server_url()
    if server is None:
        pytest.fail("needs CLASH_TEST_POSTGRES_URL (use scripts/test.sh)")
    db = ScratchPostgres(server)
    redis = Redis()
    data_dir = tempfile.mkdtemp(prefix="clash-hosts-")  # one signing key and secret for both hosts
    common = ["--rate-limits", "false", "--pubsub-url", redis.url]
    a = Host(db.url, *common, "--chat-host-id", "host-a", data_dir=data_dir)
    b = Host(db.url, *common, "--chat-host-id", "host-b", data_dir=data_dir)
    yield a, b, redis
    a.stop()
    b.stop()
    redis.stop()
    db.close()


def health(host):
    status, _, body = host.request("GET", "/health/")
    return json.loads(body)["checks"]["pubsub"]


def seqs(client):
    return [f["seq"] for f in client.of_type("chat_message")]


def test_a_message_on_host_a_reaches_host_b_in_order_once_and_presence_is_global(deployment):
    a, b, _ = deployment
    ada, bob = login(a), login(a)
    on_a = WsClient(a.port, "/ws/chat/global", cookies=ada.cookies)
    on_a.wait_for("history")
    on_b = WsClient(b.port, "/ws/chat/global", cookies=bob.cookies)
    on_b.wait_for("history")
    # Each host counts the other's user: 2 distinct users online, seen from both sides.
    on_a.wait_for("presence", lambda f: f["count"] == 2)
    on_b.wait_for("presence", lambda f: f["count"] == 2)
    _wait(lambda: ada.get("/api/chat/online/")[1]["count"] == 2, what="global count on host A")

    for i in range(30):
        on_a.send({"message": f"from A {i}"})
    on_b.wait_for("chat_message", lambda f: f["message"] == "from A 29")
    got = [f["message"] for f in on_b.of_type("chat_message")]
    assert got == [f"from A {i}" for i in range(30)]
    s = seqs(on_b)
    assert s == list(range(s[0], s[0] + 30))  # consecutive: in order, none twice
    on_b.send({"message": "from B"})
    assert on_a.wait_for("chat_message", lambda f: f["message"] == "from B")["seq"] == s[-1] + 1
    # A mention made on host A reaches a notification socket on host B.
    bell = WsClient(b.port, "/ws/notifications", cookies=bob.cookies)
    on_a.send({"message": f"@{bob.user['username']} ping"})
    assert bell.wait_for("mention")["sender"] == ada.user["username"]
    on_b.close()
    on_a.wait_for("presence", lambda f: f["count"] == 1)
    for c in (on_a, bell):
        c.close()


def test_hosts_keep_serving_without_redis_and_fill_the_gap_when_it_returns(deployment):
    a, b, redis = deployment
    ada, cat, bob = login(a), login(a), login(a)
    on_a = WsClient(a.port, "/ws/chat/global", cookies=ada.cookies)
    on_a.wait_for("history")
    cat_a = WsClient(a.port, "/ws/chat/global", cookies=cat.cookies)
    cat_a.wait_for("history")
    on_b = WsClient(b.port, "/ws/chat/global", cookies=bob.cookies)
    on_b.wait_for("history")
    on_a.send({"message": "before"})
    on_b.wait_for("chat_message", lambda f: f["message"] == "before")
    assert health(a) == "ok"

    redis.stop()
    _wait(lambda: health(a).startswith("degraded"), what="host A to report the lost link")
    _wait(lambda: health(b).startswith("degraded"), what="host B to report the lost link")
    assert "clash_pubsub_connected 0" in a.request("GET", "/metrics")[2].decode()
    # Host A still serves its own sockets: stored, and delivered to both clients on A.
    on_a.send({"message": "during the outage"})
    cat_a.wait_for("chat_message", lambda f: f["message"] == "during the outage")
    on_a.wait_for("chat_message", lambda f: f["message"] == "during the outage")

    redis.start_again()
    _wait(lambda: health(a) == "ok" and health(b) == "ok", what="both hosts to resubscribe")
    metrics = a.request("GET", "/metrics")[2].decode()
    assert "clash_pubsub_connected 1" in metrics and "clash_pubsub_link_losses_total 1" in metrics
    # Host B read what it missed from storage on reconnect, then live delivery resumed.
    on_b.wait_for("chat_message", lambda f: f["message"] == "during the outage")
    on_a.send({"message": "after"})
    on_b.wait_for("chat_message", lambda f: f["message"] == "after")
    assert [f["message"] for f in on_b.of_type("chat_message")] == ["before", "during the outage", "after"]
    s = seqs(on_b)
    assert s == list(range(s[0], s[0] + 3))
    for c in (on_a, cat_a, on_b):
        c.close()


def test_logging_out_on_host_a_closes_the_sockets_of_that_login_on_host_b(deployment):
    a, b, _ = deployment
    bob = login(a)
    cookies = dict(bob.cookies)
    chat_b = WsClient(b.port, "/ws/chat/global", cookies=cookies)
    chat_b.wait_for("history")
    bell_b = WsClient(b.port, "/ws/notifications", cookies=cookies)
    status, _ = bob.post("/api/auth/logout/")
    assert status == 200
    assert chat_b.wait_closed() == 4001
    assert bell_b.wait_closed() == 4001
