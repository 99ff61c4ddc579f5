#!/usr/bin/env python3
"""Writes the seed corpora (fuzz/corpus/<target>/) and dictionaries (fuzz/dict/) of the fuzz targets.
Run from the repository root after adding a route or a target; the output is committed. Seeds are
small, valid inputs (the fuzzer mutates from them); dictionaries hold the tokens the parsers look for.
"""
import base64
import json
import os
import re
import struct
import sys

sys.path.insert(0, "tests/python")
import images  # noqa: E402  (the upload tests' small real images)

ROOT = "fuzz"


def put(target, name, data):
    d = os.path.join(ROOT, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def put_dict(name, tokens):
    os.makedirs(os.path.join(ROOT, "dict"), exist_ok=True)
    with open(os.path.join(ROOT, "dict", name + ".dict"), "w") as f:
        for t in sorted(set(tokens)):
            f.write('"' + "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "\\x%02x" % ord(c) for c in t) + '"\n')


def ws_frame(opcode, payload, fin=True, mask=b"\x01\x02\x03\x04"):
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    head += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def routes():
    text = "".join(open(os.path.join("host/routes", f)).read() for f in sorted(os.listdir("host/routes")))
    found = sorted(set(re.findall(r'[aA]dd\("([A-Z]+)",\s*"(/[^"]*)"', text)))
    bodies = {
        "/api/auth/otp/request/": {"email": "user@example.com"},
        "/api/auth/otp/verify/": {"email": "user@example.com", "otp": "123456"},
        "/api/auth/refresh/": {"refresh_token": "x"},
        "/api/auth/admin/login/": {"username": "fuzzstaff", "password": "fuzz-Password-123"},
        "/api/store/equip/": {"item_id": 1},
        "/api/profiles/user/redeem-referral/": {"code": "ABCDEFGH"},
        "/api/admin/users/{username}/xp/": {"amount": 5, "reason": "fuzz", "idempotency_key": "k1"},
        "/api/admin/users/bulk/": {"action": "block", "usernames": ["fuzzuser"]},
        "/api/admin/reports/": {"target": "post:1", "reason": "spam", "priority": "low"},
        "/api/admin/notifications/broadcast/": {"title": "t", "message": "m", "category": "system"},
        "/api/posts/": {"body": "hello"},
        "/api/challenges/{slug}/submit/": {"code": "def greet(n):\n    return 'Hello, ' + n + '!'\n"},
        "/api/notifications/fcm-tokens/": {"token": "abc", "device_id": "d1"},
        "/api/payments/webhook/": {"event": "payment.captured", "payload": {"payment": {"entity": {
            "id": "pay_1", "order_id": "order_1", "amount": 10000, "status": "captured"}}}},
    }
    n = 0
    for method, pattern in found:
        path = (pattern.replace("{slug}", "python-001").replace("{username}", "fuzzuser")
                .replace("{id}", "1").replace("{task_id}", "1"))
        for who in ("user", "staff"):
            body = json.dumps(bodies.get(pattern, {})) if method in ("POST", "PUT", "PATCH") else ""
            head = f"{method} {path} HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer @{who}\r\n"
            if "webhook" in path:
                head += "X-Razorpay-Signature: @sign\r\n"
            if path.startswith("/internal/") or "internal" in path:
                head += "X-Internal-API-Key: @sign\r\n"
            if body:
                head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            put("routes", f"{n:03d}", head + "\r\n" + body)
            n += 1
    form, ctype = images.multipart({"body": "a post"}, {"image": ("a.png", "image/png", images.png())})
    put("routes", "upload", b"POST /api/posts/ HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer @user\r\n"
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + form)
    literals = re.findall(r'"([^"\\\n]{2,40})"', text)
    put_dict("routes", literals + [p for _, p in found] + ["Bearer @user", "Bearer @staff", "@sign",
                                                           "application/json", "multipart/form-data"])


def main():
    for name, data in {
        "get": "GET /api/challenges/?page=2 HTTP/1.1\r\nHost: a\r\n\r\n",
        "post": "POST /api/posts/ HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody",
        "chunked": "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n0\r\nT: v\r\n\r\n",
        "http10": "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "absolute": "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\nGET http://a/b?c=%20 HTTP/1.1\r\nHost: a\r\n\r\n",
        "upgrade": "GET /ws/chat/ HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nExpect: 100-continue\r\n\r\n",
    }.items():
        put("http1_head", name, data)
    put_dict("http1_head", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HTTP/1.1", "HTTP/1.0",
                            "\r\n", "Host:", "Content-Length:", "Transfer-Encoding:", "chunked", "gzip",
                            "Connection:", "close", "keep-alive", "Upgrade", "Expect:", "100-continue", ";ext=",
                            "0\r\n\r\n"])

    put("ws_frame", "text", b"\x05" + ws_frame(1, b"hello"))
    put("ws_frame", "fragments", b"\x02" + ws_frame(1, b"hel", fin=False) + ws_frame(9, b"p") + ws_frame(0, b"lo"))
    put("ws_frame", "close", b"\x00" + ws_frame(8, struct.pack(">H", 1000) + b"bye"))
    put("ws_frame", "binary", b"\x0f" + ws_frame(2, bytes(range(200))) + ws_frame(10, b""))

    claims = {"user_id": 1, "username": "ada", "avatar_url": None, "jti": "j1", "type": "access",
              "iat": 1_799_999_000, "exp": 1_800_000_900, "fam": "f1"}
    header = {"alg": "RS256", "typ": "JWT", "kid": "fuzz"}
    put("jwt", "signed", b"\x01" + json.dumps(header).encode() + b"\n" + json.dumps(claims).encode())
    refresh = dict(claims, type="refresh")
    put("jwt", "signed_refresh", b"\x01" + json.dumps(header).encode() + b"\n" + json.dumps(refresh).encode())
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=")
    put("jwt", "raw", b"\x00" + b64(json.dumps(header).encode()) + b"." + b64(json.dumps(claims).encode()) + b".c2ln")
    put("jwt", "none", b"\x00" + b64(b'{"alg":"none","typ":"JWT"}') + b"." + b64(json.dumps(claims).encode()) + b".")
    put_dict("jwt", ["alg", "RS256", "HS256", "none", "typ", "JWT", "kid", "fuzz", "crit", "user_id", "username",
                     "avatar_url", "jti", "type", "access", "refresh", "iat", "exp", "fam", "null", "1800000000"])

    put("service_auth", "signed", "\x01\n\n\n\nPOST\n/internal/judge/results?x=1\n{\"a\":1}")
    put("service_auth", "forged", "\x00worker-1\n1800000001\n" + "0" * 32 + "\n" + "ab" * 32 + "\nGET\n/internal/x\n")
    put_dict("service_auth", ["worker-1", "1800000000", "GET", "POST", "/internal/", "?", "\n"])

    put("image_check", "png", images.png())
    put("image_check", "png_text", images.png(extra=images.png_chunk(b"tEXt", b"Comment\x00hi")))
    put("image_check", "gif", images.gif())
    put("image_check", "jpeg", images.jpeg())
    webp = b"VP8L" + struct.pack("<I", 5) + b"\x2f\x00\x00\x00\x00" + b"\x00"
    put("image_check", "webp", b"RIFF" + struct.pack("<I", 4 + len(webp)) + b"WEBP" + webp)
    put_dict("image_check", ["\x89PNG\r\n\x1a\n", "IHDR", "IDAT", "IEND", "tEXt", "eXIf", "GIF89a", "GIF87a",
                             "NETSCAPE2.0", "\xff\xd8", "\xff\xd9", "\xff\xe1", "Exif", "RIFF", "WEBP", "VP8 ",
                             "VP8L", "VP8X", "EXIF", "XMP ", "ICCP", "ANIM", "ANMF"])

    level = json.load(open("data/levels/python-001/level.json"))
    level["slug"] = "fuzz-level"
    cases = open("data/levels/python-001/cases.json").read()
    put("level_folder", "python-001", json.dumps(level, indent=1) + "\n%%\n" + cases)
    level_keys = re.findall(r'"([a-z_]{2,30})"', open("libclash/src/catalogue/level_reader.cpp").read() +
                            open("libclash/src/judge/cases_json.cpp").read() + open("libclash/src/judge/case_json.cpp").read())
    put_dict("level_folder", level_keys + ["\n%%\n", "true", "false", "null", "[]", "{}"])

    for i, frame in enumerate([{"action": "send", "message": "hi @fuzzuser"}, {"message": "plain"},
                               {"action": "typing"}, {"action": "edit", "id": 1, "message": "x"},
                               {"action": "react", "target_timestamp": "2027-01-15T08:00:00.000000Z", "emoji": ":)"},
                               {"action": "delete", "id": 1}, {"action": "pin", "id": 1}, {"action": "unpin"},
                               {"action": "mute", "user_id": 1, "seconds": 60}, {"action": "auth", "token": "x"}]):
        put("chat_socket", f"chat{i}", b"\x00" + json.dumps(frame).encode())
    put("chat_socket", "notify", b"\x01" + json.dumps({"action": "auth", "token": "x"}).encode())
    put("chat_socket", "envelope_t", b"\x02T|host-1|0\n[[1,\"ada\",\"\"]]")
    put("chat_socket", "envelope_e", b"\x02E|host-1|42\n{\"type\":\"chat_message\"}")
    chat_keys = re.findall(r'"([a-z_]{2,30})"', open("libclash/src/chat/socket.cpp").read() +
                           open("libclash/src/chat/frames.cpp").read())
    put_dict("chat_socket", chat_keys + ["E|", "T|", "P|", "S|", "B|", "true", "null"])

    routes()


if __name__ == "__main__":
    main()
