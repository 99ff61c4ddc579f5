"""Makes a benchmark player on a running clash-host: logs in through the OTP flow (the code is read
from the host's file outbox), solves the first levels through the judged submit route so the list
carries real progress, and prints the access token (for wrk's Authorization header).
    campaign_player.py PORT DATA_DIR [LEVELS_SOLVED=3]"""
import glob
import json
import os
import re
import sys
import email as email_lib
import http.client

PORT, DATA_DIR = int(sys.argv[1]), sys.argv[2]
SOLVED = int(sys.argv[3]) if len(sys.argv) > 3 else 3
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def call(method, path, body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    cookies = resp.headers.get_all("Set-Cookie") or []
    return resp.status, json.loads(data) if data else None, cookies


def otp(address):
    for path in reversed(sorted(glob.glob(os.path.join(DATA_DIR, "outbox", "*.eml")))):
        with open(path, "rb") as f:
            msg = email_lib.message_from_binary_file(f)
        if msg["To"] == address:
            return re.search(r"code is ([0-9]{6})", msg.get_payload(decode=True).decode()).group(1)
    raise SystemExit(f"no OTP mail for {address}")


address = f"bench{os.getpid()}@example.com"
status, body, _ = call("POST", "/api/auth/otp/request/", {"email": address})
assert status == 200, body
status, body, cookies = call("POST", "/api/auth/otp/verify/", {"email": address, "otp": otp(address)})
assert status == 200, body
token = next(c.split("=", 1)[1].split(";", 1)[0] for c in cookies if c.startswith("access_token="))
for n in range(1, SOLVED + 1):
    with open(os.path.join(REPO, "data", "levels", f"python-{n:03d}", "solution.py")) as f:
        code = f.read()
    status, body, _ = call("POST", f"/api/challenges/python-{n:03d}/submit/", {"code": code}, token)
    assert status == 200 and body["status"] == "completed", body
print(token)
