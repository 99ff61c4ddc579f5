"""clash-host's HTTP server as an operator sees it: the listening port, the worker pool's limit,
the access log, JSON media types."""
import json
import select
import subprocess
import time

import pytest

from hostutil import Host, free_port, host_binary
from rawhttp import RawConn


def test_second_serve_on_a_used_port_fails_with_address_in_use(tmp_path):
    """Was: the second host started silently and shared the traffic (SO_REUSEPORT always on)."""
    first = Host(f"sqlite://{tmp_path}/a.db")
    try:
        out = subprocess.run([host_binary(), "serve", "--port", str(first.port), "--storage",
                              f"sqlite://{tmp_path}/b.db", "--data-dir", str(tmp_path / "b")],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 1
        assert f"cannot listen on 127.0.0.1:{first.port}: address already in use" in out.stderr
        assert first.get_json("/health/")[0] == 200
    finally:
        first.stop()


def test_port_sharing_only_when_both_ask_for_it(tmp_path):
    port = free_port()
    first = Host(f"sqlite://{tmp_path}/a.db", "--reuse-port", port=port)
    try:
        second = Host(f"sqlite://{tmp_path}/b.db", "--reuse-port", port=port)
        try:
            assert second.port == first.port
            assert second.get_json("/health/")[0] == 200
        finally:
            second.stop()
        out = subprocess.run([host_binary(), "serve", "--port", str(port), "--storage", f"sqlite://{tmp_path}/c.db",
                              "--data-dir", str(tmp_path / "c")], capture_output=True, text=True, timeout=30)
        assert out.returncode == 1 and "address already in use" in out.stderr
    finally:
        first.stop()


def test_access_log_counts_the_bytes_of_static_files(tmp_path):
    """Was: "bytes":0 for every file served from --web-root."""
    root = tmp_path / "www"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>clash</title>")
    big = b"b" * 300_000  # beyond the size sent with the head: goes out with sendfile
    (root / "assets" / "big.bin").write_bytes(big)
    h = Host(f"sqlite://{tmp_path}/clash.db", "--web-root", str(root))
    assert h.request("GET", "/assets/big.bin", headers={"X-Request-ID": "big"})[2] == big
    assert h.request("GET", "/home", headers={"X-Request-ID": "spa"})[2] == b"<!doctype html><title>clash</title>"
    assert h.request("HEAD", "/home", headers={"X-Request-ID": "head"})[0] == 200
    code, _, err = h.stop()
    assert code == 0
    lines = {l["request_id"]: l for l in map(json.loads, filter(lambda s: s.startswith("{"), err.splitlines()))
             if l.get("msg") == "request"}
    assert lines["big"]["bytes"] == 300_000 and lines["big"]["route"] == "static"
    assert lines["spa"]["bytes"] == len("<!doctype html><title>clash</title>")
    assert lines["head"]["bytes"] == 0


def test_a_full_worker_queue_answers_503_with_retry_after(tmp_path):
    """One worker and one queue slot: of four slow requests one runs, one waits, and exactly two are
    refused with 503 + Retry-After at once, whatever order they arrive in."""
    h = Host(f"sqlite://{tmp_path}/clash.db", "--enable-test-routes", "--http-threads", "1", "--max-queued", "1")
    conns = []
    try:
        for _ in range(4):
            c = RawConn(h.port)
            c.send(b"GET /api/test/slow/?ms=60000 HTTP/1.1\r\nHost: x\r\n\r\n")
            conns.append(c)
        refused = []
        pending = {c.sock: c for c in conns}
        deadline = time.monotonic() + 30
        while len(refused) < 2 and time.monotonic() < deadline:
            ready, _, _ = select.select(list(pending), [], [], max(0.0, deadline - time.monotonic()))
            for sock in ready:
                refused.append(pending.pop(sock).read_response())
        assert [r.status for r in refused] == [503, 503]
        for r in refused:
            assert r.headers["retry-after"] == "1"
            assert json.loads(r.body) == {"error": "Server busy, try again"}
        assert all(c.is_open() for c in pending.values())  # the running and the queued one
        # Requests the loop answers itself still work while the pool is saturated.
        c = RawConn(h.port)
        c.send(b"GET /api/nothing/ HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.read_response().status == 404
        c.close()
    finally:
        for c in conns:
            c.close()
        h.proc.kill()  # a handler sleeps for a minute; shutdown is tested elsewhere
        h.stop()


@pytest.mark.parametrize("content_type,status", [("text/plain; x=application/json", 415), ("application/jsonx", 415),
                                                 ("application/json; charset=utf-8", 200)])
def test_json_routes_parse_the_media_type(tmp_path, content_type, status):
    h = Host(f"sqlite://{tmp_path}/clash.db")
    try:
        got, _, data = h.request("POST", "/api/auth/otp/request/", body=json.dumps({"email": "m@example.com"}),
                                 headers={"Content-Type": content_type})
        assert got == status, data
        if status == 415:
            assert json.loads(data) == {"error": "Content-Type must be application/json."}
    finally:
        h.stop()
