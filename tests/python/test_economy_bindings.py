"""The XP economy through the Python module, end to end on real storage (a SQLite file and a scratch
PostgreSQL database): Engine.ledger, .check_ins (streaks and freezes driven by clash.FakeClock),
.referrals, .shop, .payments (against the fake Razorpay of razorpay_fake.py), .achievements, .events."""
import datetime
import email
import email.policy
import re
import uuid
from pathlib import Path

import pytest

import clash
from razorpay_fake import KEY_ID, KEY_SECRET, WEBHOOK_SECRET, FakeRazorpay, payment_signature, webhook

UTC = datetime.timezone.utc
CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "store" / "items.json"


@pytest.fixture(autouse=True)
def _private_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def clock():
    # 2026-01-01 06:00 UTC = 11:30 in Asia/Kolkata.
    return clash.FakeClock(datetime.datetime(2026, 1, 1, 6, 0, tzinfo=UTC))


@pytest.fixture
def engine(storage_url, data_dir, clock):
    with clash.open(storage_url, data_dir=data_dir, clock=clock, time_zone="Asia/Kolkata") as opened:
        yield opened


def make_user(engine, data_dir, name=None):
    """A player created through the OTP login (the code is read from the file outbox)."""
    address = f"{name or 'p' + uuid.uuid4().hex[:10]}@example.com"
    engine.auth.request_otp(address)
    for path in sorted((data_dir / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            code = re.search(r"code is (\d{6})", message.get_body(preferencelist=("plain",)).get_content()).group(1)
            return engine.auth.verify_otp(address, code).user
    raise AssertionError(f"no login code for {address}")


def make_staff(engine):
    return engine.auth.create_superuser("root", "root@example.com", "a long enough password")


# --- FakeClock ----------------------------------------------------------------------------------

def test_fake_clock():
    c = clash.FakeClock(datetime.datetime(2026, 5, 1, 12, 0))  # naive = UTC
    assert c.now() == datetime.datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    c.advance(datetime.timedelta(days=1, microseconds=5))
    c.advance(30)
    assert c.now() == datetime.datetime(2026, 5, 2, 12, 0, 30, 5, tzinfo=UTC)
    c.set(datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))))
    assert c.now() == datetime.datetime(2029, 12, 31, 18, 30, tzinfo=UTC)
    assert "FakeClock(" in repr(c)


# --- ledger -------------------------------------------------------------------------------------

def test_ledger_apply_is_idempotent_and_never_negative(engine, data_dir, clock):
    uid = make_user(engine, data_dir).id
    r = engine.ledger.apply(uid, 50, "challenge_completion", "python-001", "level:python-001")
    assert isinstance(r, clash.LedgerResult) and isinstance(r.entry, clash.LedgerEntry)
    assert (r.applied, r.balance, r.entry.amount, r.entry.source) == (True, 50, 50, "challenge_completion")
    assert (r.entry.user_id, r.entry.reference, r.entry.idempotency_key) == (uid, "python-001", "level:python-001")
    assert r.entry.created_at == clock.now()
    again = engine.ledger.apply(uid, 50, "challenge_completion", "python-001", "level:python-001")
    assert again.applied is False and again.balance == 50 and again.entry.id == r.entry.id
    with pytest.raises(clash.FailedPreconditionError):
        engine.ledger.apply(uid, 60, "challenge_completion", "python-001", "level:python-001")

    with pytest.raises(clash.InsufficientFundsError) as err:
        engine.ledger.apply(uid, -80, "hint_purchase", "python-001", "hint:python-001:1")
    assert err.value.code == "insufficient_funds" and isinstance(err.value, clash.Error)
    assert err.value.details["current_xp"] == 50 and err.value.details["shortage"] == 30
    for bad in ((0, "check_in"), (5, "lottery")):
        with pytest.raises(clash.InvalidArgumentError):
            engine.ledger.apply(uid, bad[0], bad[1], "x", "bad-" + bad[1])
    assert engine.ledger.balance(uid) == 50

    d = r.to_dict()
    assert d["applied"] is True and d["entry"]["amount"] == 50 and d["entry"]["created_at"] == clock.now()
    assert "LedgerResult(entry=LedgerEntry(id=" in repr(r)


