"""Strict HTTP/1.1 framing on clash-host (RFC 9112 section 6), over raw sockets.

Each defect of issue 11's table has its own test here; every one of them failed on the Poco
HTTPServer front (see the docstrings). A request smuggled inside a refused message is a GET of
/health/: if the server ever ran it, a second response would arrive on the connection.
"""
import json

import pytest

from hostutil import Host
from rawhttp import RawConn, exchange

SMUGGLED = b"GET /health/ HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    root = tmp_path_factory.mktemp("www")
    (root / "assets").mkdir()
    (root / "index.html").write_text("<!doctype html><title>clash</title>")
    (root / "assets" / "app.js").write_text("console.log('framing')")
    db = tmp_path_factory.mktemp("db") / "clash.db"
    h = Host(f"sqlite://{db}", "--load-levels", "--enable-test-routes", "--web-root", str(root))
    yield h
    h.stop()


def refused_and_closed(port, data, status):
    """Sends `data`; the one response is `status` with a JSON error, and the connection then closes
    with nothing more (the rest of the bytes never ran as a request)."""
    resp, conn = exchange(port, data)
    try:
        assert resp is not None, "closed without a response"
        assert resp.version == "HTTP/1.1"
        assert resp.status == status, resp
        assert "error" in json.loads(resp.body)
        assert resp.headers.get("connection", "").lower() == "close"
        assert conn.closed_without_more()
    finally:
        conn.close()
    return resp


def test_431_before_the_body_closes_and_the_body_never_runs(host):
    """Was: 431 answered with the connection open; the unread body ran as the next request."""
    pad = "".join(f"X-Pad-{i}: {'p' * 500}\r\n" for i in range(40))
    head = f"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\n{pad}Content-Length: {len(SMUGGLED)}\r\n\r\n"
    resp = refused_and_closed(host.port, head.encode() + SMUGGLED, 431)
    assert json.loads(resp.body) == {"error": "Request header fields too large"}


def test_bad_uri_before_the_body_closes_and_the_body_never_runs(host):
    """Was: 400 for a bad URI with the connection open; the body ran as the next request."""
    head = f"POST /api/%zz/ HTTP/1.1\r\nHost: x\r\nContent-Length: {len(SMUGGLED)}\r\n\r\n"
    refused_and_closed(host.port, head.encode() + SMUGGLED, 400)


def test_content_length_with_transfer_encoding_is_400(host):
    """Was: accepted, the remaining bytes ran as another request."""
    data = (b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED)
    refused_and_closed(host.port, data, 400)


@pytest.mark.parametrize("lengths", [("5", "40"), ("5", "5")])
def test_repeated_or_differing_content_length_is_400(host, lengths):
    """Was: two different Content-Lengths accepted."""
    data = (f"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: {lengths[0]}\r\n"
            f"Content-Length: {lengths[1]}\r\n\r\nhello").encode() + SMUGGLED
    refused_and_closed(host.port, data, 400)


@pytest.mark.parametrize("size,status", [(b"zz", 400), (b"-1", 400), (b"ffffffffffffffff", 413)])
def test_invalid_or_huge_chunk_sizes_are_refused(host, size, status):
    """Was: chunk sizes zz, -1 and ffffffffffffffff accepted, the rest run as another request."""
    data = (b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + size +
            b"\r\nhello\r\n0\r\n\r\n" + SMUGGLED)
    refused_and_closed(host.port, data, status)


