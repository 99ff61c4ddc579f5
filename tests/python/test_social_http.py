"""Profiles, follows and notifications over real HTTP against clash-host, on SQLite and PostgreSQL
(client-contract.md sections 11 and 12): the public profile the web client's profile page reads
(with is_following, so it shows Follow), the follow toggle, the follow reaching the other user's
notification list, the notification REST operations, FCM token registration, follower lists,
suggestions and contributions."""
import datetime

import pytest

from economy_http import Client, login, staff
from hostutil import Host

PUBLIC_PROFILE_KEYS = {"id", "username", "first_name", "last_name", "profile", "followers_count",
                       "following_count", "is_following"}
NOTIFICATION_KEYS = {"id", "actor", "verb", "target_preview", "is_read", "created_at"}


@pytest.fixture
def host(storage_url):
    h = Host(storage_url, "--rate-limits", "false")
    yield h
    h.stop()


def username(client):
    return client.user["username"]


def test_public_profile_shows_follow_state_and_counts(host):
    ada, bob = login(host), login(host)
    anon = Client(host)
    status, body = anon.get(f"/api/profiles/users/{username(ada)}/")
    assert status == 200, body
    assert set(body) == PUBLIC_PROFILE_KEYS
    assert body["is_following"] is False and body["followers_count"] == 0
    assert body["profile"]["xp"] == 0 and "created_at" in body["profile"]
    assert anon.get("/api/profiles/users/nobody-here/") == (404, {"error": "User not found"})

    status, body = bob.post(f"/api/profiles/users/{username(ada)}/follow/")
    assert status == 201, body
    assert body == {"is_following": True, "follower_count": 1, "following_count": 0}
    status, body = bob.get(f"/api/profiles/users/{username(ada)}/")
    assert status == 200 and body["is_following"] is True and body["followers_count"] == 1
    # The session probe shows the caller's own counts.
    status, me = bob.get("/api/profiles/user/")
    assert status == 200 and me["following_count"] == 1 and me["followers_count"] == 0

    status, body = bob.post(f"/api/profiles/users/{username(ada)}/follow/")
    assert status == 200 and body == {"is_following": False, "follower_count": 0, "following_count": 0}


def test_follow_rules(host):
    ada = login(host)
    status, body = ada.post(f"/api/profiles/users/{username(ada)}/follow/")
    assert status == 400 and body["error"] == "Cannot follow yourself"
    assert ada.post("/api/profiles/users/nobody-here/follow/")[0] == 404
    # Anonymous callers cannot follow.
    status, _ = Client(host).post(f"/api/profiles/users/{username(ada)}/follow/")
    assert status == 401


def test_follow_reaches_the_other_users_notification_list(host):
    ada, bob = login(host), login(host)
    assert bob.post(f"/api/profiles/users/{username(ada)}/follow/")[0] == 201
    status, page = ada.get("/api/notifications/?page=1&page_size=50")
    assert status == 200, page
    assert (page["count"], page["unread_count"], page["page"], page["page_size"], page["total_pages"]) == (1, 1, 1, 50, 1)
    n = page["results"][0]
    assert set(n) == NOTIFICATION_KEYS
    assert n["verb"] == "started following you" and n["is_read"] is False
    assert n["actor"]["username"] == username(bob) and n["actor"]["is_following"] is False
    # Never for yourself: the follower has none.
    assert bob.get("/api/notifications/")[1]["count"] == 0
    # Ada follows back: the actor now shows is_following for her.
    assert ada.post(f"/api/profiles/users/{username(bob)}/follow/")[0] == 201
    assert ada.get("/api/notifications/")[1]["results"][0]["actor"]["is_following"] is True


