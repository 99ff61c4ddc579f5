"""A raw-socket HTTP/1.1 client for framing tests: sends exact bytes and reads responses one at a
time, so a test sees whether the server closed the connection or answered a second (smuggled)
request."""
import socket
import time


class Response:
    def __init__(self, version, status, reason, headers, body):
        self.version = version  # "HTTP/1.1"
        self.status = status
        self.reason = reason
        self.headers = headers  # lower-case names -> value (last wins)
        self.body = body

    def __repr__(self):
        return f"<{self.version} {self.status} {self.headers} {self.body[:80]!r}>"


class RawConn:
    def __init__(self, port, timeout=20):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.eof = False

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed early; the response is still readable

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.eof = True
        self.buf += chunk
        return bool(chunk)

    def read_response(self, head_request=False):
        """The next response, or None if the server closed the connection first."""
        while b"\r\n\r\n" not in self.buf:
            if not self._fill():
                if self.buf:
                    raise AssertionError(f"connection closed inside a response head: {self.buf!r}")
                return None
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        version, status, reason = (lines[0].split(" ", 2) + [""])[:3]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if head_request or int(status) < 200 or int(status) in (204, 304) else int(
            headers.get("content-length", "0"))
        while len(self.buf) < length:
            if not self._fill():
                raise AssertionError("connection closed inside a response body")
        body, self.buf = self.buf[:length], self.buf[length:]
        return Response(version, int(status), reason, headers, body)

    def closed_without_more(self, timeout=20):
        """True if the server closes the connection without sending anything more; raises if it
        sends more (a second response) or keeps the connection open past `timeout`."""
        self.sock.settimeout(timeout)
        while not self.eof:
            try:
                self._fill()
            except socket.timeout:
                raise AssertionError("the server kept the connection open")
        if self.buf:
            raise AssertionError(f"the server sent more after the response: {self.buf[:200]!r}")
        return True

    def is_open(self):
        """True if the server has not closed the connection (nothing to read, no EOF)."""
        self.sock.setblocking(False)
        try:
            data = self.sock.recv(1)
            return False if not data else True
        except BlockingIOError:
            return True
        except ConnectionResetError:
            return False
        finally:
            self.sock.setblocking(True)

    def close(self):
        self.sock.close()


def exchange(port, data, head_request=False):
    """Sends `data` on a new connection and returns (first response, connection)."""
    conn = RawConn(port)
    conn.send(data)
    return conn.read_response(head_request=head_request), conn


def wait_until(predicate, timeout=30, step=0.05):
    """Polls `predicate` until it is true or `timeout` passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)
