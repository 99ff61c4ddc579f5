"""The campaign through the Python module (engine.campaign), on a SQLite file and a scratch
PostgreSQL database, with the real sandbox judge: list, open, submit code, buy hints, progress,
certificate (verified offline with clash.verify_certificate), leaderboard, per-day completions."""
import datetime
import email
import email.policy
import json
import os
import re
import uuid

import pytest

import clash
from hostutil import REPO

UTC = datetime.timezone.utc
LEVELS = os.path.join(REPO, "data", "levels")
GREET = 'def greet(name):\n    return "Hello, " + name + "!"\n'


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def clock():
    return clash.FakeClock(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC))


def open_engine(storage_url, data_dir, clock, **options):
    engine = clash.open(storage_url, data_dir=data_dir, clock=clock, submit_judging="wait", **options)
    engine.load_levels(LEVELS)
    return engine


@pytest.fixture
def engine(storage_url, data_dir, clock):
    with open_engine(storage_url, data_dir, clock) as opened:
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


def test_list_open_submit_and_progress(engine, data_dir, clock):
    ada = make_user(engine, data_dir)
    campaign = engine.campaign
    levels = campaign.map(ada.id)
    assert [l["slug"] for l in levels][:2] == ["python-001", "python-002"] and len(levels) == 60
    assert [l["status"] for l in levels[:2]] == ["UNLOCKED", "LOCKED"]
    assert levels[0]["level"].secrets.solution == ""  # no secrets in the map
    with pytest.raises(clash.PermissionDeniedError):
        campaign.open(ada.id, "python-002")
    with pytest.raises(clash.NotFoundError):
        campaign.open(ada.id, "python-999")
    opened = campaign.open(ada.id, "python-001")
    assert opened["started_at"] == datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    failed = campaign.submit(ada.id, "python-001", code="def greet(name):\n    return name\n")
    assert failed["status"] == "failed" and failed["verdict"]["first_failure"]["public"] is True
    clock.advance(datetime.timedelta(seconds=300))  # more than 2 x 120 s: one star less
    done = campaign.submit(ada.id, "python-001", code=GREET)
    assert (done["status"], done["xp_earned"], done["stars"], done["next_level_slug"]) == ("completed", 10, 2, "python-002")
    again = campaign.submit(ada.id, "python-001", code=GREET)
    assert (again["status"], again["xp_earned"]) == ("already_completed", 0)
    assert [l["status"] for l in campaign.map(ada.id)[:3]] == ["COMPLETED", "UNLOCKED", "LOCKED"]
    assert campaign.completions_per_day(ada.id) == [("2026-03-01", 1)]
    with pytest.raises(clash.InvalidArgumentError) as refused:
        campaign.submit(ada.id, "python-002", passed=True)
    assert "trust-client-results" in str(refused.value)


def test_hints_are_bought_in_tiers_and_answered(engine, data_dir):
    ada = make_user(engine, data_dir)
    campaign = engine.campaign
    with pytest.raises(clash.InsufficientFundsError) as poor:
        campaign.buy_hint(ada.id, "python-001")
    assert poor.value.details["required_xp"] == 10
    engine.ledger.apply(ada.id, 100, "admin_adjustment", "test", uuid.uuid4().hex)
    bought = [campaign.buy_hint(ada.id, "python-001") for _ in range(3)]
    assert [(b["hints_purchased"], b["cost"]) for b in bought] == [(1, 10), (2, 20), (3, 30)]
    assert bought[-1]["remaining_xp"] == 40
    with pytest.raises(clash.FailedPreconditionError):
        campaign.buy_hint(ada.id, "python-001")
    hints = json.load(open(os.path.join(LEVELS, "python-001", "level.json")))["hints"]
    assert campaign.hint(ada.id, "python-001", 2)["hint"] == hints[1]
    review = campaign.review(ada.id, "python-001", "def greet(name)\n")
    assert review["syntax_errors"][0]["line"] == 1


def test_certificate_and_leaderboard(storage_url, data_dir, clock):
    with open_engine(storage_url, data_dir, clock, trust_client_results=True) as engine:
        ada, bob = make_user(engine, data_dir), make_user(engine, data_dir)
        campaign = engine.campaign
        assert campaign.certificate(ada.id) is None
        for n in range(1, 61):
            assert campaign.submit(ada.id, f"python-{n:03d}", passed=True)["status"] == "completed"
        assert campaign.eligibility(ada.id)["eligible"] is True
        cert = campaign.certificate(ada.id)
        assert cert["completion_count"] == 60 and campaign.certificate(ada.id)["certificate_id"] == cert["certificate_id"]
        assert campaign.find_certificate(cert["certificate_id"])["username"] == ada.username
        assert clash.verify_certificate(cert["document"], campaign.public_key) is True
        forged = json.loads(cert["document"])
        forged["completion_count"] = 61
        assert clash.verify_certificate(json.dumps(forged), campaign.public_key) is False
        with pytest.raises(clash.NotFoundError):
            campaign.find_certificate("00000000-0000-4000-8000-000000000000")
        board = campaign.leaderboard()
        assert board[0]["username"] == ada.username and board[0]["completed_levels"] == 60 and board[0]["rank"] == 1
        campaign.submit(bob.id, "python-001", passed=True)
        assert [r["username"] for r in campaign.leaderboard()[:2]] == [ada.username, bob.username]