def test_notification_operations_touch_only_the_callers_own(host):
    ada, bob, carol = login(host), login(host), login(host)
    for follower in (bob, carol):
        assert follower.post(f"/api/profiles/users/{username(ada)}/follow/")[0] == 201
    assert ada.post(f"/api/profiles/users/{username(bob)}/follow/")[0] == 201
    ids = [n["id"] for n in ada.get("/api/notifications/")[1]["results"]]
    bobs = bob.get("/api/notifications/")[1]["results"][0]["id"]
    assert len(ids) == 2
    # Paging: one per page, and a page past the end is empty.
    status, page = ada.get("/api/notifications/?page=2&page_size=1")
    assert status == 200 and [n["id"] for n in page["results"]] == [ids[1]] and page["total_pages"] == 2
    status, page = ada.get("/api/notifications/?page=7&page_size=1")
    assert status == 200 and page["results"] == [] and page["count"] == 2
    # Someone else's notification is not found, whatever the operation.
    assert ada.get(f"/api/notifications/{bobs}/")[0] == 404
    assert ada.post(f"/api/notifications/{bobs}/mark_read/")[0] == 404
    assert ada.call("DELETE", f"/api/notifications/{bobs}/")[0] == 404
    assert ada.get("/api/notifications/abc/")[0] == 404

    assert ada.post(f"/api/notifications/{ids[0]}/mark_read/") == (200, {"status": "marked read"})
    status, one = ada.get(f"/api/notifications/{ids[0]}/")
    assert status == 200 and one["is_read"] is True
    assert ada.get("/api/notifications/")[1]["unread_count"] == 1
    assert ada.post("/api/notifications/mark_all_read/") == (200, {"status": "marked all read"})
    assert ada.get("/api/notifications/")[1]["unread_count"] == 0
    assert ada.call("DELETE", f"/api/notifications/{ids[0]}/")[0] == 204
    assert ada.call("DELETE", "/api/notifications/clear_all/")[0] == 204
    assert ada.get("/api/notifications/")[1]["count"] == 0
    assert bob.get("/api/notifications/")[1]["count"] == 1
    assert Client(host).get("/api/notifications/")[0] == 401


def test_fcm_token_registration(host):
    ada, bob = login(host), login(host)
    status, body = ada.post("/api/notifications/fcm-tokens/", {"token": "device-token-1", "device_id": "Firefox"})
    assert status == 201 and body == {"token": "device-token-1", "device_id": "Firefox"}
    status, body = ada.post("/api/notifications/fcm-tokens/", {"token": "device-token-1", "device_id": "Firefox 2"})
    assert status == 200 and body["device_id"] == "Firefox 2"
    # The device changed hands: the token moves to the new user.
    assert bob.post("/api/notifications/fcm-tokens/", {"token": "device-token-1"})[0] == 200
    status, body = ada.post("/api/notifications/fcm-tokens/", {"token": ""})
    assert status == 400 and body["error"] == "Token is required"
    assert ada.post("/api/notifications/fcm-tokens/", {"token": 42})[0] == 400


def test_follower_lists_are_arrays_paged_by_query(host):
    ada = login(host)
    fans = [login(host) for _ in range(3)]
    for fan in fans:
        assert fan.post(f"/api/profiles/users/{username(ada)}/follow/")[0] == 201
    assert ada.post(f"/api/profiles/users/{username(fans[0])}/follow/")[0] == 201
    status, headers, body = ada.call("GET", f"/api/profiles/users/{username(ada)}/followers/")
    assert status == 200 and headers["X-Total-Count"] == "3"
    assert [f["username"] for f in body] == [username(f) for f in reversed(fans)]
    assert set(body[0]) == {"username", "first_name", "avatar_url", "is_following"}
    assert [f["is_following"] for f in body] == [False, False, True]
    status, headers, body = ada.call("GET", f"/api/profiles/users/{username(ada)}/followers/?page=2&page_size=2")
    assert status == 200 and [f["username"] for f in body] == [username(fans[0])] and headers["X-Total-Pages"] == "2"
    status, _, body = ada.call("GET", f"/api/profiles/users/{username(ada)}/followers/?page=9&page_size=2")
    assert status == 200 and body == []
    status, body = Client(host).get(f"/api/profiles/users/{username(fans[0])}/following/")
    assert status == 200 and [f["username"] for f in body] == [username(ada)]
    assert Client(host).get("/api/profiles/users/nobody-here/followers/")[0] == 404


def test_suggestions_leave_out_self_followed_and_staff(host):
    root = staff(host)
    ada = login(host)
    others = [login(host) for _ in range(3)]
    assert ada.post(f"/api/profiles/users/{username(others[0])}/follow/")[0] == 201
    status, body = ada.get("/api/profiles/users/suggestions/")
    assert status == 200, body
    names = {s["username"] for s in body}
    assert names == {username(o) for o in others[1:]}
    assert set(body[0]) == {"username", "first_name", "avatar_url"}
    assert username(root) not in names
    assert Client(host).get("/api/profiles/users/suggestions/")[0] == 401


def test_contributions_count_todays_check_in(host):
    ada = login(host)
    status, body = Client(host).get(f"/api/profiles/users/{username(ada)}/stats/contributions/")
    assert status == 200 and body == []
    before = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    assert ada.post("/api/rewards/check-in/")[0] == 201
    after = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    status, body = Client(host).get(f"/api/profiles/users/{username(ada)}/stats/contributions/")
    assert status == 200 and len(body) == 1
    assert body[0]["date"] in {before, after} and body[0]["count"] == 1
    assert Client(host).get("/api/profiles/users/nobody-here/stats/contributions/")[0] == 404
