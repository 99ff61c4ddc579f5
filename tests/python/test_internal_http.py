"""Signed internal requests between hosts and workers, against the real clash-host."""
import hashlib
import hmac
import json
import secrets
import time

import pytest

from hostutil import Host

SECRET = "s3cret-for-internal-tests-0123456789"
PATH = "/api/challenges/internal-list/"


def sign(method, target, body=b"", ts=None, nonce=None, key_id="worker-1", secret=SECRET):
    ts = str(int(time.time()) if ts is None else ts)
    nonce = nonce or secrets.token_hex(16)
    message = "\n".join([ts, nonce, method, target, hashlib.sha256(body).hexdigest()])
    sig = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return {"X-Internal-API-Key": key_id, "X-Internal-Timestamp": ts, "X-Internal-Nonce": nonce,
            "X-Internal-Signature": sig}


@pytest.fixture
def host(tmp_path):
    h = Host(f"sqlite://{tmp_path}/clash.db", "--load-levels", env={"CLASH_INTERNAL_API_KEYS": f"worker-1:{SECRET}"})
    yield h
    h.stop()


def test_signed_request_gets_levels_with_secrets(host):
    status, _, data = host.request("GET", PATH, headers=sign("GET", PATH))
    assert status == 200
    levels = json.loads(data)
    assert [l["slug"] for l in levels] == [f"python-{n:03d}" for n in range(1, 61)]
    assert levels[1]["solution"] == "def add(a, b):\n    return a + b\n"
    assert len(levels[0]["hints"]) == 3
    # The cases as data, hidden ones included (the AI service is trusted with them).
    assert levels[1]["cases"]["entry"] == "add"
    assert sum(1 for c in levels[1]["cases"]["cases"] if not c["public"]) >= 8


def test_replayed_tampered_stale_and_unsigned_requests_are_refused(host):
    headers = sign("GET", PATH)
    assert host.request("GET", PATH, headers=headers)[0] == 200
    assert host.request("GET", PATH, headers=headers)[0] == 403, "replay"
    assert host.request("GET", PATH + "?x=1", headers=sign("GET", PATH))[0] == 403, "path tampered"
    assert host.request("GET", PATH, headers=sign("POST", PATH))[0] == 403, "method tampered"
    assert host.request("GET", PATH, headers=sign("GET", PATH, ts=int(time.time()) - 121))[0] == 403, "stale"
    assert host.request("GET", PATH, headers=sign("GET", PATH, secret="wrong-secret-0123456789"))[0] == 403
    assert host.request("GET", PATH, headers=sign("GET", PATH, key_id="nobody"))[0] == 403
    status, _, data = host.request("GET", PATH)
    assert status == 403
    assert json.loads(data) == {"error": "Unauthorized"}


def test_internal_routes_are_closed_without_keys(tmp_path):
    h = Host(f"sqlite://{tmp_path}/clash.db")
    try:
        status, _, data = h.request("GET", PATH, headers=sign("GET", PATH))
        assert status == 403
        assert json.loads(data) == {"error": "Internal API is not configured."}
    finally:
        h.stop()
