"""Identity over real HTTP against clash-host, on SQLite and PostgreSQL: the client contract's
login flow, cookies, Bearer tokens, CSRF/Origin, rate limits and bad input."""
import base64
import json
import os
import subprocess

import pytest

from hostutil import Host, host_binary


@pytest.fixture
def host(storage_url):
    h = Host(storage_url, "--load-levels")
    yield h
    h.stop()


class Browser:
    """Keeps cookies like the web client's axios instance (withCredentials) and sends Origin."""

    def __init__(self, host):
        self.host = host
        self.cookies = {}

    def call(self, method, path, body=None, origin=True, headers=None):
        hdrs = {"Content-Type": "application/json"} if body is not None else {}
        if origin:
            hdrs["Origin"] = self.host.origin()
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        hdrs.update(headers or {})
        conn_body = json.dumps(body) if body is not None else None
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.host.port, timeout=10)
        conn.request(method, path, body=conn_body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        set_cookies = resp.headers.get_all("Set-Cookie") or []
        for c in set_cookies:
            name, _, rest = c.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in c:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        conn.close()
        return resp.status, resp.headers, (json.loads(data) if data else None), set_cookies

    def login(self, email):
        status, _, body, _ = self.call("POST", "/api/auth/otp/request/", {"email": email})
        assert status == 200, body
        code = self.host.last_otp(email.strip().lower())
        status, _, body, cookies = self.call("POST", "/api/auth/otp/verify/", {"email": email, "otp": code})
        assert status == 200, body
        return body, cookies


def jwt_payload(token):
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_client_login_flow_end_to_end(host):
    b = Browser(host)
    # The session probe before login is a 401.
    status, headers, body, _ = b.call("GET", "/api/profiles/user/")
    assert status == 401
    assert headers["WWW-Authenticate"] == "Bearer"
    body, cookies = b.login("Ada@Example.com")
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["username"] == "ada"
    assert set(body["user"]) == {"id", "username", "email", "first_name", "last_name", "profile", "followers_count",
                                 "following_count", "is_staff", "is_superuser", "is_active"}
    assert set(body["user"]["profile"]) == {"avatar_url", "banner_url", "bio", "xp", "referral_code", "is_referred",
                                            "created_at", "streak_freezes", "active_theme", "active_font",
                                            "active_effect", "active_victory", "provider"}
    access = [c for c in cookies if c.startswith("access_token=")][0]
    refresh = [c for c in cookies if c.startswith("refresh_token=")][0]
    for c, max_age in ((access, 3600), (refresh, 604800)):
        assert f"Max-Age={max_age}" in c
        assert "HttpOnly" in c and "Path=/" in c and "SameSite=Lax" in c and "Secure" in c
    claims = jwt_payload(b.cookies["access_token"])
    assert claims["type"] == "access" and claims["username"] == "ada" and len(claims["jti"]) == 32
    assert "email" not in claims
    # The session probe with cookies.
    status, _, me, _ = b.call("GET", "/api/profiles/user/")
    assert status == 200 and me["username"] == "ada" and me["profile"]["provider"] == "email"
    # Refresh on 401: the client posts {} with the refresh cookie; both cookies rotate.
    old_refresh = b.cookies["refresh_token"]
    status, _, body, cookies = b.call("POST", "/api/auth/refresh/", {})
    assert status == 200 and body["user"]["username"] == "ada"
    assert b.cookies["refresh_token"] != old_refresh
    status, _, me, _ = b.call("GET", "/api/profiles/user/")
    assert status == 200
    # Replaying the old refresh token revokes the family: the current one dies too.
    thief = Browser(host)
    thief.cookies = {"refresh_token": old_refresh}
    status, _, body, _ = thief.call("POST", "/api/auth/refresh/", {})
    assert status == 401
    status, _, body, _ = b.call("POST", "/api/auth/refresh/", {})
    assert status == 401
    # Logout clears the cookies.
    b.login("ada@example.com")
    status, _, body, cookies = b.call("POST", "/api/auth/logout/")
    assert status == 200 and body == {"message": "Successfully logged out"}
    assert any(c.startswith("access_token=;") and "Max-Age=0" in c for c in cookies)
    assert b.cookies == {}


def test_jwks_publishes_the_signing_key(host):
    b = Browser(host)
    b.login("ada@example.com")
    status, _, jwks, _ = b.call("GET", "/api/auth/jwks.json")
    assert status == 200
    header = json.loads(base64.urlsafe_b64decode(b.cookies["access_token"].split(".")[0] + "=="))
    assert header["alg"] == "RS256"
    assert header["kid"] in [k["kid"] for k in jwks["keys"]]
    assert all("d" not in k for k in jwks["keys"])


def test_bearer_tokens_work_and_bad_ones_are_401(host):
    b = Browser(host)
    b.login("ada@example.com")
    token = b.cookies["access_token"]
    anon = Browser(host)
    status, _, me, _ = anon.call("GET", "/api/profiles/user/", headers={"Authorization": f"Bearer {token}"})
    assert status == 200 and me["username"] == "ada"
    header, payload, sig = token.split(".")
    forged_payload = base64.urlsafe_b64encode(
        json.dumps({**jwt_payload(token), "user_id": 999}).encode()).decode().rstrip("=")
    none_header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).decode().rstrip("=")
    for bad in ["garbage", f"{header}.{forged_payload}.{sig}", f"{none_header}.{payload}.", token + "x",
                b.cookies["refresh_token"]]:
        status, _, body, _ = anon.call("GET", "/api/profiles/user/", headers={"Authorization": f"Bearer {bad}"})
        assert status == 401, bad
    status, _, body, _ = anon.call("GET", "/api/profiles/user/", headers={"Authorization": f"Token {token}"})
    assert status == 401
    # A garbled cookie counts as anonymous: public routes still answer.
    anon.cookies = {"access_token": "garbage"}
    status, _, body, _ = anon.call("GET", "/api/challenges/")
    assert status == 200