def test_ledger_history_pages(engine, data_dir):
    uid = make_user(engine, data_dir).id
    for n in range(1, 6):
        engine.ledger.apply(uid, n, "admin_adjustment", f"grant {n}", f"grant-{n}")
    page = engine.ledger.history(uid, limit=2)
    assert isinstance(page, clash.LedgerPage) and [e.amount for e in page.entries] == [5, 4]
    seen = [e.amount for e in page.entries]
    while page.next_before_id is not None:
        page = engine.ledger.history(uid, 2, page.next_before_id)
        seen += [e.amount for e in page.entries]
    assert seen == [5, 4, 3, 2, 1]
    with pytest.raises(clash.InvalidArgumentError):
        engine.ledger.history(uid, limit=0)


def test_staff_adjustments(engine, data_dir):
    root = make_staff(engine)
    player, other = make_user(engine, data_dir), make_user(engine, data_dir)
    r = engine.ledger.adjust(root.id, player.id, 25, "support ticket 7", "ticket-7")
    assert r.applied and r.balance == 25 and r.entry.source == "admin_adjustment"
    assert engine.ledger.adjust(root.id, player.id, 25, "support ticket 7", "ticket-7").applied is False
    with pytest.raises(clash.PermissionDeniedError):
        engine.ledger.adjust(other.id, player.id, 25, "self-service", "nope")
    with pytest.raises(clash.NotFoundError):
        engine.ledger.adjust(999999, player.id, 25, "ghost", "ghost")
    assert engine.ledger.balance(player.id) == 25


# --- check-in -----------------------------------------------------------------------------------

def test_check_in_streak_freezes_and_achievements(engine, data_dir, clock):
    user = make_user(engine, data_dir)
    uid = user.id
    assert engine.check_ins.time_zone == "Asia/Kolkata" and engine.check_ins.max_freezes == 2
    status = engine.check_ins.status(uid)
    assert isinstance(status, clash.CheckInStatus)
    assert (status.today, status.checked_in_today, status.current_streak, status.cycle_day) == (
        datetime.date(2026, 1, 1), False, 0, 1)

    for day in range(1, 8):
        out = engine.check_ins.check_in(uid)
        assert isinstance(out, clash.CheckInOutcome)
        c = out.check_in
        assert (c.date, c.cycle_day, c.streak, c.xp_earned, c.freeze_used) == (
            datetime.date(2026, 1, day), day, day, 5 * day, False)
        assert out.is_new_cycle == (day == 1) and out.cycle_start_date == datetime.date(2026, 1, 1)
        assert out.freeze_earned == (day == 7) and out.freezes_left == (1 if day == 7 else 0)
        assert out.streak_saved is False
        if day == 3:
            assert [u.achievement.slug for u in engine.achievements.of_user(user.username)] == ["streak-starter"]
        if day < 7:
            clock.advance(datetime.timedelta(days=1))
    assert {u.achievement.slug for u in engine.achievements.of_user(user.username)} == {"streak-starter", "streak-master"}
    # 5 + 10 + ... + 35 = 140, plus 30 and 100 for the two achievements.
    assert engine.ledger.balance(uid) == 270

    with pytest.raises(clash.FailedPreconditionError) as err:
        engine.check_ins.check_in(uid)
    assert str(err.value) == "Already checked in today"
    assert err.value.details["check_in_date"] == "2026-01-07"

    # Day 8 is missed: the freeze earned on day 7 bridges it; the streak and the cycle go on.
    clock.advance(datetime.timedelta(days=2))
    out = engine.check_ins.check_in(uid)
    assert out.streak_saved is True and out.freezes_left == 0 and out.check_in.freeze_used is True
    assert (out.check_in.date, out.check_in.streak, out.check_in.cycle_day, out.check_in.xp_earned) == (
        datetime.date(2026, 1, 9), 8, 1, 5)
    assert out.is_new_cycle is True and out.cycle_start_date == datetime.date(2026, 1, 9)
    status = engine.check_ins.status(uid)
    assert status.checked_in_today and status.current_streak == 8 and status.freezes_left == 0
    assert status.today_check_in == out.check_in and status.recent == [out.check_in]
    summary = engine.check_ins.summary(uid)
    assert isinstance(summary, clash.WalletSummary)
    assert (summary.xp, summary.streak_freezes, summary.current_streak) == (275, 0, 8)

    # Day 10 is missed without a freeze: the streak starts again.
    clock.advance(datetime.timedelta(days=2))
    assert engine.check_ins.status(uid).current_streak == 0
    out = engine.check_ins.check_in(uid)
    assert (out.check_in.streak, out.check_in.cycle_day, out.streak_saved, out.is_new_cycle) == (1, 1, False, True)
    assert engine.ledger.balance(uid) == 280


