"""The XP economy over real HTTP against clash-host, on SQLite and PostgreSQL: daily check-in, the
store (players and staff), referrals, XP history and staff adjustments, achievements, the profile's
economy fields, and the host's economy options (time zone, load-store, store throttle).

Check-in streaks and freezes across days need a controllable clock: they are tested through the
Python bindings with clash.FakeClock (test_economy_bindings.py) and in the library's C++ tests."""
import datetime
import re
import subprocess
from zoneinfo import ZoneInfo

import pytest

import clash
from economy_http import Client, grant_xp, login, profile_xp, staff
from hostutil import Host, host_binary

CHECK_IN_KEYS = {"id", "check_in_date", "streak_day", "current_streak", "xp_earned", "freeze_used", "created_at"}
ITEM_KEYS = {"id", "name", "description", "cost", "category", "image", "icon_name", "item_data", "is_owned",
             "featured", "is_active", "created_at"}
ACHIEVEMENT_KEYS = {"id", "slug", "title", "description", "icon", "category", "xp_reward", "is_secret",
                    "is_unlocked", "unlocked_at"}
SLUGS = ["first-blood", "rising-coder", "challenge-veteran", "legend", "speed-demon", "perfectionist",
         "streak-starter", "streak-master", "socializer", "networker"]


@pytest.fixture
def host(storage_url):
    h = Host(storage_url, "--load-store", "--rate-limits", "false")
    yield h
    h.stop()


def dates_around(zone, call):
    """Runs call() and returns (its result, the set of dates in `zone` just before and after it)."""
    before = datetime.datetime.now(zone).date().isoformat()
    out = call()
    after = datetime.datetime.now(zone).date().isoformat()
    return out, {before, after}


# --- profile ------------------------------------------------------------------------------------

def test_profile_shows_the_wallet(host):
    c = login(host)
    assert c.user["profile"]["xp"] == 0 and c.user["profile"]["streak_freezes"] == 0
    assert c.user["profile"]["is_referred"] is False
    code = c.user["profile"]["referral_code"]
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    status, me = c.get("/api/profiles/user/")
    assert status == 200
    assert (me["profile"]["xp"], me["profile"]["referral_code"], me["profile"]["streak_freezes"]) == (0, code, 0)
    # The refresh response shows the same wallet.
    status, body = c.post("/api/auth/refresh/", {})
    assert status == 200 and body["user"]["profile"]["referral_code"] == code


# --- check-in -----------------------------------------------------------------------------------

def test_check_in_flow(host):
    c = login(host)
    zone = ZoneInfo("UTC")  # the host's default check-in zone (time_zone); dates are decided there
    status, s = c.get("/api/rewards/check-in/")
    assert status == 200
    assert s["checked_in_today"] is False and s["current_streak"] == 0 and s["cycle_day"] == 1
    assert s["today_checkin"] is None and s["recent_checkins"] == []
    assert s["daily_rewards"] == {"1": 5, "2": 10, "3": 15, "4": 20, "5": 25, "6": 30, "7": 35}
    assert s["freezes_left"] == 0 and s["streak_freezes"] == 0

    (status, out), today = dates_around(zone, lambda: c.post("/api/rewards/check-in/"))
    assert status == 201, out
    assert out["message"] == "Check-in successful! Day 1 of cycle."
    assert (out["xp_earned"], out["total_xp"], out["streak_day"], out["current_streak"], out["cycle_day"]) == (5, 5, 1, 1, 1)
    assert out["is_new_cycle"] is True and out["streak_saved"] is False and out["freeze_earned"] is False
    assert out["freezes_left"] == 0
    assert out["cycle_start_date"] in today
    check_in = out["check_in"]
    assert set(check_in) == CHECK_IN_KEYS
    assert check_in["check_in_date"] == out["cycle_start_date"]
    assert (check_in["streak_day"], check_in["current_streak"], check_in["xp_earned"], check_in["freeze_used"]) == (1, 1, 5, False)
    assert datetime.datetime.fromisoformat(check_in["created_at"].replace("Z", "+00:00")).tzinfo is not None

    status, again = c.post("/api/rewards/check-in/")
    assert status == 400
    assert again["error"] == "Already checked in today"
    assert again["check_in"] == check_in

    status, s = c.get("/api/rewards/check-in/")
    assert s["checked_in_today"] is True and s["current_streak"] == 1 and s["cycle_day"] == 1
    assert s["today_checkin"] == check_in and s["recent_checkins"] == [check_in]
    assert s["cycle_start_date"] == check_in["check_in_date"]
    assert profile_xp(c) == 5
    status, history = c.get("/api/profiles/user/xp-history/")
    assert status == 200 and history["balance"] == 5
    assert [(e["amount"], e["source"]) for e in history["results"]] == [(5, "check_in")]


