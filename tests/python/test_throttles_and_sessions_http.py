"""Throttles and login sessions over real HTTP against clash-host, on SQLite and PostgreSQL:
a class behind one address can log in, a token never escapes the per-address OTP limit, every
throttle scope is configurable, and logout / refresh-token reuse / blocking end the old access
token at once. Also: clash-host and clash.open() share one set of engine defaults."""
import re
import subprocess

import pytest

import clash
from hostutil import Host, host_binary
from test_auth_http import Browser


def _request_otp(browser, email, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else None
    status, _, body, _ = browser.call("POST", "/api/auth/otp/request/", {"email": email}, headers=headers)
    return status, body


def test_a_class_behind_one_address_logs_in_while_one_mailbox_gets_five(storage_url):
    host = Host(storage_url)
    try:
        b = Browser(host)
        # 60 pupils behind one school NAT, one code each, within ten minutes: all served.
        for i in range(60):
            status, body = _request_otp(b, f"pupil{i}@school.example")
            assert status == 200, (i, body)
        # The 61st request from that address is over the per-address budget.
        status, body = _request_otp(b, "pupil60@school.example")
        assert status == 429 and body == {"error": "Too many requests. Please try again later."}
    finally:
        host.stop()

    host = Host(storage_url)
    try:
        b = Browser(host)
        # One mailbox gets five codes, whatever plus-tags the addresses carry.
        for tag in ("", "+1", "+2", "+maths", "+x"):
            status, body = _request_otp(b, f"kid{tag}@school.example")
            assert status == 200, (tag, body)
        status, body = _request_otp(b, "kid+6@school.example")
        assert status == 429 and body["error"] == "Too many OTP requests. Please try again later."
        # Another mailbox from the same address is still served.
        status, _ = _request_otp(b, "other@school.example")
        assert status == 200
    finally:
        host.stop()


def test_a_bearer_token_does_not_escape_the_per_address_otp_limit(storage_url):
    host = Host(storage_url, "--rate-limit", "otp=6/10m")
    try:
        tokens = []
        for name in ("ann", "ben", "cy"):
            b = Browser(host)
            b.login(f"{name}@example.com")                   # 3 OTP requests from this address
            tokens.append(b.cookies["access_token"])
        anon = Browser(host)
        for i, token in enumerate(tokens):                    # 3 more, each with another account's token
            status, body = _request_otp(anon, f"spam{i}@example.com", token=token)
            assert status == 200, body
        status, body = _request_otp(anon, "spam9@example.com", token=tokens[0])
        assert status == 429, body
        status, body = _request_otp(anon, "spam10@example.com")
        assert status == 429, body
    finally:
        host.stop()


def test_behind_a_trusted_proxy_each_client_address_has_its_own_budget(storage_url):
    # Every request reaches the host from the proxy's address (127.0.0.1 here): the per-address
    # throttles must count the client address the trusted proxy forwarded, not the proxy's.
    host = Host(storage_url, "--rate-limit", "otp=2/10m", "--trusted-proxies", "127.0.0.1")
    try:
        b = Browser(host)

        def from_client(addr, email):
            status, _, body, _ = b.call("POST", "/api/auth/otp/request/", {"email": email},
                                        headers={"X-Forwarded-For": addr})
            return status, body

        assert from_client("203.0.113.1", "a1@example.com")[0] == 200
        assert from_client("203.0.113.1", "a2@example.com")[0] == 200
        status, body = from_client("203.0.113.1", "a3@example.com")
        assert status == 429, body
        # Another client behind the same proxy is still served.
        assert from_client("203.0.113.2", "b1@example.com")[0] == 200
    finally:
        host.stop()

    # Without a trusted proxy the header is ignored: a client cannot mint itself new budgets.
    host = Host(storage_url, "--rate-limit", "otp=2/10m")
    try:
        b = Browser(host)
        for i, addr in enumerate(("198.51.100.1", "198.51.100.2")):
            status, _, body, _ = b.call("POST", "/api/auth/otp/request/", {"email": f"c{i}@example.com"},
                                        headers={"X-Forwarded-For": addr})
            assert status == 200, body
        status, _, body, _ = b.call("POST", "/api/auth/otp/request/", {"email": "c9@example.com"},
                                    headers={"X-Forwarded-For": "198.51.100.3"})
        assert status == 429, body
    finally:
        host.stop()


def test_a_bad_rate_limit_option_stops_start_up(tmp_path):
    out = subprocess.run([host_binary(), "serve", "--storage", f"sqlite://{tmp_path}/c.db", "--port", "0",
                          "--rate-limit", "otpp=5/m"], capture_output=True, text=True, timeout=30,
                         env={"CLASH_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 2
    assert "rate_limit" in out.stderr and "otpp" in out.stderr


def _bearer(host, token, path="/api/profiles/user/"):
    status, _, body = host.get_json(path, headers={"Authorization": f"Bearer {token}"})
    return status, body


def test_logout_ends_the_access_token_of_that_login_at_once(storage_url):
    host = Host(storage_url)
    try:
        b = Browser(host)
        b.login("ada@example.com")
        token = b.cookies["access_token"]
        other = Browser(host)
        other.login("ada@example.com")                       # the same user on another device
        assert _bearer(host, token)[0] == 200
        status, _, body, _ = b.call("POST", "/api/auth/logout/")
        assert status == 200
        status, body = _bearer(host, token)
        assert status == 401 and body["error"] == "Session has ended; please log in again"
        # A check-in with the old token is refused too (it was accepted for up to an hour before).
        status, _, body = host.request("POST", "/api/rewards/check-in/", headers={"Authorization": f"Bearer {token}"})
        assert status == 401
        # The other device's login is untouched.
        assert _bearer(host, other.cookies["access_token"])[0] == 200
        # A Bearer-only client (no refresh cookie) logs out with its access token alone.
        bearer_only = other.cookies["access_token"]
        status, _, _ = host.request("POST", "/api/auth/logout/", headers={"Authorization": f"Bearer {bearer_only}"})
        assert status == 200
        assert _bearer(host, bearer_only)[0] == 401
    finally:
        host.stop()


def test_refresh_token_reuse_ends_the_current_access_token_at_once(storage_url):
    host = Host(storage_url)
    try:
        b = Browser(host)
        b.login("ada@example.com")
        old_refresh = b.cookies["refresh_token"]
        status, _, _, _ = b.call("POST", "/api/auth/refresh/", {})
        assert status == 200
        current = b.cookies["access_token"]
        assert _bearer(host, current)[0] == 200
        thief = Browser(host)
        thief.cookies = {"refresh_token": old_refresh}
        status, _, _, _ = thief.call("POST", "/api/auth/refresh/", {})
        assert status == 401
        assert _bearer(host, current)[0] == 401
    finally:
        host.stop()


def test_blocking_ends_the_access_token_at_once(storage_url, tmp_path):
    host = Host(storage_url)
    try:
        b = Browser(host)
        body, _ = b.login("ada@example.com")
        token = b.cookies["access_token"]
        assert _bearer(host, token)[0] == 200
        with clash.open(storage_url, data_dir=tmp_path / "py-data") as engine:
            root = engine.auth.create_superuser("root", "root@example.com", "correct horse battery staple")
            engine.auth.set_active(root, body["user"]["id"], False)
        status, body = _bearer(host, token)
        assert status == 401 and body["error"] == "User account is disabled."
    finally:
        host.stop()


def _host_defaults():
    out = subprocess.run([host_binary(), "help"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    defaults = {}
    for flag, default in re.findall(r"^  --([a-z0-9-]+)[^\n]*\n[^\n]*default '([^']*)'\)$", out.stdout, re.M):
        defaults[flag.replace("-", "_")] = default
    return defaults


def test_host_and_python_share_one_set_of_engine_defaults(tmp_path):
    host = _host_defaults()
    options = clash.engine_options()
    names = {o["name"] for o in options}
    assert {"time_zone", "max_streak_freezes", "rate_limit", "judge_workers", "redis_url"} <= names
    for option in options:
        assert host[option["name"]] == option["default"], option["name"]
    assert host["time_zone"] == "UTC"
    # An engine opened from Python with no options runs on those defaults.
    with clash.open(f"sqlite://{tmp_path}/d.db", judge=False) as engine:
        assert engine.check_ins.time_zone == "UTC"
        assert engine.check_ins.max_freezes == int(host["max_streak_freezes"])
    # Python takes the host's option names and validates them in the library.
    with pytest.raises(clash.InvalidArgumentError, match="max_streak_freezes"):
        clash.open(f"sqlite://{tmp_path}/d.db", max_streak_freezes=1001)
    with pytest.raises(clash.InvalidArgumentError, match="rate_limit"):
        clash.open(f"sqlite://{tmp_path}/d.db", rate_limit="nope=1/m")
    with pytest.raises(clash.InvalidArgumentError, match="no_such_option"):
        clash.open(f"sqlite://{tmp_path}/d.db", no_such_option=1)