def test_invalid_chunk_extension_is_400(host):
    data = (b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5;=bad\r\nhello\r\n0\r\n\r\n" + SMUGGLED)
    refused_and_closed(host.port, data, 400)


def test_transfer_encoding_with_space_before_colon_is_400(host):
    """Was: `Transfer-Encoding : chunked` accepted."""
    data = (b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n"
            b"0\r\n\r\n" + SMUGGLED)
    refused_and_closed(host.port, data, 400)


@pytest.mark.parametrize("coding,status", [("gzip", 400), ("gzip, chunked", 501), ("chunked, chunked", 400)])
def test_transfer_encoding_other_than_chunked_is_refused(host, coding, status):
    data = (f"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: {coding}\r\n\r\n"
            "0\r\n\r\n").encode() + SMUGGLED
    refused_and_closed(host.port, data, status)


@pytest.mark.parametrize("value", ["0x5", "5, 5", "12345678901234567890", "+5", "-5"])
def test_content_length_that_is_not_plain_digits_is_400(host, value):
    """Was: the connection closed without any response."""
    data = (f"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: {value}\r\n\r\nhello").encode()
    refused_and_closed(host.port, data, 400)


@pytest.mark.parametrize("head", [
    b"GET /health/ HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n",
    b"GET /health/ HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n",
    b"GET /health/ HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
    b"GET /health/ HTTP/1.1\r\nHost: x\r\nno-colon-here\r\n\r\n",
    b"GET /health/ HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n",
    b"GET /health/ HTTP/1.1\r\n\r\n",
], ids=["obs-fold", "bare-cr", "nul", "no-colon", "bare-lf", "no-host"])
def test_malformed_heads_are_400(host, head):
    refused_and_closed(host.port, head, 400)


def metric(host, series):
    text = host.request("GET", "/metrics")[2].decode("latin-1")
    for line in text.splitlines():
        if line.startswith(series + " "):
            return int(line.split()[-1])
    return 0


def test_unknown_methods_are_501_under_one_metrics_label(host):
    """Was: every unknown method became its own /metrics series (and a NUL went out unescaped)."""
    series = 'clash_http_requests_total{route="unmatched",method="OTHER",code="501"}'
    before = metric(host, series)
    for i in range(30):
        conn = RawConn(host.port)
        conn.send(f"BREW{i} /health/ HTTP/1.1\r\nHost: x\r\n\r\n")
        resp = conn.read_response()
        assert resp.status == 501
        assert json.loads(resp.body) == {"error": "Method not implemented"}
        conn.close()
    resp, conn = exchange(host.port, b"BR\x00EW /health/ HTTP/1.1\r\nHost: x\r\n\r\n")
    assert resp.status == 400
    conn.close()
    status, _, data = host.request("GET", "/metrics")
    text = data.decode("latin-1")
    assert metric(host, series) == before + 30
    assert "BREW" not in text
    assert "\x00" not in text


@pytest.mark.parametrize("line,status", [("GET / FOO", 400), ("GET / HTTP/9.9", 505), ("GET / HTTP/1.2", 505),
                                         ("GET /health/ HTTP/1.0", 200)])
def test_status_line_is_always_http_1_1(host, line, status):
    """Was: the status line echoed the client's version (HTTP/9.9, FOO)."""
    resp, conn = exchange(host.port, f"{line}\r\nHost: x\r\n\r\n".encode())
    assert resp.version == "HTTP/1.1"
    assert resp.status == status
    conn.close()


@pytest.mark.parametrize("path", ["/api/challenges/", "/assets/app.js", "/some/spa/route"])
def test_head_carries_the_content_length_of_get(host, path):
    get, conn = exchange(host.port, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    conn.close()
    head, conn = exchange(host.port, f"HEAD {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), head_request=True)
    assert get.status == head.status == 200
    assert int(head.headers["content-length"]) == len(get.body) > 0
    assert head.body == b""
    conn.send(f"GET /health/ HTTP/1.1\r\nHost: x\r\n\r\n")  # nothing of a body followed the HEAD
    assert conn.read_response().status == 200
    conn.close()


def test_oversize_header_line_is_the_documented_431(host):
    head = f"GET /health/ HTTP/1.1\r\nHost: x\r\nX-Big: {'b' * 20000}\r\n\r\n"
    resp = refused_and_closed(host.port, head.encode(), 431)
    assert json.loads(resp.body) == {"error": "Request header fields too large"}
    assert resp.headers["content-type"] == "application/json"


def test_pipelined_requests_are_answered_in_order(host):
    conn = RawConn(host.port)
    conn.send(b"GET /api/challenges/python-001/ HTTP/1.1\r\nHost: x\r\n\r\n"
              b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
              b"GET /api/challenges/python-002/ HTTP/1.1\r\nHost: x\r\nX-Request-ID: third\r\n\r\n")
    first, second, third = conn.read_response(), conn.read_response(), conn.read_response()
    assert json.loads(first.body)["slug"] == "python-001"
    assert json.loads(second.body) == {"bytes": 3}
    assert json.loads(third.body)["slug"] == "python-002"
    assert third.headers["x-request-id"] == "third"
    assert conn.is_open()
    conn.close()


def test_expect_100_continue_then_the_body(host):
    conn = RawConn(host.port)
    conn.send(b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
    interim = conn.read_response()
    assert interim.status == 100
    conn.send(b"hello world")
    final = conn.read_response()
    assert final.status == 200
    assert json.loads(final.body) == {"bytes": 11}
    conn.close()


def test_expect_100_continue_with_an_oversize_length_is_413_without_continue(host):
    data = b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\nExpect: 100-continue\r\n\r\n"
    resp = refused_and_closed(host.port, data, 413)
    assert "too large" in json.loads(resp.body)["error"]


def test_chunked_body_with_extensions_and_trailer(host):
    conn = RawConn(host.port)
    conn.send(b"POST /api/test/echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"5;a=b\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
    resp = conn.read_response()
    assert resp.status == 200
    assert json.loads(resp.body) == {"bytes": 11}
    conn.send(SMUGGLED)  # the connection is still good for the next request
    assert conn.read_response().status == 200
    conn.close()


def test_http_1_0_keep_alive_is_honoured_and_closes_otherwise(host):
    conn = RawConn(host.port)
    conn.send(b"GET /health/ HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    resp = conn.read_response()
    assert resp.headers["connection"].lower() == "keep-alive"
    conn.send(b"GET /health/ HTTP/1.0\r\n\r\n")
    resp = conn.read_response()
    assert resp.status == 200 and resp.headers["connection"].lower() == "close"
    assert conn.closed_without_more()
    conn.close()
