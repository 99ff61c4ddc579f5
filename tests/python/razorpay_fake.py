"""A fake Razorpay API on 127.0.0.1 for the payment tests (HTTP and bindings).

It serves POST /v1/orders as Razorpay does (HTTP Basic key_id:key_secret, JSON order answer), records
every request, can be told to answer with an error status, and signs callbacks and webhook bodies the
way Razorpay does (lowercase hex HMAC-SHA256)."""
import base64
import hashlib
import hmac
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY_ID = "rzp_test_clashfake01"
KEY_SECRET = "fake-key-secret-" + "k" * 16
WEBHOOK_SECRET = "fake-webhook-secret-" + "w" * 12


def hmac_hex(secret, message):
    if isinstance(message, str):
        message = message.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def payment_signature(order_id, payment_id, key_secret=KEY_SECRET):
    """The razorpay_signature Checkout hands the browser."""
    return hmac_hex(key_secret, f"{order_id}|{payment_id}")


def webhook(order_id, payment_id, amount_paise, event="payment.captured", status="captured"):
    """(raw body bytes, X-Razorpay-Signature) of a webhook delivery."""
    body = json.dumps({
        "entity": "event",
        "account_id": "acc_fake",
        "event": event,
        "contains": ["payment"],
        "payload": {"payment": {"entity": {
            "id": payment_id, "entity": "payment", "amount": amount_paise, "currency": "INR",
            "status": status, "order_id": order_id, "method": "upi", "captured": status == "captured",
        }}},
        "created_at": 1767225600,
    }, separators=(",", ":")).encode()
    return body, hmac_hex(WEBHOOK_SECRET, body)


class FakeRazorpay:
    """Serves until close(). `fail_status` set: every order request answers that status."""

    def __init__(self):
        self.requests = []          # (method, path, headers dict lower-cased, parsed JSON body)
        self.orders = {}            # order id -> order JSON
        self.fail_status = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                body = json.loads(raw) if raw else None
                fake.requests.append(("POST", self.path, headers, body))
                if self.path != "/v1/orders":
                    return self._reply(404, {"error": {"code": "BAD_REQUEST_ERROR", "description": "not found"}})
                expected = "Basic " + base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
                if headers.get("authorization") != expected:
                    return self._reply(401, {"error": {"code": "BAD_REQUEST_ERROR",
                                                       "description": "Authentication failed"}})
                if fake.fail_status is not None:
                    return self._reply(fake.fail_status, {"error": {"code": "SERVER_ERROR",
                                                                    "description": "failure requested by the test"}})
                order = {"id": "order_" + secrets.token_hex(7), "entity": "order", "amount": body["amount"],
                         "amount_paid": 0, "amount_due": body["amount"], "currency": body["currency"],
                         "receipt": body.get("receipt"), "status": "created", "attempts": 0,
                         "notes": body.get("notes", {}), "created_at": 1767225600}
                fake.orders[order["id"]] = order
                self._reply(200, order)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def order_requests(self):
        return [r for r in self.requests if r[1] == "/v1/orders"]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