def test_freezes_are_capped_and_two_missed_days_break_the_streak(storage_url, data_dir, clock):
    with clash.open(storage_url, data_dir=data_dir, clock=clock, time_zone="UTC", max_streak_freezes=1) as engine:
        uid = make_user(engine, data_dir).id
        earned = []
        for day in range(1, 15):
            out = engine.check_ins.check_in(uid)
            earned.append(out.freeze_earned)
            clock.advance(datetime.timedelta(days=1))
        assert [d for d, e in enumerate(earned, 1) if e] == [7]
        assert out.freezes_left == 1 and out.check_in.streak == 14
        # Two missed days (15 and 16): the held freeze cannot bridge them.
        clock.advance(datetime.timedelta(days=2))
        out = engine.check_ins.check_in(uid)
        assert (out.check_in.streak, out.streak_saved, out.freezes_left) == (1, False, 1)


def test_check_in_dates_follow_the_configured_zone(engine, data_dir, clock):
    uid = make_user(engine, data_dir).id
    clock.set(datetime.datetime(2026, 3, 10, 18, 29, tzinfo=UTC))  # 23:59 in Kolkata
    assert engine.check_ins.check_in(uid).check_in.date == datetime.date(2026, 3, 10)
    clock.advance(120)  # 00:01 on the 11th in Kolkata, still the 10th in UTC
    out = engine.check_ins.check_in(uid)
    assert out.check_in.date == datetime.date(2026, 3, 11) and out.check_in.streak == 2


def test_bad_time_zone_is_refused(storage_url, data_dir):
    with pytest.raises(clash.InvalidArgumentError):
        clash.open(storage_url, data_dir=data_dir, time_zone="Mars/Olympus_Mons")
    with pytest.raises(clash.InvalidArgumentError):
        clash.open(storage_url, data_dir=data_dir, time_zone="+25:00")
    with pytest.raises(clash.InvalidArgumentError):
        clash.open(storage_url, data_dir=data_dir, max_streak_freezes=-1)


# --- referrals ----------------------------------------------------------------------------------

def test_referrals(engine, data_dir):
    a, b, c = (make_user(engine, data_dir) for _ in range(3))
    code_a = engine.referrals.code_of(a.id)
    assert re.fullmatch(r"[A-Z0-9]{8}", code_a) and engine.referrals.code_of(a.id) == code_a
    assert engine.check_ins.summary(a.id).referral_code == code_a
    out = engine.referrals.redeem(b.id, code_a.lower())
    assert isinstance(out, clash.ReferralOutcome)
    assert (out.referrer_id, out.redeemer_xp_awarded, out.referrer_xp_awarded, out.new_total_xp,
            out.referrer_new_total_xp) == (a.id, 100, 100, 100, 100)
    assert engine.check_ins.summary(b.id).is_referred is True
    with pytest.raises(clash.FailedPreconditionError, match="already redeemed"):
        engine.referrals.redeem(b.id, code_a)
    with pytest.raises(clash.FailedPreconditionError, match="cycle"):
        engine.referrals.redeem(a.id, engine.referrals.code_of(b.id))
    with pytest.raises(clash.NotFoundError, match="Invalid referral code"):
        engine.referrals.redeem(c.id, "ZZZZZZZZ")
    with pytest.raises(clash.NotFoundError):
        engine.referrals.code_of(999999)


# --- shop ---------------------------------------------------------------------------------------

