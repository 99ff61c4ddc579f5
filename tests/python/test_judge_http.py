"""POST /api/judge/run/ against a real clash-host with the real sandbox judge: verdicts for staff,
back-pressure (503 + Retry-After) from a full judge queue, 401/403 for everyone else, bad input."""
import concurrent.futures
import http.client
import json
import os
import subprocess

import pytest

from hostutil import Host, host_binary

PASSWORD = "correct horse battery staple"
RUN = "/api/judge/run/"


class Client:
    """Cookie session (as the web client keeps it); sends Origin on unsafe requests (CSRF check)."""

    def __init__(self, host):
        self.host = host
        self.cookies = {}

    def call(self, method, path, body=None, raw=None, content_type="application/json", timeout=30):
        headers = {"Origin": self.host.origin()}
        if body is not None or raw is not None:
            headers["Content-Type"] = content_type
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.host.port, timeout=timeout)
        try:
            conn.request(method, path, body=raw if raw is not None else (json.dumps(body) if body is not None else None),
                         headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            for c in resp.headers.get_all("Set-Cookie") or []:
                name, _, rest = c.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return resp.status, resp.headers, (json.loads(data) if data else None)
        finally:
            conn.close()


def make_superuser(host):
    env = {**os.environ, "CLASH_SUPERUSER_PASSWORD": PASSWORD, "CLASH_DATA_DIR": host.data_dir}
    out = subprocess.run([host_binary(), "create-superuser", "--storage", host.storage, "--username", "root",
                          "--email", "root@example.com"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def staff_client(host):
    make_superuser(host)
    c = Client(host)
    status, _, body = c.call("POST", "/api/auth/admin/login/", {"username": "root", "password": PASSWORD})
    assert status == 200 and body["user"]["is_staff"] is True, body
    return c


def start_host(tmp_path, *args, env=None):
    return Host(f"sqlite://{tmp_path}/clash.db", "--rate-limits", "false", *args, env=env)


@pytest.fixture
def host(tmp_path):
    h = start_host(tmp_path)
    yield h
    h.stop()


ADD = "def add(a, b):\n    return a + b\n"
TESTS = "assert add(1, 2) == 3\nassert add(2, 2) == 4, 'two and two'\n"


def test_staff_runs_accepted_and_wrong_answer_submissions(host):
    c = staff_client(host)
    status, _, body = c.call("POST", RUN, {"language": "python3", "source": ADD, "test_code": TESTS})
    assert status == 200, body
    assert body["verdict"] == "accepted"
    assert body["tests_passed"] == 2 and body["tests_total"] == 2

    status, _, body = c.call("POST", RUN, {"language": "python3", "source": "def add(a, b):\n    return a * b\n",
                                           "test_code": TESTS})
    assert status == 200, body
    assert body["verdict"] == "wrong_answer"
    assert body["first_failure"]["index"] == 0 and body["first_failure"]["line"] == 1

    # stdin/expected cases and limits
    status, _, body = c.call("POST", RUN, {"language": "python3", "source": "print(int(input()) * 2)\n",
                                           "cases": [["21\n", "42\n"], ["5\n", "11\n"]],
                                           "limits": {"cpu_ms": 1000, "wall_ms": 3000}})
    assert status == 200, body
    assert body["verdict"] == "wrong_answer"
    assert body["tests_passed"] == 1 and body["first_failure"]["index"] == 1

    status, _, body = c.call("POST", RUN, {"language": "python3", "source": "while True:\n    pass\n",
                                           "limits": {"cpu_ms": 1000, "wall_ms": 3000}})
    assert status == 200 and body["verdict"] == "time_limit", body


def test_bad_input_is_400(host):
    c = staff_client(host)
    for bad in [{}, {"language": "python3"}, {"source": "x = 1"}, {"language": 3, "source": "x"},
                {"language": "python3", "source": "x", "cases": [["only stdin"]]},
                {"language": "python3", "source": "x", "cases": "nope"},
                {"language": "python3", "source": "x", "test_code": "assert x", "cases": [["", ""]]},
                {"language": "python3", "source": "x", "limits": {"cpu_ms": -1}},
                {"language": "python3", "source": "x", "limits": {"bogus": 1}},
                {"language": "cobol", "source": "x"},
                {"language": "python3", "source": "x", "limits": {"cpu_ms": 10_000_000}}]:
        status, _, body = c.call("POST", RUN, bad)
        assert status == 400, (bad, status, body)
        assert body["error"]
    status, _, body = c.call("POST", RUN, raw="{not json")
    assert status == 400
    status, _, body = c.call("POST", RUN, raw="language=python3", content_type="text/plain")
    assert status == 415


def test_full_queue_answers_503_with_retry_after(tmp_path):
    h = start_host(tmp_path, "--judge-workers", "1", "--judge-queue", "1")
    try:
        c = staff_client(h)
        slow = {"language": "python3", "source": "import time\ntime.sleep(2)\n", "limits": {"wall_ms": 10000}}
        with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
            results = list(pool.map(lambda _: c.call("POST", RUN, slow, timeout=60), range(5)))
        statuses = sorted(r[0] for r in results)
        assert statuses.count(503) >= 1, statuses
        assert statuses.count(200) >= 1, statuses
        assert set(statuses) <= {200, 503}, statuses
        for status, headers, body in results:
            if status == 503:
                assert int(headers["Retry-After"]) >= 1
                assert "full" in body["error"]
            else:
                assert body["verdict"] == "accepted"
    finally:
        h.stop()


def test_non_staff_is_403_and_anonymous_is_401(host):
    anon = Client(host)
    status, headers, body = anon.call("POST", RUN, {"language": "python3", "source": "x = 1\n"})
    assert status == 401 and "error" in body

    user = Client(host)
    status, _, body = user.call("POST", "/api/auth/otp/request/", {"email": "ada@example.com"})
    assert status == 200, body
    status, _, body = user.call("POST", "/api/auth/otp/verify/",
                                {"email": "ada@example.com", "otp": host.last_otp("ada@example.com")})
    assert status == 200 and body["user"]["is_staff"] is False, body
    status, _, body = user.call("POST", RUN, {"language": "python3", "source": "x = 1\n"})
    assert status == 403, body


def test_judge_disabled_answers_503_and_runs_nothing(tmp_path):
    h = start_host(tmp_path, "--judge", "false")
    try:
        c = staff_client(h)
        status, headers, body = c.call("POST", RUN, {"language": "python3", "source": "x = 1\n"})
        assert status == 503 and body["error"] == "judge unavailable"
        assert "Retry-After" in headers
    finally:
        h.stop()


def test_sandbox_that_cannot_start_is_logged_and_answers_503(tmp_path):
    h = start_host(tmp_path, env={"CLASH_BWRAP": str(tmp_path / "no-such-bwrap")})
    try:
        c = staff_client(h)
        status, _, body = c.call("POST", RUN, {"language": "python3", "source": "x = 1\n"})
        assert status == 503 and body["error"] == "judge unavailable"
    finally:
        _, _, err = h.stop()
    assert "judge unavailable: the sandbox cannot start" in err


def test_staff_runs_cases_as_data(host):
    c = staff_client(host)
    cases = {"mode": "function", "entry": "add", "cases": [
        {"args": [1, 2], "expected": 3, "public": True},
        {"args": [{"$int": "99999999999999999999"}, 1], "expected": {"$int": "100000000000000000000"}}]}
    status, _, body = c.call("POST", RUN, {"language": "python3", "source": ADD, "data_cases": cases})
    assert status == 200, body
    assert body["verdict"] == "accepted" and body["case_results"] == [{"passed": True, "public": True},
                                                                      {"passed": True, "public": False}]
    status, _, body = c.call("POST", RUN, {"language": "python3", "source": "def add(a, b):\n    return a * b\n",
                                           "data_cases": cases})
    assert status == 200 and body["verdict"] == "wrong_answer", body
    assert body["first_failure"]["public"] is True
    assert (body["first_failure"]["args"], body["first_failure"]["expected"], body["first_failure"]["actual"]) == \
        ([1, 2], 3, 2)
    status, _, body = c.call("POST", RUN, {"language": "python3", "source": ADD, "test_code": TESTS, "data_cases": cases})
    assert status == 400 and "only one of" in body["error"], body
