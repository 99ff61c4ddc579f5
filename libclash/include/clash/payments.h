// clash/payments.h — buying XP with Razorpay: orders, signature verification, webhook.
//
// Packages (INR -> XP): 49->50, 99->100, 199->200, 249->250, 499->500, 749->800, 999->1000,
// 1999->2500. CreateOrder asks Razorpay (through the outbound HttpClient) for an order and records
// it as pending for the caller. The XP of an order is credited exactly once, through the ledger
// (source payment, idempotency key "payment:<order id>"), by whichever arrives first: the browser's
// Verify call (HMAC-SHA256 of "order_id|payment_id" with the key secret) or Razorpay's
// `payment.captured` webhook (HMAC-SHA256 of the raw body with the webhook secret).
//
// Without a key id and key secret the module answers Unavailable("Payment service is unavailable
// (Razorpay keys missing)"); without a webhook secret the webhook answers Unavailable.
//
// Thread-safety: Payments is safe for concurrent use.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/auth.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/log.h"
#include "clash/status.h"
#include "clash/transport.h"

namespace clash {

class Storage;

struct XpPackage {
  int amount_inr = 0;
  std::int64_t xp = 0;
};
CLASH_EXPORT const std::vector<XpPackage>& XpPackages();

struct RazorpayOptions {
  std::string key_id;                   // rzp_live_... / rzp_test_...
  std::string key_secret;               // signs the browser's callback and authenticates API calls
  std::string webhook_secret;           // signs webhook bodies
  std::string api_base = "https://api.razorpay.com";  // tests point this at a fake server
  std::chrono::milliseconds timeout{10000};
};

struct PaymentOrder {
  std::string order_id;
  std::int64_t amount_paise = 0;
  std::string key_id;
  std::int64_t xp_amount = 0;
};

struct PaymentCredit {
  bool already_processed = false;       // credited before (by Verify or the webhook)
  std::int64_t new_xp = 0;              // the balance now
};

struct WebhookOutcome {
  bool credited = false;                // this call credited the order
  std::string detail;                   // "credited", "already processed", "ignored: <event>", ...
};

class CLASH_EXPORT Payments {
 public:
  // `http` may be null only when no keys are configured.
  Payments(Storage& storage, Clock& clock, Logger& logger, HttpClient* http, RazorpayOptions options);

  bool configured() const;

  // InvalidArgument "Invalid package amount"; Unavailable (no keys; Razorpay unreachable);
  // FailedPrecondition "Payment provider rejected the order request" (Razorpay answered 4xx);
  // Internal for anything else.
  Result<PaymentOrder> CreateOrder(const User& user, int amount_inr);
  // InvalidArgument "Invalid Signature - Payment verification failed" (checked before anything is
  // read); NotFound "Order not found"; PermissionDenied "Order does not belong to authenticated user".
  Result<PaymentCredit> Verify(const User& user, std::string_view order_id, std::string_view payment_id,
                               std::string_view signature);
  // `raw_body` exactly as received and the X-Razorpay-Signature header. InvalidArgument for a bad
  // signature or body; events other than payment.captured / order.paid and unknown orders are
  // ignored (OK, credited false); a captured amount different from the order's is refused with
  // FailedPrecondition and credits nothing.
  Result<WebhookOutcome> HandleWebhook(std::string_view raw_body, std::string_view signature);

 private:
  Storage& storage_;
  Clock& clock_;
  Logger& logger_;
  HttpClient* http_;
  RazorpayOptions options_;
};

}  // namespace clash
