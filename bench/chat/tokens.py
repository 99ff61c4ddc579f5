"""Logs N fresh users in on a running clash-host through the OTP flow (codes read from the host's
file outbox) and prints their access tokens as a JSON array. Used by bench/chat.sh.
    tokens.py PORT DATA_DIR N"""
import email
import glob
import http.client
import json
import os
import re
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor


def call(port, method, path, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=json.dumps(body),
                     headers={"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.headers, data
    finally:
        conn.close()


def code_for(data_dir, address):
    for path in sorted(glob.glob(os.path.join(data_dir, "outbox", "*.eml")), reverse=True):
        with open(path) as f:
            text = f.read()
        if f"To: {address}" in text:
            m = re.search(r"code is ([0-9]{6})", email.message_from_string(text).get_payload(decode=False) or text)
            if m:
                return m.group(1)
    raise RuntimeError(f"no code for {address}")


def login(port, data_dir):
    address = f"b{uuid.uuid4().hex[:12]}@example.com"
    status, _, body = call(port, "POST", "/api/auth/otp/request/", {"email": address})
    assert status == 200, body
    status, headers, body = call(port, "POST", "/api/auth/otp/verify/", {"email": address, "otp": code_for(data_dir, address)})
    assert status == 200, body
    for c in headers.get_all("Set-Cookie") or []:
        if c.startswith("access_token="):
            return c.split("=", 1)[1].split(";", 1)[0]
    raise RuntimeError("no access_token cookie")


def main():
    port, data_dir, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    with ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(lambda _: login(port, data_dir), range(n)))
    json.dump(tokens, sys.stdout)


if __name__ == "__main__":
    main()