def test_shop_player_flow(engine, data_dir):
    assert engine.shop.load_catalogue(str(CATALOGUE)) == 32
    assert engine.shop.load_catalogue(str(CATALOGUE)) == 32  # reloading updates, never duplicates
    uid = make_user(engine, data_dir).id
    views = engine.shop.list(uid)
    assert len(views) == 32 and all(isinstance(v, clash.ShopItemView) and not v.is_owned for v in views)
    font = next(v.item for v in views if v.item.name == "Victor Mono")
    assert isinstance(font, clash.ShopItem) and font.category == "FONT" and font.cost == 100
    assert isinstance(font.item_data, dict) and font.item_data["font_family"]

    with pytest.raises(clash.InsufficientFundsError) as err:
        engine.shop.buy(uid, font.id)
    assert str(err.value) == "Insufficient XP. Need 100 more." and err.value.details["required_xp"] == 100
    engine.ledger.apply(uid, 130, "admin_adjustment", "test", "seed")
    bought = engine.shop.buy(uid, font.id)
    assert isinstance(bought, clash.PurchaseOutcome) and bought.remaining_xp == 30 and bought.item.id == font.id
    with pytest.raises(clash.FailedPreconditionError, match="already own"):
        engine.shop.buy(uid, font.id)
    assert engine.shop.get(uid, font.id).is_owned is True
    with pytest.raises(clash.NotFoundError):
        engine.shop.get(uid, 999999)

    equipped = engine.shop.equip(uid, font.id)
    assert isinstance(equipped, clash.EquippedItems) and equipped.font == font.item_data["font_family"]
    assert engine.auth.get_user(uid).profile.active_font == font.item_data["font_family"]
    purchased = engine.shop.purchased(uid)
    assert [i.id for i in purchased.items] == [font.id] and purchased.equipped == equipped
    assert purchased.to_dict()["equipped"]["font"] == font.item_data["font_family"]
    assert engine.shop.unequip(uid, "FONT").font == "Fira Code"
    with pytest.raises(clash.InvalidArgumentError, match="Invalid category"):
        engine.shop.unequip(uid, "HATS")
    assert engine.ledger.balance(uid) == 30


def test_shop_staff_management(engine, data_dir):
    root = make_staff(engine)
    player = make_user(engine, data_dir)
    item = engine.shop.create(root.id, name="Aurora", description="Northern lights.", cost=120, category="theme",
                              icon_name="Sparkles", item_data={"theme_key": "aurora"}, featured=True)
    assert (item.name, item.category, item.cost, item.item_data, item.featured, item.is_active, item.key) == (
        "Aurora", "THEME", 120, {"theme_key": "aurora"}, True, True, "")
    updated = engine.shop.update(root.id, item.id, cost=90, image="/store/aurora.png")
    assert updated.cost == 90 and updated.image == "/store/aurora.png" and updated.name == "Aurora"
    assert engine.shop.update(root.id, item.id, image=None).image is None
    copy = engine.shop.duplicate(root.id, item.id)
    assert copy.name == "Aurora (Copy)" and copy.is_active is False and copy.id != item.id
    assert copy.id in {v.item.id for v in engine.shop.list(root.id)}
    assert copy.id not in {v.item.id for v in engine.shop.list(player.id)}
    engine.shop.delete(root.id, copy.id)
    with pytest.raises(clash.NotFoundError):
        engine.shop.get(root.id, copy.id)

    with pytest.raises(clash.PermissionDeniedError):
        engine.shop.create(player.id, name="Mine", cost=1, icon_name="X")
    with pytest.raises(clash.PermissionDeniedError):
        engine.shop.update(player.id, item.id, cost=1)
    with pytest.raises(clash.PermissionDeniedError):
        engine.shop.delete(player.id, item.id)
    with pytest.raises(clash.InvalidArgumentError, match="unknown store item field"):
        engine.shop.create(root.id, name="X", cost=1, icon_name="X", colour="red")
    with pytest.raises(clash.InvalidArgumentError):
        engine.shop.create(root.id, name="Bad data", cost=1, icon_name="X", item_data="[1, 2]")
    with pytest.raises(clash.NotFoundError):
        engine.shop.list(999999)


# --- payments -----------------------------------------------------------------------------------

