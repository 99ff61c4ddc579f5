"""The WebSocket reactor holds no thread per socket.

Starts the real `clash-host serve` (path in CLASH_HOST_BIN), opens 2,000 idle WebSocket
connections to the test route GET /ws/test/echo (handshake written by hand, stdlib only), checks
that every one upgraded (101 with the right Sec-WebSocket-Accept), that echo still works on a few
of them, and that the host's thread count (/proc/PID/status "Threads:") stays <= 64. Prints the
host's RSS growth per idle socket.

    CLASH_HOST_BIN=build/host/clash-host /usr/bin/python3 -m pytest -s tests/python/test_ws_idle_sockets.py

CLASH_WS_IDLE_SOCKETS overrides the number of sockets (default 2000).
"""

import base64
import hashlib
import os
import re
import resource
import signal
import socket
import struct
import subprocess
import threading
import time

import pytest

SOCKETS = int(os.environ.get("CLASH_WS_IDLE_SOCKETS", "2000"))
MAX_THREADS = 64
BATCH = 40  # handshakes in flight at once (stays under the HTTP server's accept queue)
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _raise_nofile(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        pytest.fail(f"RLIMIT_NOFILE {soft} < {needed}: raise the hard limit (ulimit -Hn)")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status_field(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")


def _mask(payload, key):
    return bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def _client_frame(opcode, payload):
    key = os.urandom(4)
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    return head + key + _mask(payload, key)


class Client:
    """One WebSocket client on a raw socket."""

    def __init__(self, port):
        self.key = base64.b64encode(os.urandom(16)).decode()
        self.buf = b""
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)

    def send_handshake(self, port):
        self.sock.sendall(
            (
                f"GET /ws/test/echo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {self.key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://127.0.0.1:{port}\r\n\r\n"
            ).encode()
        )

    def read_handshake(self):
        """Returns (status, headers dict)."""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers

    def expected_accept(self):
        return base64.b64encode(hashlib.sha1((self.key + GUID).encode()).digest()).decode()

    def _need(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk

    def recv_frame(self):
        """Returns (opcode, payload) of the next server frame (unmasked)."""
        self._need(2)
        b0, b1 = self.buf[0], self.buf[1]
        assert b1 & 0x80 == 0, "server frames must not be masked"
        n, off = b1 & 0x7F, 2
        if n == 126:
            self._need(4)
            n, off = struct.unpack("!H", self.buf[2:4])[0], 4
        elif n == 127:
            self._need(10)
            n, off = struct.unpack("!Q", self.buf[2:10])[0], 10
        self._need(off + n)
        payload, self.buf = self.buf[off : off + n], self.buf[off + n :]
        return b0 & 0x0F, payload

    def echo(self, text):
        self.sock.sendall(_client_frame(0x1, text.encode()))
        while True:
            opcode, payload = self.recv_frame()
            if opcode == 0x9:  # a keepalive ping: answer it and keep waiting
                self.sock.sendall(_client_frame(0xA, payload))
                continue
            assert opcode == 0x1, f"expected text, got opcode {opcode}"
            return payload.decode()

    def close(self):
        try:
            self.sock.sendall(_client_frame(0x8, struct.pack("!H", 1000)))
        except OSError:
            pass
        self.sock.close()


@pytest.fixture
def host(tmp_path):
    binary = os.environ.get("CLASH_HOST_BIN")
    if not binary:
        pytest.fail("set CLASH_HOST_BIN to the clash-host binary (scripts/test.sh does)")
    _raise_nofile(SOCKETS + 512)  # the child inherits the raised limit
    port = _free_port()
    stderr = open(tmp_path / "host.stderr", "wb")
    proc = subprocess.Popen(
        [binary, "serve", "--port", str(port), "--storage", f"sqlite:///{tmp_path}/ws.db",
         "--enable-test-routes", "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE, stderr=stderr,
    )
    listening = threading.Event()
    found = {}

    def drain():  # read stdout forever so host logging can never block on a full pipe
        for raw in proc.stdout:
            m = re.search(rb"listening on http://127\.0\.0\.1:(\d+)", raw)
            if m and not listening.is_set():
                found["port"] = int(m.group(1))
                listening.set()

    threading.Thread(target=drain, daemon=True).start()
    if not listening.wait(30):
        proc.kill()
        stderr.close()
        pytest.fail("host did not print 'listening on': " + (tmp_path / "host.stderr").read_text()[-2000:])
    yield proc, found["port"]
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    stderr.close()


def _open_all(port, count):
    clients = []
    for start in range(0, count, BATCH):
        batch = [Client(port) for _ in range(min(BATCH, count - start))]
        for c in batch:
            c.send_handshake(port)
        for c in batch:
            status, headers = c.read_handshake()
            assert status == 101, f"socket {len(clients)}: status {status}"
            assert headers.get("sec-websocket-accept") == c.expected_accept()
            clients.append(c)
    return clients


def test_idle_websockets_hold_no_threads(host):
    proc, port = host
    pid = proc.pid

    warm = _open_all(port, 1)[0]  # first upgrade: lazy init, pool threads, etc.
    assert warm.echo("warm-up") == "warm-up"
    time.sleep(0.5)
    rss_before = _status_field(pid, "VmRSS")
    threads_before = _status_field(pid, "Threads")

    t0 = time.monotonic()
    clients = _open_all(port, SOCKETS)
    open_seconds = time.monotonic() - t0
    time.sleep(1.0)  # let the loop register the last sockets and the HTTP pool settle

    threads = _status_field(pid, "Threads")
    rss_after = _status_field(pid, "VmRSS")
    per_socket = (rss_after - rss_before) * 1024 / SOCKETS
    print(
        f"\n{SOCKETS} idle sockets opened in {open_seconds:.2f}s; host threads {threads_before} -> {threads}; "
        f"RSS {rss_before} -> {rss_after} KiB (~{per_socket:.0f} bytes per idle socket)"
    )
    assert len(clients) == SOCKETS
    assert threads <= MAX_THREADS, f"host has {threads} threads with {SOCKETS} idle sockets"

    for i in (0, SOCKETS // 2, SOCKETS - 1):
        assert clients[i].echo(f"echo {i}") == f"echo {i}"
    assert warm.echo("still alive") == "still alive"
    assert proc.poll() is None, "host died"

    for c in clients:
        c.close()
    warm.close()
    # The host survives 2,000 closes and still upgrades.
    fresh = _open_all(port, 1)[0]
    assert fresh.echo("after") == "after"
    fresh.close()
    assert _status_field(pid, "Threads") <= MAX_THREADS