def test_cross_origin_cookie_posts_are_refused(host):
    b = Browser(host)
    b.login("ada@example.com")
    status, _, body, _ = b.call("POST", "/api/auth/logout/", headers={"Origin": "https://evil.example"})
    assert status == 403 and "CSRF" in body["error"]
    status, _, body, _ = b.call("POST", "/api/auth/logout/", origin=False)
    assert status == 403
    status, _, body, _ = b.call("POST", "/api/auth/logout/", origin=False,
                                headers={"Referer": host.origin() + "/home"})
    assert status == 200
    # Bearer requests carry no ambient credentials and are exempt.
    b.login("ada@example.com")
    token = b.cookies["access_token"]
    anon = Browser(host)
    status, _, body, _ = anon.call("DELETE", "/api/auth/user/delete/", origin=False,
                                   headers={"Authorization": f"Bearer {token}", "Origin": "https://evil.example"})
    assert status == 200 and body == {"message": "Account deleted successfully"}
    status, _, body, _ = anon.call("GET", "/api/profiles/user/", headers={"Authorization": f"Bearer {token}"})
    assert status == 401


def test_no_cross_origin_read_is_granted(host):
    # The SPA is served from the host's own origin: no response may carry CORS grants, so another
    # site can neither read a logged-in user's data nor pass a preflight for a credentialed call.
    b = Browser(host)
    b.login("ada@example.com")
    evil = {"Origin": "https://evil.example"}
    status, headers, me, _ = b.call("GET", "/api/profiles/user/", origin=False, headers=evil)
    assert status == 200 and me["username"] == "ada"
    status, preflight, _, _ = b.call("OPTIONS", "/api/auth/user/delete/", origin=False,
                                     headers={**evil, "Access-Control-Request-Method": "DELETE"})
    assert status == 405
    for h in (headers, preflight):
        assert not [k for k in h.keys() if k.lower().startswith("access-control-")], dict(h)


@pytest.fixture
def unlimited_host(storage_url):
    h = Host(storage_url, "--rate-limits=false")
    yield h
    h.stop()


