"""Helpers for tests that run the real clash-host binary and real databases."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import uuid
import http.client
from urllib.parse import urlparse

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def host_binary():
    path = os.environ.get("CLASH_HOST_BIN", os.path.join(REPO, "build", "host", "clash-host"))
    if not os.path.exists(path):
        raise RuntimeError(f"clash-host not found at {path}; set CLASH_HOST_BIN")
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_server_url():
    url = os.environ.get("CLASH_TEST_POSTGRES_URL", "")
    if not url and os.environ.get("CLASH_REQUIRE_POSTGRES") == "1":
        raise RuntimeError("CLASH_REQUIRE_POSTGRES=1 but CLASH_TEST_POSTGRES_URL is not set")
    return url or None


def psql(server_url, sql):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server_url, "-c", sql],
                   check=True, capture_output=True, text=True)


class ScratchPostgres:
    """A fresh database on the test server, dropped on close()."""

    def __init__(self, server_url):
        self.server_url = server_url
        self.name = "clash_py_" + uuid.uuid4().hex[:12]
        psql(server_url, f"CREATE DATABASE {self.name}")
        parsed = urlparse(server_url)
        self.url = parsed._replace(path="/" + self.name).geturl()

    def close(self):
        psql(self.server_url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


class Host:
    """A clash-host process serving on a free port until stop()."""

    def __init__(self, storage, *extra, env=None, data_dir=None, port=None):
        import tempfile
        self.port = port or free_port()
        self.storage = storage
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="clash-host-data-")
        args = [host_binary(), "serve", "--storage", storage, "--port", str(self.port), *extra]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "CLASH_DATA_DIR": self.data_dir, **(env or {})})
        line = self.proc.stdout.readline()
        if not line.startswith("listening on http://"):
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.proc.kill()
            raise RuntimeError(f"clash-host did not start: {line!r} {err}")
        self.base = line.split(" ", 2)[2].strip()

    def request(self, method, path, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), data
        finally:
            conn.close()

    def get_json(self, path, **kw):
        status, headers, data = self.request("GET", path, **kw)
        return status, headers, json.loads(data) if data else None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        out, err = self.proc.communicate()
        return self.proc.returncode, out, err

    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def last_otp(self, email):
        """The code in the newest mail to `email` in the host's file outbox."""
        import email as email_lib
        import glob
        import re
        files = sorted(glob.glob(os.path.join(self.data_dir, "outbox", "*.eml")))
        for path in reversed(files):
            with open(path, "rb") as f:
                msg = email_lib.message_from_binary_file(f)
            if msg["To"] != email:
                continue
            body = msg.get_payload(decode=True).decode()
            m = re.search(r"code is ([0-9]{6})", body)
            if m:
                return m.group(1)
        raise AssertionError(f"no OTP mail for {email}")


class Redis:
    """A redis-server of the test's own (scripts/redis-start.sh in a temporary directory), so it can be
    stopped and restarted on the same port; stop() when done."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="clash-redis-")
        self.url = self._start()
        self.port = self.url.rsplit(":", 1)[1]

    def _start(self, port=None):
        args = [os.path.join(REPO, "scripts", "redis-start.sh"), self.dir] + ([port] if port else [])
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()

    def stop(self):
        subprocess.run([os.path.join(REPO, "scripts", "redis-stop.sh"), self.dir], check=True, capture_output=True)

    def start_again(self):
        assert self._start(self.port) == self.url


def raw_exchange(port, head, body_chunks=(), timeout=10):
    """Sends `head` (bytes) and then body chunks, tolerating the server closing early (as it does
    after a 413), and returns (status, headers, body) of the response."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        sock.sendall(head)
        for chunk in body_chunks:
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
        data = b""
        while True:
            try:
                got = sock.recv(65536)
            except ConnectionResetError:
                break
            if not got:
                break
            data += got
            if b"\r\n\r\n" in data:
                head_part, _, rest = data.partition(b"\r\n\r\n")
                length = [l for l in head_part.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if length and len(rest) >= int(length[0].split(b":")[1]):
                    break
    finally:
        sock.close()
    head_part, _, body = data.partition(b"\r\n\r\n")
    lines = head_part.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body
