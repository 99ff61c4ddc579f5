"""Judged submissions through POST /api/challenges/python-003/submit/ on a running clash-host
(submit_judging=wait, rate limits off) for a player who has it unlocked: the latency of one
submission (median of 20, sequential) against `python3 solution.py` run bare (this interpreter, /usr/bin/python3 from bench/campaign.sh), then submissions per
second with 4 client threads for 100 submissions (every case of the level judged each time).
    campaign_submit.py PORT TOKEN"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time

PORT, TOKEN = int(sys.argv[1]), sys.argv[2]
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLUG = "python-003"
SOLUTION = os.path.join(REPO, "data", "levels", SLUG, "solution.py")
with open(SOLUTION) as f:
    CODE = f.read()
with open(os.path.join(REPO, "data", "levels", SLUG, "cases.json")) as f:
    CASES = len(json.load(f)["cases"])


def submit():
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    conn.request("POST", f"/api/challenges/{SLUG}/submit/", body=json.dumps({"code": CODE}),
                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
    resp = conn.getresponse()
    body = json.loads(resp.read())
    conn.close()
    assert resp.status == 200 and body["status"] in ("completed", "already_completed"), body
    return body


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


bare = statistics.median(timed(lambda: subprocess.run([sys.executable, SOLUTION], check=True)) for _ in range(20))
one = statistics.median(timed(submit) for _ in range(20))
print(f"{SLUG} ({CASES} cases): one submission {one * 1000:.1f} ms (median of 20) vs python3 solution.py "
      f"{bare * 1000:.1f} ms = {one / bare:.2f}x")

TOTAL, CLIENTS = 100, 4
lock = threading.Lock()
left = [TOTAL]


def worker():
    while True:
        with lock:
            if left[0] == 0:
                return
            left[0] -= 1
        submit()


t0 = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - t0
print(f"{TOTAL} submissions, {CLIENTS} clients: {elapsed:.2f} s, {TOTAL / elapsed:.1f} submissions/s")
