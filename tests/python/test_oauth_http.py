"""GitHub/Google login through the real clash-host, against a fake provider on 127.0.0.1.

The browser side is played exactly as the unmodified SPA does it (client-contract.md section 3): GET
/api/auth/github/?state=<48 hex> -> {url}; the popup visits url and the provider redirects to
/auth/github/callback?code&state; the SPA checks state against what it stored, then POSTs {code}.
The only thing the SPA does not do itself is keep cookies, which the browser does: here, by hand.
"""
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from hostutil import Host


class FakeGitHub:
    """/login/oauth/authorize (302 back with a fresh code), /login/oauth/access_token, /user, /user/emails."""

    def __init__(self):
        self.codes = {}    # code -> login
        self.tokens = {}   # token -> login
        self.token_forms = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body, headers=()):
                data = json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/login/oauth/authorize":
                    code = secrets.token_hex(8)
                    fake.codes[code] = "octocat"
                    target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
                    return self.reply(302, {}, [("Location", target)])
                login = fake.tokens.get(self.headers.get("Authorization", "")[len("Bearer "):])
                if login is None:
                    return self.reply(401, {"message": "Bad credentials"})
                if url.path == "/user":
                    return self.reply(200, {"id": 583231, "login": login, "name": "Octo Cat", "email": None,
                                            "avatar_url": "https://avatars.example/octocat.png"})
                if url.path == "/user/emails":
                    return self.reply(200, [{"email": "octo@example.com", "primary": True, "verified": True}])
                self.reply(404, {"message": "Not Found"})

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                fake.token_forms.append(form)
                login = fake.codes.pop(form.get("code"), None)
                if login is None:
                    return self.reply(200, {"error": "bad_verification_code",
                                            "error_description": "The code passed is incorrect or expired."})
                token = secrets.token_hex(8)
                fake.tokens[token] = login
                self.reply(200, {"access_token": token, "token_type": "bearer", "scope": "user:email"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def github():
    fake = FakeGitHub()
    yield fake
    fake.close()


@pytest.fixture
def host(storage_url, github):
    h = Host(storage_url, "--github-client-id", "gh-client", "--github-client-secret", "gh-secret",
             "--oauth-github-base-url", github.base, "--cookie-secure", "false")
    yield h
    h.stop()


def set_cookies(headers_list):
    """name -> value of every Set-Cookie in a response."""
    out = {}
    for k, v in headers_list:
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            out[name] = (rest.split(";", 1)[0], v)
    return out


def request(host, method, path, body=None, headers=None):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", host.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.getheaders(), json.loads(data) if data else None
    finally:
        conn.close()


def start_flow(host):
    """The SPA's GET with its own state; returns (client_state, url, flow cookie)."""
    client_state = secrets.token_hex(24)
    status, headers, body = request(host, "GET", f"/api/auth/github/?state={client_state}",
                                    headers={"Referer": host.origin() + "/login"})
    assert status == 200, body
    cookies = set_cookies(headers)
    value, raw = cookies["oauth_state_github"]
    assert "HttpOnly" in raw and "SameSite=Lax" in raw and "Path=/api/auth/" in raw and "Max-Age=600" in raw
    assert body["state"] == client_state
    return client_state, body["url"], value


def popup(url):
    """The popup: visit the provider, which redirects back to the SPA's callback route."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url, timeout=10)
    except urllib.error.HTTPError as e:
        assert e.code == 302
        return urlparse(e.headers["Location"])
    raise AssertionError("the provider did not redirect")


def test_popup_flow_as_the_unmodified_client_runs_it(host, github):
    client_state, url, flow_cookie = start_flow(host)
    parsed = urlparse(url)
    q = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == github.base + "/login/oauth/authorize"
    assert q == {"client_id": "gh-client", "redirect_uri": host.origin() + "/auth/github/callback",
                 "scope": "user:email", "state": client_state}

    back = popup(url)
    assert back.path == "/auth/github/callback"
    back_q = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert back_q["state"] == client_state   # the SPA's own check still passes

    status, headers, body = request(host, "POST", "/api/auth/github/callback/",
                                    body=json.dumps({"code": back_q["code"]}),
                                    headers={"Content-Type": "application/json", "Origin": host.origin(),
                                             "Cookie": f"oauth_state_github={flow_cookie}"})
    assert status == 200, body
    assert body["user"]["username"] == "octocat"
    assert body["user"]["email"] == "octo@example.com"
    assert body["user"]["profile"]["provider"] == "github"
    cookies = set_cookies(headers)
    assert cookies["oauth_state_github"][0] == ""          # one flow, one callback
    assert "Max-Age=0" in cookies["oauth_state_github"][1]
    access = cookies["access_token"][0]
    assert access and cookies["refresh_token"][0]
    form = github.token_forms[-1]
    assert form["client_secret"] == "gh-secret" and form["grant_type"] == "authorization_code"
    assert form["redirect_uri"] == host.origin() + "/auth/github/callback"

    status, _, me = request(host, "GET", "/api/profiles/user/", headers={"Cookie": f"access_token={access}"})
    assert status == 200
    assert me["username"] == "octocat" and me["id"] == body["user"]["id"]


def test_callback_without_the_flows_cookie_or_with_another_state_is_refused(host, github):
    client_state, url, flow_cookie = start_flow(host)
    code = parse_qs(popup(url).query)["code"][0]
    json_headers = {"Content-Type": "application/json", "Origin": host.origin()}
    # No cookie: a code alone (login CSRF: the attacker's code posted from the victim's browser).
    status, _, body = request(host, "POST", "/api/auth/github/callback/", body=json.dumps({"code": code}),
                              headers=json_headers)
    assert status == 400
    assert body == {"error": "Invalid or expired OAuth state."}
    # A forged cookie.
    status, _, body = request(host, "POST", "/api/auth/github/callback/", body=json.dumps({"code": code}),
                              headers={**json_headers, "Cookie": f"oauth_state_github={flow_cookie[:-2]}xx"})
    assert status == 400 and body == {"error": "Invalid or expired OAuth state."}
    # The right cookie but a state that is not the flow's.
    status, _, body = request(host, "POST", "/api/auth/github/callback/",
                              body=json.dumps({"code": code, "state": "f" * 48}),
                              headers={**json_headers, "Cookie": f"oauth_state_github={flow_cookie}"})
    assert status == 400 and body == {"error": "Invalid or expired OAuth state."}
    # None of the refused callbacks reached the provider.
    assert all(f.get("code") != code for f in github.token_forms)
    # A provider refusal is passed on as the reference does.
    status, _, body = request(host, "POST", "/api/auth/github/callback/",
                              body=json.dumps({"code": "stale", "state": client_state}),
                              headers={**json_headers, "Cookie": f"oauth_state_github={flow_cookie}"})
    assert status == 400
    assert body["error"] == "bad_verification_code"


def test_unconfigured_provider_is_503(host):
    status, _, body = request(host, "GET", "/api/auth/google/?state=" + "a" * 48)
    assert status == 503
    assert body == {"error": "Google login is not configured."}
