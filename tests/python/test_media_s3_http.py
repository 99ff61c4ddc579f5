"""The S3-compatible media backend against a real S3-compatible server (s3rver from npm, installed by
scripts/test.sh into tests/s3): uploads go to the bucket under the checked type, are served from
there with the cleaned bytes, and replaced files are deleted. s3rver does not check request
signatures, so this covers the requests' shape (path-style PUT/DELETE, headers, keys), not SigV4
itself."""
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

import images
from economy_http import login
from hostutil import Host

S3RVER = os.path.join(os.path.dirname(__file__), "..", "s3", "node_modules", ".bin", "s3rver")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3(tmp_path):
    if not os.path.exists(S3RVER) or shutil.which("node") is None:
        pytest.fail("s3rver missing: run `npm ci --prefix tests/s3` (scripts/test.sh does)")
    port = free_port()
    proc = subprocess.Popen([S3RVER, "--directory", str(tmp_path / "s3"), "--address", "127.0.0.1", "--port", str(port),
                             "--configure-bucket", "media", "--silent"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/media", timeout=5).read()
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("s3rver did not start: " + proc.stderr.read().decode(errors="replace"))
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, None, b""


def test_uploads_go_to_the_bucket(storage_url, s3):
    h = Host(storage_url, "--rate-limits", "false", "--media-s3-endpoint", s3, "--media-s3-bucket", "media",
             "--media-s3-access-key", "S3RVER", env={"CLASH_MEDIA_S3_SECRET_KEY": "S3RVER"})
    try:
        ada = login(h)
        body, ctype = images.multipart({}, {"avatar": ("a.png", "image/png",
                                                       images.png(4, 4, images.png_chunk(b"tEXt", b"GPS\x00here")))})
        status, _, user = ada.call("PATCH", "/api/profiles/user/update/", raw=body, headers={"Content-Type": ctype})
        assert status == 200, user
        first = user["profile"]["avatar_url"]
        assert first.startswith(s3 + "/media/avatars/") and first.endswith(".png")
        status, content_type, data = fetch(first)
        assert status == 200 and content_type == "image/png" and data == images.png(4, 4)
        body, ctype = images.multipart({"caption": "hi"}, {"image": ("p.gif", "image/gif", images.gif())})
        status, _, post = ada.call("POST", "/api/posts/", raw=body, headers={"Content-Type": ctype})
        assert status == 201 and fetch(post["image_url"])[2] == images.gif()
        body, ctype = images.multipart({}, {"avatar": ("b.jpg", "image/jpeg", images.jpeg())})
        status, _, user = ada.call("PATCH", "/api/profiles/user/update/", raw=body, headers={"Content-Type": ctype})
        assert status == 200 and user["profile"]["avatar_url"].endswith(".jpg")
        assert fetch(first)[0] == 404  # the replaced avatar was deleted from the bucket
        # The host serves nothing under /media/ with the S3 backend.
        assert h.request("GET", "/media/avatars/x.png")[0] == 404
    finally:
        h.stop()
