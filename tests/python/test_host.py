"""End-to-end tests of clash-host over real HTTP, on SQLite and on PostgreSQL."""
import json
import os
import signal
import socket
import subprocess
import threading
import time

import pytest

from hostutil import REPO, Host, host_binary, raw_exchange

CONTRACT_LIST_FIELDS = {"id", "title", "slug", "description", "initial_code", "test_code", "order", "xp_reward",
                        "time_limit", "target_time_seconds", "created_for_user", "status", "stars"}


@pytest.fixture
def web_root(tmp_path):
    root = tmp_path / "www"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>clash</title>")
    (root / "assets" / "app-1a2b.js").write_text("console.log('clash')")
    (tmp_path / "secret.txt").write_text("top secret")
    return root


@pytest.fixture
def host(storage_url, web_root):
    h = Host(storage_url, "--load-levels", "--enable-test-routes", "--web-root", str(web_root))
    yield h
    h.stop()


def test_health_reports_database_ok(host):
    status, headers, body = host.get_json("/health/")
    assert status == 200
    assert body == {"status": "healthy", "service": "clash-host", "checks": {"database": "ok", "pubsub": "ok"}}
    assert headers["content-type"] == "application/json"


def test_challenge_list_has_the_contract_fields(host):
    status, _, body = host.get_json("/api/challenges/")
    assert status == 200
    assert [c["slug"] for c in body] == [f"python-{n:03d}" for n in range(1, 61)]
    for c in body:
        assert set(c) == CONTRACT_LIST_FIELDS
        assert c["xp_reward"] == 10 * c["order"]
        assert c["created_for_user"] is None
        assert c["stars"] == 0
    assert [c["status"] for c in body] == ["UNLOCKED"] + ["LOCKED"] * 59
    assert body[0]["target_time_seconds"] == 120
    assert body[0]["title"] == "Hello, Arena"


def test_challenge_list_never_contains_hidden_tests_or_solutions(host):
    _, _, data = host.request("GET", "/api/challenges/")
    cases = json.load(open(os.path.join(REPO, "data/levels/python-002/cases.json")))["cases"]
    hidden = [c for c in cases if not c.get("public")]
    assert b"1000000000000000000" not in data and hidden[1]["args"] == [10**18, 10**18]
    for n in range(1, 61):
        solution = open(os.path.join(REPO, f"data/levels/python-{n:03d}/solution.py")).read()
        assert json.dumps(solution)[1:-1].encode() not in data, n


def test_challenge_detail_and_unknown_slug(host):
    status, _, body = host.get_json("/api/challenges/python-002/")
    assert status == 200
    assert body["slug"] == "python-002"
    assert body["status"] == "LOCKED"
    assert body["ai_hints_purchased"] == 0
    assert body["started_at"] is None
    status, _, body = host.get_json("/api/challenges/python-999/")
    assert status == 404
    assert body == {"error": "Not found."}


def test_unknown_api_path_is_json_404_not_the_spa(host):
    status, headers, body = host.get_json("/api/nothing/here/")
    assert status == 404
    assert body == {"error": "Not found"}


def test_wrong_method_is_405_with_allow(host):
    status, headers, data = host.request("DELETE", "/api/challenges/")
    assert status == 405
    assert headers["allow"] == "GET, POST"  # POST: staff create levels
    assert json.loads(data)["error"] == 'Method "DELETE" not allowed.'


