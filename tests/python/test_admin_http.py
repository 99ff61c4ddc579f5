"""The admin console over real HTTP against clash-host, on SQLite and PostgreSQL (client-contract.md
section 14): every admin/ route the web client calls answers staff with real numbers, refuses
players (403) and anonymous callers (401), applies the hierarchy (staff acting on a superuser),
blocks users so their sessions end at once, records every action with the client address (forwarded
headers only from a trusted proxy) and exports CSV with formula cells escaped."""
import csv
import io
import uuid

import pytest

from economy_http import Client, login, staff
from hostutil import Host

ADMIN_GETS = ["/api/admin/stats/", "/api/admin/system/integrity/", "/api/admin/system/health/",
              "/api/admin/analytics/ultimate/", "/api/admin/analytics/challenges/", "/api/admin/analytics/store/",
              "/api/admin/analytics/engagement/", "/api/admin/notifications/history/", "/api/admin/audit-logs/",
              "/api/admin/users/", "/api/admin/users/export/", "/api/admin/reports/"]


@pytest.fixture
def host(storage_url):
    h = Host(storage_url, "--rate-limits", "false", "--trusted-proxies", "127.0.0.1")
    yield h
    h.stop()


def name(c):
    return c.user["username"]


def raw_get(host, client, path):
    """(status, lower-cased headers, bytes) of a GET with the client's cookies (CSV answers)."""
    return host.request("GET", path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())})


def make_staff(root, client):
    status, _, body = root.call("PATCH", f"/api/admin/users/{name(client)}/role/", {"role": "staff"})
    assert status == 200, body


def test_players_and_anonymous_callers_are_refused(host):
    player = login(host)
    for path in ADMIN_GETS:
        assert Client(host).get(path)[0] == 401, path
        assert player.get(path)[0] == 403, path
    for method, path in [("POST", "/api/admin/notifications/broadcast/"), ("POST", "/api/admin/users/bulk/"),
                         ("POST", f"/api/admin/users/{name(player)}/toggle-block/"),
                         ("DELETE", f"/api/admin/users/{name(player)}/delete/")]:
        assert player.call(method, path, {})[0] == 403, path


def test_the_dashboard_loads_with_real_numbers(host):
    root = staff(host)
    ada, bob = login(host), login(host)
    assert bob.post(f"/api/profiles/users/{name(ada)}/follow/")[0] == 201
    for path in ADMIN_GETS:
        status, _, body = raw_get(host, root, path)
        assert status == 200, (path, body)
    status, stats = root.get("/api/admin/stats/")
    assert stats["total_users"] == 3 and stats["active_sessions"] == 3  # all three logged in just now
    status, ult = root.get("/api/admin/analytics/ultimate/")
    assert ult["overview"]["total_users"] == 3 and ult["overview"]["active_24h"] == 3
    assert len(ult["growth_trends"]) == 31 and ult["growth_trends"][-1]["count"] == 3
    assert ult["system_health"]["database"] == "online"
    assert {u["username"] for u in ult["community_leaders"]} == {"root", name(ada), name(bob)}
    status, integrity = root.get("/api/admin/system/integrity/")
    assert integrity["users"] == 3 and integrity["follows"] == 1 and integrity["healthy"] is True
    assert set(integrity["checks"].values()) == {0}
    status, users = root.get("/api/admin/users/?page_size=2")
    assert users["count"] == 3 and users["total_pages"] == 2 and len(users["results"]) == 2


def test_block_ends_the_session_and_is_audited_with_the_forwarded_address(host):
    root, ada = staff(host), login(host)
    assert ada.get("/api/profiles/user/")[0] == 200
    status, _, body = root.call("POST", f"/api/admin/users/{name(ada)}/toggle-block/", {"reason": "spam"},
                                headers={"X-Forwarded-For": "198.51.100.4, 203.0.113.9", "User-Agent": "t/1"})
    assert status == 200 and body == {"message": "User blocked successfully", "is_active": False}
    status, body = ada.get("/api/profiles/user/")
    assert status == 401
    status, logs = root.get("/api/admin/audit-logs/?action=TOGGLE_USER_BLOCK")
    entry = logs["results"][0]
    assert entry["admin"] == "root" and entry["target"] == name(ada)
    assert entry["actor_ip"] == "203.0.113.9"  # right-most entry added by the trusted proxy
    assert entry["details"] == {"before": {"is_active": True}, "after": {"is_active": False}, "reason": "spam"}
    assert entry["request_id"]
    # Bulk: unblock her, and an unknown name is skipped.
    status, _, body = root.call("POST", "/api/admin/users/bulk/", {"action": "unblock", "usernames": [name(ada), "ghost"]})
    assert status == 200 and body["updated"] == [name(ada)]
    assert body["skipped"] == [{"username": "ghost", "reason": "User not found"}]
    assert root.call("POST", "/api/admin/users/bulk/", {"action": "nuke", "usernames": ["x"]})[0] == 400


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(storage_url):
    h = Host(storage_url, "--rate-limits", "false")
    try:
        root, ada = staff(h), login(h)
        status, _, _ = root.call("POST", f"/api/admin/users/{name(ada)}/toggle-block/", {},
                                 headers={"X-Forwarded-For": "198.51.100.4"})
        assert status == 200
        status, logs = root.get("/api/admin/audit-logs/")
        assert logs["results"][0]["actor_ip"] == "127.0.0.1"
    finally:
        h.stop()


