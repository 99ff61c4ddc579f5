"""Slow and idle clients cannot hold clash-host's HTTP workers.

Was (Poco HTTPServer, a thread per connection): 48 connections that send nothing held every
worker, and every other request, even /health/, waited until the server dropped them (~30 s);
slowloris at 1 byte/s and slow bodies did the same. Here 1,000 silent connections, slowloris heads
and slow bodies stay open while normal requests are answered; the host's thread count stays within
its loops plus the worker pool. No latency is asserted (benchmarks measure that): the normal
requests must simply be answered while the slow clients are still connected.
"""
import json
import os
import resource
import socket
import threading

import pytest

from hostutil import Host
from rawhttp import RawConn

SILENT = 1000
SLOWLORIS = 20
SLOW_BODIES = 20
WORKERS = 4
LOOPS = 2


def _raise_nofile(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < needed:
        pytest.fail(f"RLIMIT_NOFILE below {needed}: raise the hard limit (ulimit -Hn)")


def _status_field(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(field)


class Trickler:
    """Sends one byte per round to each socket from one thread, until stopped."""

    def __init__(self, socks_and_payloads):
        self.items = [[s, p, 0] for s, p in socks_and_payloads]
        self.stop = threading.Event()
        self.rounds = 0
        self.cv = threading.Condition()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.wait(0.05):
            for item in self.items:
                sock, payload, sent = item
                if sent < len(payload):
                    try:
                        sock.send(payload[sent:sent + 1])
                    except OSError:
                        continue
                    item[2] += 1
            with self.cv:
                self.rounds += 1
                self.cv.notify_all()

    def wait_rounds(self, n, timeout=60):
        with self.cv:
            return self.cv.wait_for(lambda: self.rounds >= n, timeout)

    def halt(self):
        self.stop.set()
        self.thread.join(10)


def test_silent_slowloris_and_slow_body_clients_do_not_stop_other_requests(tmp_path):
    _raise_nofile(SILENT + SLOWLORIS + SLOW_BODIES + 512)
    # Deadlines far beyond the test, so every slow client is still connected while we measure.
    h = Host(f"sqlite://{tmp_path}/clash.db", "--load-levels", "--enable-test-routes", "--head-timeout-ms", "300000",
             "--keep-alive-timeout", "300", "--http-threads", str(WORKERS), "--loop-threads", str(LOOPS),
             "--access-log=false")
    silent, slow = [], []
    trickler = None
    try:
        assert h.get_json("/health/")[0] == 200
        threads_before = _status_field(h.proc.pid, "Threads")
        rss_before = _status_field(h.proc.pid, "VmRSS")
        silent = [RawConn(h.port) for _ in range(SILENT)]
        lori = [RawConn(h.port) for _ in range(SLOWLORIS)]
        bodies = [RawConn(h.port) for _ in range(SLOW_BODIES)]
        for b in bodies:
            b.send(b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   b"Content-Length: 100000\r\n\r\n{")
        slow = lori + bodies
        trickler = Trickler([(c.sock, b"GET /health/ HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: a\r\n" * 1000)
                             for c in lori] + [(c.sock, b"x" * 99999) for c in bodies])
        assert trickler.wait_rounds(10), "the trickling thread did not run"

        # Normal traffic: fresh connections and one keep-alive connection, reads and a body.
        for i in range(30):
            status, _, body = h.get_json("/api/challenges/")
            assert status == 200 and len(body) == 3
            status, _, data = h.request("POST", "/api/test/echo/", body=b"z" * 1000)
            assert status == 200 and json.loads(data) == {"bytes": 1000}
        keep = RawConn(h.port)
        for i in range(30):
            keep.send(b"GET /health/ HTTP/1.1\r\nHost: x\r\n\r\n")
            assert keep.read_response().status == 200
        keep.close()

        threads = _status_field(h.proc.pid, "Threads")
        rss_after = _status_field(h.proc.pid, "VmRSS")
        print(f"\n{SILENT} silent + {len(slow)} slow connections: host threads {threads_before} -> {threads}, "
              f"RSS {rss_before} -> {rss_after} KiB, trickle rounds {trickler.rounds}")
        assert threads <= threads_before + WORKERS, "threads grew with the number of clients"
        # The slow clients were served their time, not dropped to make room.
        assert all(c.is_open() for c in silent[:: SILENT // 20])
        assert all(c.is_open() for c in slow)
    finally:
        if trickler:
            trickler.halt()
        for c in silent + slow:
            c.close()
        h.stop()


def test_deadlines_close_silent_slow_and_idle_connections(tmp_path):
    """Head deadline (408 for a partial head, a plain close for no bytes), minimum body rate
    (408), idle keep-alive timeout. Waits for each outcome with a generous deadline."""
    h = Host(f"sqlite://{tmp_path}/clash.db", "--enable-test-routes", "--head-timeout-ms", "300",
             "--min-body-rate", "1000", "--keep-alive-timeout", "1")
    try:
        silent = RawConn(h.port)
        partial = RawConn(h.port)
        partial.send(b"GET /health/ HTTP/1.1\r\nHost: x\r\n")
        slow_body = RawConn(h.port)
        slow_body.send(b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nxyz")
        idle = RawConn(h.port)
        idle.send(b"GET /health/ HTTP/1.1\r\nHost: x\r\n\r\n")
        assert idle.read_response().status == 200

        assert silent.read_response() is None  # closed without a response
        resp = partial.read_response()
        assert resp.status == 408 and resp.headers["connection"] == "close"
        assert json.loads(resp.body) == {"error": "Request head not received in time"}
        resp = slow_body.read_response()
        assert resp.status == 408
        assert json.loads(resp.body) == {"error": "Request body arrived too slowly"}
        assert idle.read_response() is None  # idle keep-alive closed quietly
        for c in (silent, partial, slow_body, idle):
            c.close()
        assert h.get_json("/health/")[0] == 200
    finally:
        h.stop()