def test_check_in_date_follows_the_configured_zone(tmp_path):
    h = Host(f"sqlite://{tmp_path}/clash.db", "--time-zone", "+14:00", "--rate-limits", "false")
    try:
        c = login(h)
        (status, out), today = dates_around(datetime.timezone(datetime.timedelta(hours=14)),
                                            lambda: c.post("/api/rewards/check-in/"))
        assert status == 201 and out["check_in"]["check_in_date"] in today
    finally:
        h.stop()


def test_a_bad_time_zone_stops_start_up(tmp_path):
    out = subprocess.run([host_binary(), "serve", "--storage", f"sqlite://{tmp_path}/clash.db", "--port", "0",
                          "--time-zone", "Mars/Olympus_Mons"], capture_output=True, text=True, timeout=30,
                         env={"CLASH_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"})
    assert out.returncode != 0
    assert "time_zone" in out.stderr and "Mars/Olympus_Mons" in out.stderr
    assert "listening" not in out.stdout


def test_check_in_needs_a_session_and_an_origin(host):
    status, _, body = Client(host).call("POST", "/api/rewards/check-in/")
    assert status == 401
    c = login(host)
    c.origin = False
    status, _, body = c.call("POST", "/api/rewards/check-in/")
    assert status == 403 and body["error"].startswith("CSRF check failed")


# --- store --------------------------------------------------------------------------------------

def find(items, name):
    return next(i for i in items if i["name"] == name)


def test_store_catalogue_listing(host):
    c = login(host)
    status, headers, items = c.call("GET", "/api/store/items/")
    assert status == 200 and len(items) == 32
    assert headers["Cache-Control"] == "no-store"
    for item in items:
        assert set(item) == ITEM_KEYS
        assert item["is_owned"] is False and item["is_active"] is True
        assert isinstance(item["item_data"], dict)
    for category in ("THEME", "FONT", "EFFECT", "VICTORY"):
        assert sum(i["category"] == category for i in items) == 8
    dracula = find(items, "Dracula")
    assert dracula["cost"] == 100 and dracula["category"] == "THEME" and "theme_key" in dracula["item_data"]
    status, one = c.get(f"/api/store/items/{dracula['id']}/")
    assert status == 200 and one == dracula
    for bad in ("999999", "abc", "-1", "1.5"):
        status, body = c.get(f"/api/store/items/{bad}/")
        assert status == 404, (bad, body)


