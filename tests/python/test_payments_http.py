"""Buying XP over real HTTP against clash-host, on SQLite and PostgreSQL, with a fake Razorpay API on
127.0.0.1 (razorpay_fake.py): order -> browser callback with a real HMAC -> XP credited once; bad
signatures, other users' orders, Razorpay refusing; the webhook crediting a payment whose callback was
lost, exactly once; and 503 without keys."""
import base64

import pytest

from economy_http import Client, login, profile_xp
from hostutil import Host
from razorpay_fake import KEY_ID, KEY_SECRET, WEBHOOK_SECRET, FakeRazorpay, payment_signature, webhook

UNAVAILABLE = "Payment service is unavailable (Razorpay keys missing)"


@pytest.fixture
def razorpay():
    fake = FakeRazorpay()
    yield fake
    fake.close()


def start(storage, razorpay):
    # The secrets come from the environment, as docs/configuration.md asks.
    return Host(storage, "--rate-limits", "false", "--razorpay-key-id", KEY_ID, "--razorpay-api-base", razorpay.base,
                env={"CLASH_RAZORPAY_KEY_SECRET": KEY_SECRET, "CLASH_RAZORPAY_WEBHOOK_SECRET": WEBHOOK_SECRET})


@pytest.fixture
def host(storage_url, razorpay):
    h = start(storage_url, razorpay)
    yield h
    code, out, err = h.stop()
    # Secrets never reach the log.
    assert KEY_SECRET not in err and WEBHOOK_SECRET not in err


def verify(client, order_id, payment_id, signature=None):
    return client.post("/api/payments/verify-payment/", {
        "razorpay_order_id": order_id, "razorpay_payment_id": payment_id,
        "razorpay_signature": signature if signature is not None else payment_signature(order_id, payment_id)})


def post_webhook(host, body, signature, headers=None):
    """Server to server: no cookies, no Origin."""
    status, _, out = Client(host, origin=False).call(
        "POST", "/api/payments/webhook/", raw=body, headers={"X-Razorpay-Signature": signature, **(headers or {})})
    return status, out


def test_order_then_verify_credits_once(host, razorpay):
    c = login(host)
    status, order = c.post("/api/payments/create-order/", {"amount": 499})
    assert status == 201, order
    assert set(order) == {"order_id", "amount", "key", "xp_amount"}
    assert (order["amount"], order["key"], order["xp_amount"]) == (49900, KEY_ID, 500)
    assert order["order_id"] in razorpay.orders
    (_, path, headers, sent), = razorpay.order_requests()
    assert headers["authorization"] == "Basic " + base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
    assert sent == {"amount": 49900, "currency": "INR", "receipt": f"coc_{c.user['id']}_499",
                    "notes": {"user_id": str(c.user["id"])}}
    assert profile_xp(c) == 0

    status, body = verify(c, order["order_id"], "pay_abc123")
    assert status == 200 and body == {"status": "success", "new_xp": 500}
    status, body = verify(c, order["order_id"], "pay_abc123")
    assert status == 200 and body == {"message": "Payment already processed", "new_xp": 500}
    assert profile_xp(c) == 500
    status, history = c.get("/api/profiles/user/xp-history/")
    assert [(e["amount"], e["source"], e["reference"]) for e in history["results"]] == [(500, "payment", order["order_id"])]


def test_bad_signature_other_users_order_and_unknown_order(host, razorpay):
    owner, other = login(host), login(host)
    status, order = owner.post("/api/payments/create-order/", {"amount": 99})
    assert status == 201 and order["xp_amount"] == 100
    order_id = order["order_id"]

    status, body = verify(owner, order_id, "pay_1", signature="0" * 64)
    assert status == 400 and body["error"] == "Invalid Signature - Payment verification failed"
    status, body = verify(owner, order_id, "pay_1", signature=payment_signature(order_id, "pay_2"))
    assert status == 400
    status, body = owner.post("/api/payments/verify-payment/", {"razorpay_order_id": order_id})
    assert status == 400 and body["error"] == "Invalid Signature - Payment verification failed"
    status, body = verify(other, order_id, "pay_1")
    assert status == 403 and body["error"] == "Order does not belong to authenticated user"
    status, body = verify(owner, "order_unknown123", "pay_1")
    assert status == 404 and body["error"] == "Order not found"
    assert profile_xp(owner) == 0 and profile_xp(other) == 0
    status, body = verify(owner, order_id, "pay_1")
    assert status == 200 and body["new_xp"] == 100
    assert profile_xp(other) == 0


