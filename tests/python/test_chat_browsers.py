"""Issue 14's "done when": two browsers exchange chat messages through one host and through two
hosts (tests/browser/README.md).

Two contexts of Debian's headless Chromium (/usr/bin/chromium), driven by npm playwright-core from
tests/browser/chat_browsers.mjs, each load a small page that clash-host serves from a test
--web-root (tests/browser/page/), log in through the OTP flow with fetch (the host sets the
HttpOnly cookies) and open the browser's native WebSocket to the same origin's /ws/chat/global, as
the web client does (client-contract.md sections 1, 3, 13). The host checks the handshake's Origin
and reads the cookie. The users then write to each other, both ways. Once with both browsers on one
host, once with each on its own host, the two hosts sharing one PostgreSQL database and one Redis.
"""
import json
import os
import shutil
import subprocess
import tempfile

import pytest

from hostutil import REPO, Host, Redis, ScratchPostgres, postgres_server_url

BROWSER_DIR = os.path.join(REPO, "tests", "browser")
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def web_root():
    path = tempfile.mkdtemp(prefix="clash-web-root-")
    for name in os.listdir(os.path.join(BROWSER_DIR, "page")):
        shutil.copy(os.path.join(BROWSER_DIR, "page", name), path)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def database():
    server = postgres_server_url()
    if server is None:
        pytest.fail("needs CLASH_TEST_POSTGRES_URL (use scripts/test.sh)")
    db = ScratchPostgres(server)
    yield db
    db.close()


def run_browsers(users, cross_origin_ws=None):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} missing: run scripts/install-deps.sh (installs Debian's chromium)")
    if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")):
        pytest.fail("playwright-core missing: run `npm ci --prefix tests/browser` (scripts/install-deps.sh does)")
    config = {"chromium": CHROMIUM, "users": users}
    if cross_origin_ws:
        config["cross_origin_ws"] = cross_origin_ws
    out = subprocess.run(["node", os.path.join(BROWSER_DIR, "chat_browsers.mjs"), json.dumps(config)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def user_of(host):
    return {"origin": host.origin(), "outbox": os.path.join(host.data_dir, "outbox")}


def check_exchange(result):
    sent = result["sent"]
    a, b = result["users"]
    assert a["username"] != b["username"]
    # Both ways: each user wrote two messages, alternating, as the script typed them.
    assert [s["username"] for s in sent] == [a["username"], b["username"], a["username"], b["username"]]
    for user in (a, b):
        live = [m for m in user["messages"] if any(m["message"] == s["message"] for s in sent)]
        # Every message reached both pages once, in the order written, with its author and a
        # stable id and consecutive per-room sequence numbers.
        assert [(m["username"], m["message"]) for m in live] == [(s["username"], s["message"]) for s in sent]
        assert len({m["id"] for m in live}) == 4
        assert [m["via"] for m in live] == ["chat_message"] * 4  # live frames, not a later history
        seqs = [m["seq"] for m in live]
        assert seqs == list(range(seqs[0], seqs[0] + 4))
        # The page rendered them, and saw both users online.
        for s in sent:
            assert f"{s['username']}: {s['message']}" in user["rendered"]
        assert user["online"] == 2 and user["state"] == "open"
        assert user["errors"] == [] and user["consoleErrors"] == []
        # The tokens are HttpOnly cookies: the page's script never sees them.
        assert "access_token" not in user["scriptCookies"] and "refresh_token" not in user["scriptCookies"]
    # Both pages agree on the ids and sequence numbers (one stored message each).
    ids = lambda u: [(m["id"], m["seq"]) for m in u["messages"] if m["message"] in {s["message"] for s in sent}]
    assert ids(a) == ids(b)


def test_two_browsers_chat_through_one_host(database, web_root):
    host = Host(database.url, "--web-root", web_root)
    try:
        result = run_browsers([user_of(host), user_of(host)])
    finally:
        host.stop()
    check_exchange(result)


def test_two_browsers_chat_through_two_hosts_over_redis(database, web_root):
    redis = Redis()
    data_dir = tempfile.mkdtemp(prefix="clash-hosts-")  # one signing key and secret for both hosts
    common = ["--web-root", web_root, "--pubsub-url", redis.url]
    a = Host(database.url, *common, "--chat-host-id", "host-a", data_dir=data_dir)
    b = Host(database.url, *common, "--chat-host-id", "host-b", data_dir=data_dir)
    try:
        result = run_browsers([user_of(a), user_of(b)],
                              cross_origin_ws=f"ws://127.0.0.1:{a.port}/ws/chat/global")
    finally:
        a.stop()
        b.stop()
        redis.stop()
    check_exchange(result)
    # The page on host B could not open host A's chat socket although the browser sent its cookie:
    # the Origin (host B's) is not host A's. Refused at the handshake with 403 (as the browser's
    # console reports), so the socket never opened.
    probe = result["crossOrigin"]
    assert probe["opened"] is False and probe["code"] == 1006
    assert probe["consoleErrors"] == [
        f"WebSocket connection to 'ws://127.0.0.1:{a.port}/ws/chat/global' failed: "
        "Error during WebSocket handshake: Unexpected response code: 403"]