def test_buy_equip_unequip(host):
    root = staff(host)
    c = login(host)
    username = c.user["username"]
    status, items = c.get("/api/store/items/")
    theme, font = find(items, "Dracula"), find(items, "JetBrains Mono")

    status, body = c.post(f"/api/store/buy/{theme['id']}/")
    assert status == 402
    assert body["error"] == "Insufficient XP. Need 100 more."
    assert (body["required_xp"], body["current_xp"], body["shortage"]) == (100, 0, 100)
    assert body["how_to_earn"]

    grant_xp(root, username, 120)
    status, bought = c.post(f"/api/store/buy/{theme['id']}/")
    assert status == 201, bought
    assert bought["status"] == "success" and bought["message"] == "Purchased Dracula"
    assert bought["remaining_xp"] == 20 and bought["item"]["id"] == theme["id"] and bought["item"]["is_owned"] is True
    assert profile_xp(c) == 20

    status, body = c.post(f"/api/store/buy/{theme['id']}/")
    assert status == 400 and body["error"] == "You already own this item."
    status, body = c.post(f"/api/store/buy/{font['id']}/")
    assert status == 402 and body["shortage"] == font["cost"] - 20
    assert profile_xp(c) == 20
    for bad in ("999999", "abc"):
        status, body = c.post(f"/api/store/buy/{bad}/")
        assert status == 404

    status, items = c.get("/api/store/items/")
    assert [i["name"] for i in items if i["is_owned"]] == ["Dracula"]

    status, body = c.post("/api/store/equip/", {"item_id": font["id"]})
    assert status == 400 and body["error"] == "You do not own this item."
    status, body = c.post("/api/store/equip/", {"item_id": 999999})
    assert status == 404
    status, body = c.post("/api/store/equip/", {"item_id": "x"})
    assert status == 400 and body["item_id"] == ["A valid integer is required."]
    status, eq = c.post("/api/store/equip/", {"item_id": theme["id"]})
    assert status == 200, eq
    assert eq["status"] == "success" and eq["message"] == "Equipped Dracula"
    assert eq["active_theme"] == theme["item_data"]["theme_key"]
    assert (eq["active_font"], eq["active_effect"], eq["active_victory"]) == ("Fira Code", None, "default")
    status, me = c.get("/api/profiles/user/")
    assert me["profile"]["active_theme"] == theme["item_data"]["theme_key"]

    status, purchased = c.get("/api/store/purchased/")
    assert status == 200
    assert [i["id"] for i in purchased["purchased_items"]] == [theme["id"]]
    assert purchased["purchased_items"][0]["is_owned"] is True
    assert purchased["equipped_items"] == {"theme": theme["item_data"]["theme_key"], "font": "Fira Code",
                                           "effect": None, "victory": "default"}

    status, body = c.post("/api/store/unequip/", {"category": "sparkles"})
    assert status == 400 and body["error"] == "Invalid category."
    status, un = c.post("/api/store/unequip/", {"category": "theme"})
    assert status == 200
    assert un["status"] == "success" and un["message"] == "Unequipped THEME" and un["active_theme"] == "vs-dark"
    status, me = c.get("/api/profiles/user/")
    assert me["profile"]["active_theme"] == "vs-dark"


def test_staff_manage_items_and_players_cannot(host):
    root = staff(host)
    player = login(host)
    new = {"name": "Solar Flare", "description": "Warm colours.", "cost": 125, "category": "THEME",
           "icon_name": "Sun", "image": None, "item_data": {"theme_key": "solar-flare"}, "featured": False,
           "is_active": True}
    status, created = root.post("/api/store/items/", new)
    assert status == 201, created
    assert set(created) == ITEM_KEYS
    assert {k: created[k] for k in new} == new and created["is_owned"] is False
    item_id = created["id"]

    status, _, patched = root.call("PATCH", f"/api/store/items/{item_id}/", {"featured": True, "cost": 150})
    assert status == 200 and patched["featured"] is True and patched["cost"] == 150 and patched["name"] == "Solar Flare"
    status, _, body = root.call("PATCH", f"/api/store/items/{item_id}/", {"cost": "a lot"})
    assert status == 400 and body["cost"] == ["A valid integer is required."]
    status, _, body = root.call("PATCH", f"/api/store/items/{item_id}/", {"featured": "yes"})
    assert status == 400 and body["featured"] == ["Must be a valid boolean."]
    status, _, body = root.call("PATCH", f"/api/store/items/{item_id}/", {"category": "HAT"})
    assert status == 400 and "category" in body
    status, _, body = root.call("PUT", f"/api/store/items/{item_id}/", {"cost": 10, "icon_name": "Sun"})
    assert status == 400 and body["name"] == ["This field is required."]
    status, _, put = root.call("PUT", f"/api/store/items/{item_id}/", {**new, "name": "Solar Flare II", "cost": 130})
    assert status == 200 and put["name"] == "Solar Flare II" and put["cost"] == 130
    status, _, body = root.call("PATCH", "/api/store/items/999999/", {"featured": True})
    assert status == 404

    status, copy = root.post(f"/api/admin/store/items/{item_id}/duplicate/")
    assert status == 201, copy
    assert copy["name"] == "Solar Flare II (Copy)" and copy["is_active"] is False and copy["id"] != item_id
    # Players see neither the inactive copy in the list nor by id; staff see both.
    status, items = player.get("/api/store/items/")
    ids = {i["id"] for i in items}
    assert item_id in ids and copy["id"] not in ids
    assert player.get(f"/api/store/items/{copy['id']}/")[0] == 404
    status, items = root.get("/api/store/items/")
    assert copy["id"] in {i["id"] for i in items}

    # Players may not write.
    assert player.post("/api/store/items/", new)[0] == 403
    assert player.call("PATCH", f"/api/store/items/{item_id}/", {"featured": False})[0] == 403
    assert player.call("DELETE", f"/api/store/items/{item_id}/")[0] == 403
    assert player.post(f"/api/admin/store/items/{item_id}/duplicate/")[0] == 403
    assert Client(host).call("GET", "/api/store/items/")[0] == 401

    status, _, body = root.call("DELETE", f"/api/store/items/{copy['id']}/")
    assert status == 204 and body is None
    assert root.get(f"/api/store/items/{copy['id']}/")[0] == 404
    assert root.call("DELETE", f"/api/store/items/{copy['id']}/")[0] == 404