def test_create_order_validation(host, razorpay):
    c = login(host)
    status, body = c.post("/api/payments/create-order/", {})
    assert status == 400 and body["amount"] == ["This field is required."] and body["error"]
    for bad in ("lots", 12.5, [499], True):
        status, body = c.post("/api/payments/create-order/", {"amount": bad})
        assert status == 400 and body["amount"] == ["A valid integer is required."], bad
    for amount in (500, 0, -49, 10**12):
        status, body = c.post("/api/payments/create-order/", {"amount": amount})
        assert status == 400, amount
    status, body = c.post("/api/payments/create-order/", {"amount": 500})
    assert body["error"] == "Invalid package amount"
    # A string of digits is an integer, as the reference's serializer reads it.
    status, body = c.post("/api/payments/create-order/", {"amount": "1999"})
    assert status == 201 and body["amount"] == 199900 and body["xp_amount"] == 2500
    assert len(razorpay.order_requests()) == 1
    assert Client(host).call("POST", "/api/payments/create-order/", {"amount": 49})[0] == 401


def test_razorpay_refusing_or_failing(host, razorpay):
    c = login(host)
    razorpay.fail_status = 400
    status, body = c.post("/api/payments/create-order/", {"amount": 49})
    assert status == 400 and body["error"] == "Payment provider rejected the order request"
    razorpay.fail_status = 502
    status, body = c.post("/api/payments/create-order/", {"amount": 49})
    assert status == 503 and body["error"] == "Payment service is temporarily unavailable"


def test_webhook_credits_a_lost_callback_exactly_once(host, razorpay):
    c = login(host)
    status, order = c.post("/api/payments/create-order/", {"amount": 749})
    assert status == 201 and order["xp_amount"] == 800
    order_id = order["order_id"]
    # The browser never calls verify-payment; Razorpay delivers payment.captured.
    body, signature = webhook(order_id, "pay_lost1", 74900)
    status, out = post_webhook(host, body, signature)
    assert status == 200 and out == {"status": "ok", "credited": True, "detail": "credited"}
    assert profile_xp(c) == 800
    # Razorpay retries; the late browser callback arrives too. Nothing is credited again.
    status, out = post_webhook(host, body, signature)
    assert status == 200 and out == {"status": "ok", "credited": False, "detail": "already processed"}
    status, out = verify(c, order_id, "pay_lost1")
    assert status == 200 and out == {"message": "Payment already processed", "new_xp": 800}
    assert profile_xp(c) == 800

    # The signature covers the exact raw bytes: re-serialised JSON with the same content fails.
    status, out = post_webhook(host, body.replace(b",", b", "), signature)
    assert status == 400 and out["error"] == "Invalid webhook signature"
    # Other events are acknowledged and ignored; an amount that does not match is refused.
    body2, sig2 = webhook(order_id, "pay_lost1", 74900, event="payment.failed", status="failed")
    status, out = post_webhook(host, body2, sig2)
    assert status == 200 and out["credited"] is False and out["detail"] == "ignored: payment.failed"
    status, second = c.post("/api/payments/create-order/", {"amount": 49})
    body3, sig3 = webhook(second["order_id"], "pay_cheap", 100)
    status, out = post_webhook(host, body3, sig3)
    assert status == 400 and out["error"] == "Captured amount does not match the order amount"
    assert profile_xp(c) == 800
    # A foreign Origin and stale cookies change nothing: the route does no CSRF check or cookie auth.
    body4, sig4 = webhook(second["order_id"], "pay_ok", 4900)
    status, out = post_webhook(host, body4, sig4, headers={"Origin": "https://api.razorpay.com",
                                                           "Cookie": "access_token=garbage"})
    assert status == 200 and out["credited"] is True
    assert profile_xp(c) == 850


def test_without_keys_payments_answer_503(storage_url):
    h = Host(storage_url, "--rate-limits", "false")
    try:
        c = login(h)
        status, body = c.post("/api/payments/create-order/", {"amount": 499})
        assert status == 503 and body["error"] == UNAVAILABLE
        status, body = verify(c, "order_x", "pay_x")
        assert status == 503 and body["error"] == UNAVAILABLE
        raw, signature = webhook("order_x", "pay_x", 49900)
        status, body = post_webhook(h, raw, signature)
        assert status == 503 and "webhook secret missing" in body["error"]
        assert profile_xp(c) == 0
    finally:
        h.stop()