def test_oversize_body_is_413(host):
    # Refused on the declared length, before the body is read.
    head = (b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 6291457\r\n\r\n")
    status, headers, data = raw_exchange(host.port, head)
    assert status == 413
    assert headers["connection"].lower() == "close"
    assert "too large" in json.loads(data)["error"]
    status, _, data = host.request("POST", "/api/test/echo/", body=b"x" * 1000)
    assert status == 200
    assert json.loads(data) == {"bytes": 1000}


def test_oversize_chunked_body_is_413(host):
    chunk = b"8000\r\n" + b"y" * 0x8000 + b"\r\n"
    head = b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    status, _, data = raw_exchange(host.port, head, [chunk] * 200 + [b"0\r\n\r\n"])
    assert status == 413
    assert "too large" in json.loads(data)["error"]


def test_oversize_headers_are_431(host):
    headers = {f"X-Pad-{i}": "p" * 500 for i in range(40)}
    status, _, data = host.request("GET", "/api/challenges/", headers=headers)
    assert status == 431
    assert json.loads(data) == {"error": "Request header fields too large"}


def test_request_ids_are_echoed_or_generated(host):
    _, headers, _ = host.request("GET", "/health/", headers={"X-Request-ID": "abc-123"})
    assert headers["x-request-id"] == "abc-123"
    _, headers, _ = host.request("GET", "/health/", headers={"X-Request-ID": "bad id\"<script>"})
    assert headers["x-request-id"] != "bad id\"<script>"
    assert len(headers["x-request-id"]) == 24
    int(headers["x-request-id"], 16)


def test_metrics_count_requests_per_route(host):
    for _ in range(3):
        host.request("GET", "/api/challenges/")
    host.request("GET", "/api/challenges/python-001/")
    status, headers, data = host.request("GET", "/metrics")
    assert status == 200
    assert headers["content-type"].startswith("text/plain; version=0.0.4")
    text = data.decode()
    assert 'clash_http_requests_total{route="/api/challenges/",method="GET",code="200"} 3' in text
    assert 'clash_http_requests_total{route="/api/challenges/{slug}/",method="GET",code="200"} 1' in text
    assert 'clash_http_request_duration_seconds_count{route="/api/challenges/"} 3' in text
    assert "clash_websocket_connections 0" in text


def test_web_root_serves_files_with_history_fallback(host):
    status, headers, data = host.request("GET", "/assets/app-1a2b.js")
    assert status == 200
    assert data == b"console.log('clash')"
    assert headers["content-type"].startswith("text/javascript")
    assert "immutable" in headers["cache-control"]
    for path in ["/", "/home", "/level/python-001", "/verify/abc"]:
        status, headers, data = host.request("GET", path)
        assert status == 200, path
        assert data == b"<!doctype html><title>clash</title>", path
        assert headers["content-type"].startswith("text/html")


def test_web_root_does_not_escape(host):
    for path in ["/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"]:
        status, _, data = host.request("GET", path)
        assert b"top secret" not in data, path


def test_access_log_is_json_with_request_id(storage_url, web_root):
    h = Host(storage_url, "--load-levels")
    h.request("GET", "/health/", headers={"X-Request-ID": "trace-me"})
    code, _, err = h.stop()
    assert code == 0
    lines = [json.loads(l) for l in err.splitlines() if l.startswith("{")]
    req = [l for l in lines if l.get("msg") == "request" and l.get("request_id") == "trace-me"]
    assert len(req) == 1
    assert req[0]["status"] == 200
    assert req[0]["route"] == "/health/"
    assert req[0]["method"] == "GET"


def test_sigterm_drains_in_flight_requests(storage_url):
    h = Host(storage_url, "--enable-test-routes")
    result = {}

    def slow():
        result["status"], _, result["body"] = h.request("GET", "/api/test/slow/?ms=1500")

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.4)
    started = time.monotonic()
    h.proc.send_signal(signal.SIGTERM)
    t.join(10)
    assert result.get("status") == 200
    assert json.loads(result["body"]) == {"slept_ms": 1500}
    h.proc.wait(10)
    assert h.proc.returncode == 0
    assert time.monotonic() - started < 8
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", h.port), timeout=1).close()
    h.stop()


def test_load_levels_command_then_serve(storage_url):
    out = subprocess.run([host_binary(), "load-levels", "--storage", storage_url], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert '"msg":"levels loaded","count":60' in out.stderr
    h = Host(storage_url)
    try:
        status, _, body = h.get_json("/api/challenges/")
        assert status == 200
        assert len(body) == 60
    finally:
        h.stop()


def test_bad_configuration_is_reported(tmp_path):
    out = subprocess.run([host_binary(), "serve", "--port=abc", "--storage", f"sqlite://{tmp_path}/x.db"],
                         capture_output=True, text=True, timeout=10)
    assert out.returncode == 2
    assert "port must be an integer" in out.stderr
    out = subprocess.run([host_binary(), "serve", "--prot=1"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 2
    assert "unknown option --prot" in out.stderr
    out = subprocess.run([host_binary(), "serve", "--storage", "mysql://x"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 2
    assert "unknown storage URL scheme" in out.stderr


def test_port_in_use_fails_clearly(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        out = subprocess.run([host_binary(), "serve", "--port", str(port), "--storage", f"sqlite://{tmp_path}/x.db"],
                             capture_output=True, text=True, timeout=10)
        assert out.returncode == 1
        assert f"cannot listen on 127.0.0.1:{port}" in out.stderr


def test_health_is_503_while_postgres_is_down_and_recovers(tmp_path):
    """A private PostgreSQL is stopped under a running host: /health/ answers 503 without driver
    text, and after the server restarts the same host is healthy again (the pool reconnects)."""
    import tempfile
    pg_dir = tempfile.mkdtemp(prefix="clash-pg-health-")
    os.chmod(pg_dir, 0o755)
    start = os.path.join(REPO, "scripts", "pg-start.sh")
    stop = os.path.join(REPO, "scripts", "pg-stop.sh")
    url = subprocess.run([start, pg_dir], check=True, capture_output=True, text=True).stdout.strip()
    h = None
    try:
        h = Host(url, "--load-levels")
        assert h.get_json("/health/")[0] == 200
        status, _, body = h.get_json("/ready/")
        assert (status, body) == (200, {"status": "ready"})
        subprocess.run([stop, pg_dir], check=True, capture_output=True)
        status, _, data = h.request("GET", "/health/")
        assert status == 503
        assert json.loads(data) == {"status": "unhealthy", "service": "clash-host",
                                    "checks": {"database": "error: unreachable", "pubsub": "ok"}}
        status, _, data = h.request("GET", "/ready/")
        assert (status, json.loads(data)) == (503, {"status": "not ready"})
        subprocess.run([start, pg_dir], check=True, capture_output=True)
        deadline = time.monotonic() + 10
        status = None
        while time.monotonic() < deadline:
            status = h.request("GET", "/health/")[0]
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200
        assert h.get_json("/ready/")[0] == 200
        status, _, body = h.get_json("/api/challenges/")
        assert status == 200 and len(body) == 60
    finally:
        if h:
            h.stop()
        subprocess.run([stop, pg_dir], capture_output=True)
        subprocess.run(["rm", "-rf", pg_dir])