def test_payments_with_a_fake_razorpay(storage_url, data_dir):
    fake = FakeRazorpay()
    try:
        with clash.open(storage_url, data_dir=data_dir, razorpay_key_id=KEY_ID, razorpay_key_secret=KEY_SECRET,
                        razorpay_webhook_secret=WEBHOOK_SECRET, razorpay_api_base=fake.base) as engine:
            assert engine.payments.configured is True
            uid = make_user(engine, data_dir).id
            order = engine.payments.create_order(uid, 199)
            assert isinstance(order, clash.PaymentOrder)
            assert (order.amount_paise, order.key_id, order.xp_amount) == (19900, KEY_ID, 200)
            assert order.order_id in fake.orders
            with pytest.raises(clash.InvalidArgumentError, match="Invalid package amount"):
                engine.payments.create_order(uid, 200)
            with pytest.raises(clash.InvalidArgumentError, match="Invalid Signature"):
                engine.payments.verify(uid, order.order_id, "pay_1", "f" * 64)
            credit = engine.payments.verify(uid, order.order_id, "pay_1", payment_signature(order.order_id, "pay_1"))
            assert isinstance(credit, clash.PaymentCredit) and (credit.already_processed, credit.new_xp) == (False, 200)
            body, signature = webhook(order.order_id, "pay_1", 19900)
            out = engine.payments.handle_webhook(body, signature)
            assert isinstance(out, clash.WebhookOutcome) and (out.credited, out.detail) == (False, "already processed")
            with pytest.raises(clash.InvalidArgumentError):
                engine.payments.handle_webhook(body + b" ", signature)
            assert engine.ledger.balance(uid) == 200
    finally:
        fake.close()


def test_payments_without_keys_are_unavailable(engine, data_dir):
    assert engine.payments.configured is False
    uid = make_user(engine, data_dir).id
    with pytest.raises(clash.UnavailableError, match=re.escape("(Razorpay keys missing)")):
        engine.payments.create_order(uid, 499)
    with pytest.raises(clash.UnavailableError):
        engine.payments.verify(uid, "order_x", "pay_x", "00")


# --- achievements and events --------------------------------------------------------------------

def test_events_unlock_achievements_once(engine, data_dir, clock):
    user, other = make_user(engine, data_dir), make_user(engine, data_dir)
    views = engine.achievements.for_viewer(user.id)
    assert len(views) == 10 and not any(v.is_unlocked for v in views)
    assert isinstance(views[0], clash.AchievementView) and isinstance(views[0].achievement, clash.Achievement)

    engine.events.publish_level_completed(user.id, "python-001", 3, 1, solve_seconds=60)
    engine.events.publish_level_completed(user.id, "python-001", 3, 1, solve_seconds=60)
    clock.advance(60)
    engine.events.publish_followed(user.id, other.id, 1)
    unlocked = engine.achievements.of_user(user.username)
    assert all(isinstance(u, clash.UnlockedAchievement) for u in unlocked)
    assert [u.achievement.slug for u in unlocked][0] == "socializer"  # newest first
    assert {u.achievement.slug for u in unlocked} == {"first-blood", "speed-demon", "perfectionist", "socializer"}
    assert unlocked[0].unlocked_at == clock.now()
    assert engine.ledger.balance(user.id) == 25 + 75 + 50 + 10
    sources = {e.source for e in engine.ledger.history(user.id).entries}
    assert sources == {"achievement"}

    mine = {v.achievement.slug: v for v in engine.achievements.for_viewer(user.id)}
    assert mine["first-blood"].is_unlocked and mine["first-blood"].unlocked_at is not None
    assert not mine["legend"].is_unlocked and mine["legend"].unlocked_at is None
    assert not any(v.is_unlocked for v in engine.achievements.for_viewer(0))
    with pytest.raises(clash.NotFoundError, match="User not found"):
        engine.achievements.of_user("nobody-here")


def test_closed_engine_refuses_economy_calls(storage_url, data_dir):
    engine = clash.open(storage_url, data_dir=data_dir)
    ledger, shop = engine.ledger, engine.shop
    engine.close()
    with pytest.raises(clash.FailedPreconditionError, match="closed"):
        ledger.balance(1)
    with pytest.raises(clash.FailedPreconditionError, match="closed"):
        shop.list(1)
