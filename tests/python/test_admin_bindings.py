"""Admin operations from Python (clash.Engine.admin), on SQLite and PostgreSQL: bulk block, user
lists and CSV export to a file (formula cells escaped), analytics as lists and dicts, the audit log,
integrity checks, broadcasts; players are refused with PermissionDeniedError."""
import csv
import datetime
import email
import email.policy
import re
import uuid

import pytest

import clash

UTC = datetime.timezone.utc


@pytest.fixture(autouse=True)
def _private_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def engine(storage_url, data_dir):
    clock = clash.FakeClock(datetime.datetime(2026, 1, 1, 6, 0, tzinfo=UTC))
    with clash.open(storage_url, data_dir=data_dir, clock=clock) as opened:
        yield opened


def make_user(engine, data_dir):
    address = f"p{uuid.uuid4().hex[:10]}@example.com"
    engine.auth.request_otp(address)
    for path in sorted((data_dir / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            code = re.search(r"code is (\d{6})", message.get_body(preferencelist=("plain",)).get_content()).group(1)
            return engine.auth.verify_otp(address, code).user
    raise AssertionError(f"no login code for {address}")


def test_admin_operations_for_scripts(engine, data_dir, tmp_path):
    root = engine.auth.create_superuser("root", "root@example.com", "a long enough password")
    players = [make_user(engine, data_dir) for _ in range(3)]
    admin = engine.admin
    with pytest.raises(clash.PermissionDeniedError):
        admin.stats(players[0].id)

    stats = admin.stats(root.id)
    assert stats["total_users"] == 4 and stats["active_sessions"] == 3

    result = admin.bulk_block(root.id, [players[0].username, players[1].username, "ghost"])
    assert result["updated"] == [players[0].username, players[1].username]
    assert result["skipped"] == {"ghost": "User not found"}
    blocked = admin.users(root.id, status="blocked")
    assert sorted(u["username"] for u in blocked) == sorted([players[0].username, players[1].username])
    assert all(u["role"] == "user" and u["is_active"] is False for u in blocked)

    path = tmp_path / "users.csv"
    assert admin.export_users_csv(root.id, str(path), status="blocked") == 2
    rows = list(csv.DictReader(path.open(newline="")))
    assert {r["status"] for r in rows} == {"blocked"}

    audit_path = tmp_path / "audit.csv"
    assert admin.audit_csv(root.id, str(audit_path)) == 2
    entries = admin.audit_log(root.id, action="BULK_USER_STATUS_UPDATE")
    assert len(entries) == 2 and entries[0]["details"]["action"] == "block"
    assert entries[0]["request_id"] == "python"

    assert admin.broadcast(root.id, "hello everyone") == 1  # the one active player
    engagement = admin.engagement(root.id)
    assert len(engagement["daily_growth"]) == 30 and engagement["daily_growth"][-1][1] == 4
    assert engagement["auth_distribution"]["email"] == 3
    assert isinstance(admin.level_stats(root.id), list) and isinstance(admin.store_stats(root.id), list)
    integrity = admin.integrity(root.id)
    assert integrity["healthy"] is True and integrity["counts"]["users"] == 4
    assert admin.toggle_block(root.id, players[0].username, "appeal") is True