def test_otp_bad_input(unlimited_host):
    host = unlimited_host
    b = Browser(host)
    for bad in [{"email": "not-an-email"}, {"email": "a" * 300 + "@x.com"}, {"email": 5}, {}]:
        status, _, body, _ = b.call("POST", "/api/auth/otp/request/", bad)
        assert status == 400, bad
        assert "error" in body
    status, _, body, _ = b.call("POST", "/api/auth/otp/request/", body=None, headers={"Content-Type": "text/plain"})
    assert status == 400
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", host.port, timeout=10)
    conn.request("POST", "/api/auth/otp/request/", body="email=a@b.com",
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": host.origin()})
    resp = conn.getresponse()
    assert resp.status == 415
    assert json.loads(resp.read()) == {"error": "Content-Type must be application/json."}
    conn.request("POST", "/api/auth/otp/request/", body="{not json",
                 headers={"Content-Type": "application/json", "Origin": host.origin()})
    resp2 = conn.getresponse()
    assert resp2.status == 400
    assert json.loads(resp2.read()) == {"error": "Request body must be a JSON object."}
    b.call("POST", "/api/auth/otp/request/", {"email": "ada@example.com"})
    status, _, body, _ = b.call("POST", "/api/auth/otp/verify/", {"email": "ada@example.com", "otp": "12345"})
    assert status == 400 and body == {"error": "Invalid or expired OTP."}


def test_otp_requests_are_rate_limited_per_ip_with_retry_after(storage_url):
    host = Host(storage_url, "--rate-limit", "otp=5/1m")
    b = Browser(host)
    for i in range(5):
        status, _, body, _ = b.call("POST", "/api/auth/otp/request/", {"email": f"u{i}@example.com"})
        assert status == 200
    status, headers, body, _ = b.call("POST", "/api/auth/otp/request/", {"email": "u9@example.com"})
    assert status == 429
    assert 1 <= int(headers["Retry-After"]) <= 60
    assert body == {"error": "Too many requests. Please try again later."}
    host.stop()


def test_admin_login_and_create_superuser(host, storage_url):
    env = {**os.environ, "CLASH_SUPERUSER_PASSWORD": "correct horse battery staple", "CLASH_DATA_DIR": host.data_dir}
    out = subprocess.run([host_binary(), "create-superuser", "--storage", storage_url, "--username", "root",
                          "--email", "root@example.com"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "correct horse" not in out.stderr
    b = Browser(host)
    status, _, body, _ = b.call("POST", "/api/auth/admin/login/", {"username": "root", "password": "wrong"})
    assert status == 400 and body == {"error": "Unable to log in with provided credentials."}
    status, _, body, _ = b.call("POST", "/api/auth/admin/login/",
                                {"username": "root", "password": "correct horse battery staple"})
    assert status == 200 and body["user"]["is_superuser"] is True
    status, _, me, _ = b.call("GET", "/api/profiles/user/")
    assert me["is_staff"] is True
    # The last superuser cannot delete itself.
    status, _, body, _ = b.call("DELETE", "/api/auth/user/delete/")
    assert status == 400 and "last active superuser" in body["error"]
    out = subprocess.run([host_binary(), "create-superuser", "--storage", storage_url, "--username", "root",
                          "--email", "root2@example.com"], env=env, capture_output=True, text=True)
    assert out.returncode == 1 and "already_exists" in out.stderr


def test_two_hosts_share_rate_limits_through_redis(storage_url):
    redis_url = os.environ.get("CLASH_TEST_REDIS_URL")
    if not redis_url:
        pytest.fail("needs CLASH_TEST_REDIS_URL (use scripts/test.sh)")
    # A fresh Redis database index keeps other tests' counters out of the way.
    hosts = [Host(storage_url, "--redis-url", redis_url + "/3", "--rate-limit", "otp=5/1m") for _ in range(2)]
    try:
        import subprocess as sp
        sp.run(["redis-cli", "-u", redis_url + "/3", "FLUSHDB"], check=True, capture_output=True)
        statuses = []
        for i in range(6):
            b = Browser(hosts[i % 2])
            status, headers, body, _ = b.call("POST", "/api/auth/otp/request/", {"email": f"shared{i}@example.com"})
            statuses.append(status)
        assert statuses == [200, 200, 200, 200, 200, 429]
    finally:
        for h in hosts:
            h.stop()


def test_websocket_upgrades_need_an_allowed_origin(tmp_path):
    h = Host(f"sqlite://{tmp_path}/clash.db", "--enable-test-routes")
    try:
        def upgrade(origin):
            head = ("GET /ws/test/echo HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n" % h.port)
            if origin:
                head += f"Origin: {origin}\r\n"
            import socket
            sock = socket.create_connection(("127.0.0.1", h.port), timeout=5)
            sock.sendall((head + "\r\n").encode())
            status = int(sock.recv(4096).split(b" ")[1])
            sock.close()
            return status
        assert upgrade("https://evil.example") == 403
        assert upgrade(f"http://127.0.0.1:{h.port}") == 101
        assert upgrade(None) == 101
    finally:
        h.stop()
