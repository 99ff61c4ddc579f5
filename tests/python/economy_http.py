"""Clients for the economy's HTTP tests: a cookie session like the web client's, logins through the
OTP flow, a staff session through create-superuser + admin login, and XP grants through the staff
route POST /api/admin/users/{username}/xp/."""
import http.client
import json
import os
import subprocess
import uuid

from hostutil import host_binary

STAFF_PASSWORD = "correct horse battery staple"


class Client:
    """Keeps cookies as the web client's axios instance does and sends the host's Origin on every
    request (the CSRF check wants it on cookie-authenticated unsafe requests)."""

    def __init__(self, host, origin=True):
        self.host = host
        self.cookies = {}
        self.origin = origin
        self.user = None

    def call(self, method, path, body=None, raw=None, headers=None):
        hdrs = {}
        if self.origin:
            hdrs["Origin"] = self.host.origin()
        if body is not None or raw is not None:
            hdrs["Content-Type"] = "application/json"
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        hdrs.update(headers or {})
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        conn = http.client.HTTPConnection("127.0.0.1", self.host.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            for c in resp.headers.get_all("Set-Cookie") or []:
                name, _, rest = c.partition("=")
                if "Max-Age=0" in c:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = rest.split(";", 1)[0]
            return resp.status, resp.headers, (json.loads(payload) if payload else None)
        finally:
            conn.close()

    def get(self, path):
        status, _, body = self.call("GET", path)
        return status, body

    def post(self, path, body=None):
        status, _, out = self.call("POST", path, body if body is not None else {})
        return status, out


def login(host, email=None):
    """A signed-in Client for `email` (default: a fresh address); .user holds the login's user JSON."""
    email = email or f"p{uuid.uuid4().hex[:10]}@example.com"
    c = Client(host)
    status, body = c.post("/api/auth/otp/request/", {"email": email})
    assert status == 200, body
    status, body = c.post("/api/auth/otp/verify/", {"email": email, "otp": host.last_otp(email)})
    assert status == 200, body
    c.user = body["user"]
    return c


def staff(host, username="root"):
    """A signed-in superuser Client (created with `clash-host create-superuser` on the host's storage)."""
    env = {**os.environ, "CLASH_SUPERUSER_PASSWORD": STAFF_PASSWORD, "CLASH_DATA_DIR": host.data_dir}
    out = subprocess.run([host_binary(), "create-superuser", "--storage", host.storage, "--username", username,
                          "--email", f"{username}@example.com"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    c = Client(host)
    status, body = c.post("/api/auth/admin/login/", {"username": username, "password": STAFF_PASSWORD})
    assert status == 200 and body["user"]["is_staff"] is True, body
    c.user = body["user"]
    return c


def grant_xp(staff_client, username, amount, key=None):
    """Gives `username` XP through the staff route; returns the response body."""
    status, body = staff_client.post(f"/api/admin/users/{username}/xp/", {
        "amount": amount, "reason": "test grant", "idempotency_key": key or uuid.uuid4().hex})
    assert status == 200, body
    return body


def profile_xp(client):
    status, me = client.get("/api/profiles/user/")
    assert status == 200, me
    return me["profile"]["xp"]