def test_staff_cannot_act_on_a_superuser_anywhere(host):
    root = staff(host)
    mod, player = login(host), login(host)
    make_staff(root, mod)
    calls = [("POST", "/api/admin/users/root/toggle-block/", {}), ("DELETE", "/api/admin/users/root/delete/", None),
             ("PATCH", "/api/admin/users/root/role/", {"role": "user"}), ("POST", "/api/admin/users/root/notes/", {"body": "x"}),
             ("GET", "/api/admin/users/root/notes/", None), ("GET", "/api/admin/users/root/details/", None),
             ("POST", "/api/admin/reports/", {"target": "root", "title": "t", "summary": "s"})]
    for method, path, body in calls:
        status, _, out = mod.call(method, path, body)
        assert status == 403, (path, out)
    status, _, body = mod.call("POST", "/api/admin/users/bulk/", {"action": "block", "usernames": ["root", name(player)]})
    assert status == 200 and body["updated"] == [name(player)] and body["skipped"][0]["username"] == "root"
    status, logs = root.get("/api/admin/audit-logs/")
    assert [e["action"] for e in logs["results"]] == ["BULK_USER_STATUS_UPDATE", "UPDATE_USER_ROLE"]


def test_audit_csv_escapes_formulas_and_filters(host):
    root, ada = staff(host), login(host)
    for rid in ["-2-3", "plain-id"]:
        status, _, body = root.call("POST", f"/api/admin/users/{name(ada)}/notes/", {"body": "=cmd|' /C calc'!A0"},
                                    headers={"X-Request-ID": rid})
        assert status == 201, body
    status, hdrs, raw = raw_get(host, root, "/api/admin/audit-logs/?format=csv&action=CREATE_ADMIN_NOTE")
    assert status == 200 and hdrs["content-type"].startswith("text/csv")
    assert hdrs["x-content-type-options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(raw.decode())))
    assert rows[0] == ["timestamp", "admin", "action", "target", "request_id", "details"]
    assert len(rows) == 3
    for row in rows[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", row
    assert {row[4] for row in rows[1:]} == {"'-2-3", "plain-id"}
    assert root.get("/api/admin/audit-logs/?date_from=not-a-date")[0] == 400
    status, logs = root.get("/api/admin/audit-logs/?ordering=-action&page_size=1&page=2")
    assert logs["count"] == 2 and logs["page"] == 2 and len(logs["results"]) == 1
    status, logs = root.get("/api/admin/audit-logs/?search=plain")
    assert [e["request_id"] for e in logs["results"]] == ["plain-id"]
    status, hdrs, raw = raw_get(host, root, "/api/admin/users/export/?status=active")
    assert status == 200 and hdrs["content-type"].startswith("text/csv")
    assert raw.decode().splitlines()[0] == "username,email,role,status,xp,joined_at,last_login"


def test_reports_broadcasts_and_resend(host):
    root = staff(host)
    ada, bob = login(host), login(host)
    status, _, rep = root.call("POST", "/api/admin/reports/", {"target": name(ada), "title": "Spam", "summary": "ads",
                                                               "priority": "HIGH", "context": {"post": 3}})
    assert status == 201 and rep["status"] == "OPEN" and rep["priority"] == "HIGH"
    assert root.call("POST", "/api/admin/reports/", {"target": "nobody", "title": "t", "summary": "s"})[0] == 404
    assert root.call("PATCH", f"/api/admin/reports/{rep['id']}/", {"status": "WHATEVER"})[0] == 400
    status, _, rep = root.call("PATCH", f"/api/admin/reports/{rep['id']}/", {"status": "RESOLVED"})
    assert status == 200 and rep["resolved_by"] == "root" and rep["resolved_at"]
    status, reports = root.get("/api/admin/reports/?status=resolved")
    assert [r["id"] for r in reports["results"]] == [rep["id"]]

    rid = uuid.uuid4().hex
    status, _, body = root.call("POST", "/api/admin/notifications/broadcast/",
                                {"message": "Maintenance at noon", "include_staff": False}, headers={"X-Request-ID": rid})
    assert status == 200 and body["message"] == "Broadcast sent to 2 users"
    for c in (ada, bob):
        assert c.get("/api/notifications/")[1]["results"][0]["verb"] == "Maintenance at noon"
    assert root.call("POST", "/api/admin/notifications/broadcast/", {"message": ""})[0] == 400
    assert root.call("POST", "/api/admin/notifications/broadcast/", {"message": "x" * 501})[0] == 400
    status, history = root.get("/api/admin/notifications/history/")
    assert history["results"][0]["request_id"] == rid and history["results"][0]["recipient_count"] == 2
    status, body = root.post(f"/api/admin/notifications/history/{rid}/resend/")
    assert status == 200 and body["message"] == "Broadcast resent to 2 users"
    assert ada.get("/api/notifications/")[1]["count"] == 2
    assert root.post("/api/admin/notifications/history/nope/resend/")[0] == 404


def test_delete_user_and_details(host):
    root, ada = staff(host), login(host)
    status, details = root.get(f"/api/admin/users/{name(ada)}/details/")
    assert status == 200 and details["user"]["username"] == name(ada) and details["role"] == "user"
    assert details["summary"]["completed_challenges"] == 0
    status, _, body = root.call("DELETE", f"/api/admin/users/{name(ada)}/delete/?reason=left")
    assert status == 200 and body == {"message": f"User {name(ada)} deleted successfully"}
    assert root.get(f"/api/admin/users/{name(ada)}/details/")[0] == 404
    assert ada.get("/api/profiles/user/")[0] == 401
    status, logs = root.get("/api/admin/audit-logs/?action=DELETE_USER")
    assert logs["results"][0]["details"]["reason"] == "left"
    # The last superuser cannot delete or block themselves.
    assert root.call("DELETE", "/api/admin/users/root/delete/")[0] == 400
    assert root.call("POST", "/api/admin/users/root/toggle-block/", {})[0] == 400