def test_load_store_command_then_serve(tmp_path):
    storage = f"sqlite://{tmp_path}/clash.db"
    out = subprocess.run([host_binary(), "load-store", "--storage", storage], capture_output=True, text=True,
                         timeout=60, env={"CLASH_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert '"count":32' in out.stderr.replace(" ", "")
    h = Host(storage, "--rate-limits", "false")
    try:
        status, items = login(h).get("/api/store/items/")
        assert status == 200 and len(items) == 32
    finally:
        h.stop()


def test_store_buys_have_their_own_throttle(tmp_path):
    h = Host(f"sqlite://{tmp_path}/clash.db", "--load-store")
    try:
        c = login(h)
        for _ in range(30):
            assert c.post("/api/store/buy/999999/")[0] == 404
        status, headers, body = c.call("POST", "/api/store/buy/999999/")
        assert status == 429 and int(headers["Retry-After"]) >= 1
        # Other routes use the default throttle.
        assert c.get("/api/store/items/")[0] == 200
    finally:
        h.stop()


# --- referrals ----------------------------------------------------------------------------------

def test_referral_flow(host):
    a, b, c = login(host), login(host), login(host)
    code_a, code_b = a.user["profile"]["referral_code"], b.user["profile"]["referral_code"]

    status, body = b.post("/api/profiles/user/redeem-referral/", {"code": code_a})
    assert status == 200, body
    assert body == {"message": "Referral code redeemed successfully", "xp_awarded": 100, "redeemer_xp_awarded": 100,
                    "referrer_xp_awarded": 100, "new_total_xp": 100, "referrer_new_total_xp": 100}
    status, me = b.get("/api/profiles/user/")
    assert me["profile"]["is_referred"] is True and me["profile"]["xp"] == 100
    assert profile_xp(a) == 100

    cases = [
        (b, {"code": code_a}, 400, "You have already redeemed a referral code"),
        (a, {"code": code_b}, 400, "Referral codes cannot form a cycle"),
        (a, {"code": code_a}, 400, "Cannot redeem your own referral code"),
        (c, {"code": "ZZZZZZZZ"}, 404, "Invalid referral code"),
        (c, {"code": "  "}, 400, "Referral code is required"),
        (c, {}, 400, "Referral code is required"),
    ]
    for client, body_in, want_status, want_error in cases:
        status, body = client.post("/api/profiles/user/redeem-referral/", body_in)
        assert (status, body["error"]) == (want_status, want_error), body_in
    status, body = c.post("/api/profiles/user/redeem-referral/", {"code": 123})
    assert status == 400 and body["code"] == ["Not a valid string."]

    # Trimmed and case-insensitive.
    status, body = c.post("/api/profiles/user/redeem-referral/", {"code": f"  {code_b.lower()} "})
    assert status == 200 and body["referrer_new_total_xp"] == 200 and body["new_total_xp"] == 100
    assert profile_xp(a) == 100 and profile_xp(b) == 200


# --- XP history and staff adjustments -----------------------------------------------------------

def test_xp_history_pages_and_staff_adjustments(host):
    root = staff(host)
    c = login(host)
    username = c.user["username"]
    for amount in (1, 2, 3, 4, 5):
        body = grant_xp(root, username, amount, key=f"grant-{amount}")
        assert body["applied"] is True and body["entry"]["amount"] == amount
        assert body["entry"]["source"] == "admin_adjustment"
    again = grant_xp(root, username, 5, key="grant-5")
    assert again["applied"] is False and again["balance"] == 15

    status, page = c.get("/api/profiles/user/xp-history/?limit=2")
    assert status == 200 and page["balance"] == 15
    assert [e["amount"] for e in page["results"]] == [5, 4]
    assert set(page["results"][0]) == {"id", "amount", "source", "reference", "created_at"}
    seen = [e["amount"] for e in page["results"]]
    while page["next_before"] is not None:
        status, page = c.get(f"/api/profiles/user/xp-history/?limit=2&before={page['next_before']}")
        assert status == 200
        seen += [e["amount"] for e in page["results"]]
    assert seen == [5, 4, 3, 2, 1]
    for bad in ("limit=abc", "limit=0", "limit=201", "before=x"):
        status, body = c.get(f"/api/profiles/user/xp-history/?{bad}")
        assert status == 400, bad

    status, body = root.post(f"/api/admin/users/{username}/xp/", {"amount": -16, "reason": "too much",
                                                                   "idempotency_key": "take-16"})
    assert status == 402 and body["current_xp"] == 15
    status, body = root.post(f"/api/admin/users/{username}/xp/", {"amount": -15, "reason": "refund",
                                                                   "idempotency_key": "take-15"})
    assert status == 200 and body["balance"] == 0
    assert profile_xp(c) == 0
    status, body = root.post(f"/api/admin/users/{username}/xp/", {"reason": "no amount", "idempotency_key": "k"})
    assert status == 400 and body["amount"] == ["This field is required."]
    status, body = root.post("/api/admin/users/nobody-here/xp/", {"amount": 5, "reason": "x", "idempotency_key": "k"})
    assert status == 404
    status, body = c.post(f"/api/admin/users/{username}/xp/", {"amount": 5, "reason": "self", "idempotency_key": "k"})
    assert status == 403
    assert profile_xp(c) == 0
    assert Client(host).call("GET", "/api/profiles/user/xp-history/")[0] == 401


# --- achievements -------------------------------------------------------------------------------

def test_achievement_lists(host, tmp_path):
    c = login(host)
    username = c.user["username"]
    status, views = c.get("/api/achievements/")
    assert status == 200
    assert [v["slug"] for v in views] == SLUGS
    for v in views:
        assert set(v) == ACHIEVEMENT_KEYS and v["is_unlocked"] is False and v["unlocked_at"] is None
    assert {v["slug"]: v["xp_reward"] for v in views}["streak-master"] == 100
    assert Client(host).call("GET", "/api/achievements/")[0] == 401

    status, unlocked = Client(host).get(f"/api/achievements/user/{username}/")
    assert status == 200 and unlocked == []
    status, body = Client(host).get("/api/achievements/user/nobody-here/")
    assert status == 404 and body["error"] == "User not found"

    # A level completion published by another process on the same storage (the campaign module
    # publishes it in production) unlocks first-blood and perfectionist, 25 + 50 XP.
    with clash.open(host.storage, data_dir=tmp_path / "py-data") as engine:
        engine.events.publish_level_completed(c.user["id"], "python-001", 3, 1)

    status, views = c.get("/api/achievements/")
    unlocked_slugs = [v["slug"] for v in views if v["is_unlocked"]]
    assert unlocked_slugs == ["first-blood", "perfectionist"]
    assert all(v["unlocked_at"] for v in views if v["is_unlocked"])
    assert profile_xp(c) == 75

    status, anon = Client(host).get(f"/api/achievements/user/{username}/")
    assert status == 200 and {u["achievement"]["slug"] for u in anon} == {"first-blood", "perfectionist"}
    for u in anon:
        assert set(u) == {"id", "achievement", "unlocked_at"} and u["unlocked_at"]
        assert u["achievement"]["is_unlocked"] is False and u["achievement"]["unlocked_at"] is None
    viewer = login(host)
    status, seen = viewer.get(f"/api/achievements/user/{username}/")
    assert status == 200
    for u in seen:
        assert u["achievement"]["is_unlocked"] is True and u["achievement"]["unlocked_at"] == u["unlocked_at"]
