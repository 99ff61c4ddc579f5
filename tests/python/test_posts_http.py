"""Uploads and posts over real HTTP against clash-host, on SQLite and PostgreSQL (client-contract.md
section 11): the profile update with avatar and banner files (multipart, as the web client's
FormData), every kind of bad upload (non-images, truncated images, decompression bombs, polyglots,
5 MB + 1 byte, a wrong Content-Type), /media/ serving (the checked type, nosniff, no traversal),
and posts: create, list with likes_count/is_liked, like toggle and its notification, owner edit and
delete."""
import http.client
import os

import pytest

import images
from economy_http import Client, login
from hostutil import Host

POST_KEYS = {"id", "user", "image", "image_url", "caption", "created_at", "updated_at", "likes_count", "is_liked"}


@pytest.fixture
def host(storage_url):
    h = Host(storage_url, "--rate-limits", "false")
    yield h
    h.stop()


def send_form(client, method, path, fields=None, files=None):
    body, ctype = images.multipart(fields, files)
    status, _, out = client.call(method, path, raw=body, headers={"Content-Type": ctype})
    return status, out


def fetch(host, path):
    conn = http.client.HTTPConnection("127.0.0.1", host.port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def media_files(host):
    root = os.path.join(host.data_dir, "media")
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def test_profile_update_with_avatar_and_banner_served_under_media(host):
    ada = login(host)
    meta = images.png_chunk(b"tEXt", b"GPS\x0051.5N 0.1W")
    status, user = send_form(ada, "PATCH", "/api/profiles/user/update/",
                             fields={"username": "Ada_L", "first_name": "Ada", "bio": "hello"},
                             files={"avatar": ("me.png", "image/png", images.png(8, 8, meta)),
                                    "banner": ("b.gif", "image/gif", images.gif(16, 4))})
    assert status == 200, user
    assert user["username"] == "Ada_L" and user["first_name"] == "Ada"
    assert user["profile"]["bio"] == "hello"
    avatar, banner = user["profile"]["avatar_url"], user["profile"]["banner_url"]
    assert avatar.startswith("/media/avatars/") and avatar.endswith(".png")
    assert banner.startswith("/media/banners/") and banner.endswith(".gif")
    status, headers, data = fetch(host, avatar)
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    # An uploaded file is never a document of the site's origin, even if a browser navigates to it.
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert data == images.png(8, 8)  # metadata stripped
    status, headers, _ = fetch(host, banner)
    assert status == 200 and headers["Content-Type"] == "image/gif"
    # The public profile shows the new files.
    status, prof = Client(host).get("/api/profiles/users/Ada_L/")
    assert status == 200 and prof["profile"]["avatar_url"] == avatar
    # JSON updates work too; a new avatar replaces the old file.
    status, _, user = ada.call("PATCH", "/api/profiles/user/update/", {"last_name": "Lovelace"})
    assert status == 200 and user["last_name"] == "Lovelace"
    status, user = send_form(ada, "PATCH", "/api/profiles/user/update/",
                             files={"avatar": ("x.jpg", "image/jpeg", images.jpeg(16, 16))})
    assert status == 200 and user["profile"]["avatar_url"].endswith(".jpg")
    assert fetch(host, avatar)[0] == 404
    assert len(media_files(host)) == 2


@pytest.mark.parametrize("name,data,ctype,error", [
    ("not an image", b"just some text", "image/png", "Upload a PNG, JPEG, WebP or GIF image."),
    ("html", b"<html><script>alert(1)</script></html>", "image/png", "Upload a PNG, JPEG, WebP or GIF image."),
    ("truncated", images.png(8, 8)[:-20], "image/png", "Invalid or truncated image."),
    ("bomb", images.png(1, 1, declared=(60000, 60000)), "image/png", "Image dimensions are too large."),
    ("png+zip", images.png(2, 2) + b"PK\x03\x04\x14\x00\x00\x00evil.html", "image/png", "Invalid or truncated image."),
    ("gif with html", images.gif(2, 2, b"\x21\xfe\x14<script>x()</script>\x00"), "image/gif",
     "Image refused: it also looks like a document or an archive."),
    ("wrong type", images.png(2, 2), "image/gif", "The file's Content-Type does not match its content."),
    ("svg type", images.png(2, 2), "image/svg+xml", "The file's Content-Type does not match its content."),
])
def test_bad_uploads_are_400_and_change_nothing(host, name, data, ctype, error):
    ada = login(host)
    status, body = send_form(ada, "PATCH", "/api/profiles/user/update/", fields={"bio": "changed"},
                             files={"avatar": ("a.png", ctype, data)})
    assert status == 400, (name, body)
    assert body["error"] == error
    status, me = ada.get("/api/profiles/user/")
    assert me["profile"]["bio"] == "" and me["profile"]["avatar_url"] is None
    status, body = send_form(ada, "POST", "/api/posts/", fields={"caption": "x"}, files={"image": ("a.png", ctype, data)})
    assert status == 400 and body["error"] == error
    assert media_files(host) == []


def test_five_megabytes_plus_one_byte_is_refused(host):
    ada = login(host)
    base = images.png(1, 1)
    limit = 5 * 1024 * 1024
    pad = lambda n: images.png(1, 1, images.png_chunk(b"zzZz", b"x" * n))  # noqa: E731
    at_limit, over = pad(limit - len(base) - 12), pad(limit - len(base) - 11)
    assert (len(at_limit), len(over)) == (limit, limit + 1)
    status, body = send_form(ada, "POST", "/api/posts/", files={"image": ("big.png", "image/png", over)})
    assert status == 400 and body["error"] == "Image too large (max 5 MB)."
    status, post = send_form(ada, "POST", "/api/posts/", files={"image": ("big.png", "image/png", at_limit)})
    assert status == 201, post
    assert fetch(host, post["image_url"])[2] == base


def test_media_paths_outside_the_store_are_404(host):
    ada = login(host)
    status, post = send_form(ada, "POST", "/api/posts/", files={"image": ("a.gif", "image/gif", images.gif())})
    assert status == 201
    for path in ["/media/../clash.db", "/media/posts/../../secret.key", "/media/%2e%2e/secret.key", "/media/secret.key",
                 "/media/posts/x.html", "/media/posts/", "/media/" + post["image_url"][7:].replace(".gif", ".png")]:
        assert fetch(host, path)[0] == 404, path
    # Only GET/HEAD.
    status, _, _ = Client(host).call("POST", post["image_url"], {})
    assert status == 404


def test_posts_create_list_like_edit_delete(host):
    ada, bob = login(host), login(host)
    ada_name = ada.user["username"]
    status, body = send_form(ada, "POST", "/api/posts/", fields={"caption": "no image"})
    assert status == 400 and body["error"] == "An image is required."
    assert Client(host).call("POST", "/api/posts/", {"caption": "anon"})[0] == 401
    ids = []
    for i in range(3):
        status, post = send_form(ada, "POST", "/api/posts/", fields={"caption": f"post {i}"},
                                 files={"image": (f"{i}.png", "image/png", images.png(4, 4))})
        assert status == 201, post
        assert set(post) == POST_KEYS and post["image"] == post["image_url"]
        assert post["user"]["username"] == ada_name and post["likes_count"] == 0
        ids.append(post["id"])
    status, body = bob.post(f"/api/posts/{ids[1]}/like/")
    assert status == 200 and body == {"is_liked": True, "likes_count": 1}
    status, page = ada.get("/api/notifications/")
    assert page["results"][0]["verb"] == "liked your post"
    assert page["results"][0]["target_preview"].startswith("/media/posts/")
    status, posts = bob.get(f"/api/posts/?username={ada_name}")
    assert status == 200 and [p["id"] for p in posts] == ids[::-1]
    assert [p["is_liked"] for p in posts] == [False, True, False]
    assert [p["likes_count"] for p in posts] == [0, 1, 0]
    status, _, posts = bob.call("GET", f"/api/posts/?username={ada_name}&page=2&page_size=2")
    assert status == 200 and [p["id"] for p in posts] == [ids[0]]
    status, posts = bob.get(f"/api/posts/?username={ada_name}&page=9&page_size=2")
    assert status == 200 and posts == []
    assert Client(host).get("/api/posts/?username=nobody-here")[0] == 404
    assert bob.post(f"/api/posts/{ids[1]}/like/")[1] == {"is_liked": False, "likes_count": 0}

    status, _, body = bob.call("PATCH", f"/api/posts/{ids[0]}/", {"caption": "mine"})
    assert status == 403
    assert bob.call("DELETE", f"/api/posts/{ids[0]}/")[0] == 403
    status, _, body = ada.call("PATCH", f"/api/posts/{ids[0]}/", {"caption": "edited"})
    assert status == 200 and body["caption"] == "edited"
    image = Client(host).get(f"/api/posts/{ids[0]}/")[1]["image_url"]
    assert ada.call("DELETE", f"/api/posts/{ids[0]}/")[0] == 204
    assert Client(host).get(f"/api/posts/{ids[0]}/")[0] == 404
    assert fetch(host, image)[0] == 404
    assert bob.post(f"/api/posts/{ids[0]}/like/")[0] == 404
