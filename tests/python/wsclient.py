"""A small stdlib WebSocket client for tests against clash-host: handshake with any headers (cookie,
Bearer, Origin), text frames out (masked), JSON frames in, pings answered, the close code kept.
Every wait is for a condition with a generous deadline, never for time to pass."""
import base64
import json
import os
import socket
import struct
import time


class HandshakeRefused(Exception):
    def __init__(self, status):
        super().__init__(f"handshake refused with HTTP {status}")
        self.status = status


def client_frame(opcode, payload):
    key = os.urandom(4)
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class WsClient:
    def __init__(self, port, path, cookies=None, bearer=None, origin=True, rcvbuf=None, timeout=30):
        self.port = port
        self.buf = b""
        self.frames = []          # parsed JSON frames, in arrival order
        self.close_code = None
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if origin is True:
            lines.append(f"Origin: http://127.0.0.1:{port}")
        elif origin:
            lines.append(f"Origin: {origin}")
        if cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        if bearer:
            lines.append(f"Authorization: Bearer {bearer}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = int(head.split(b"\r\n")[0].split()[1])
        if status != 101:
            self.sock.close()
            raise HandshakeRefused(status)

    def send(self, obj):
        data = obj if isinstance(obj, (bytes, str)) else json.dumps(obj)
        self.sock.sendall(client_frame(0x1, data.encode() if isinstance(data, str) else data))

    def _need(self, n, deadline):
        while len(self.buf) < n:
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk

    def _read_one(self, deadline):
        """Reads one frame; returns False once the server closed."""
        self._need(2, deadline)
        b0, b1 = self.buf[0], self.buf[1]
        n, off = b1 & 0x7F, 2
        if n == 126:
            self._need(4, deadline)
            n, off = struct.unpack("!H", self.buf[2:4])[0], 4
        elif n == 127:
            self._need(10, deadline)
            n, off = struct.unpack("!Q", self.buf[2:10])[0], 10
        self._need(off + n, deadline)
        payload, self.buf = self.buf[off:off + n], self.buf[off + n:]
        opcode = b0 & 0x0F
        if opcode == 0x9:
            self.sock.sendall(client_frame(0xA, payload))
        elif opcode == 0x8:
            self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            try:
                self.sock.sendall(client_frame(0x8, payload[:2]))
            except OSError:
                pass
            return False
        elif opcode == 0x1:
            self.frames.append(json.loads(payload))
        return True

    def wait_for(self, type_, pred=None, timeout=30):
        """The first frame of `type_` (matching `pred`) received so far or within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for f in self.frames[seen:]:
                if f.get("type") == type_ and (pred is None or pred(f)):
                    return f
            seen = len(self.frames)
            if time.monotonic() > deadline or self.close_code is not None:
                raise AssertionError(f"no {type_} frame; got {[f.get('type') for f in self.frames]}"
                                     f" close={self.close_code}")
            try:
                if not self._read_one(deadline):
                    continue
            except (socket.timeout, TimeoutError):
                continue

    def wait_closed(self, timeout=30):
        deadline = time.monotonic() + timeout
        while self.close_code is None and time.monotonic() < deadline:
            try:
                if not self._read_one(deadline):
                    break
            except (socket.timeout, TimeoutError):
                continue
            except (ConnectionError, OSError):
                self.close_code = self.close_code or 1006
                break
        return self.close_code

    def of_type(self, type_):
        return [f for f in self.frames if f.get("type") == type_]

    def close(self):
        try:
            self.sock.sendall(client_frame(0x8, struct.pack("!H", 1000)))
        except OSError:
            pass
        self.sock.close()
