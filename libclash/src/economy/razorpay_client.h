// Internal: the Razorpay wire protocol — the orders API call and the two signature checks.
//
// Nothing here touches storage; Payments (payments.cpp) combines these with the ledger. The key
// secret and the webhook secret never appear in a returned Status or a log line.
//
// Thread-safety: stateless functions, safe for concurrent use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "clash/log.h"
#include "clash/payments.h"
#include "clash/status.h"
#include "clash/transport.h"

namespace clash::internal {

// Asks Razorpay (POST {api_base}/v1/orders, HTTP Basic key_id:key_secret) for an order of
// `amount_inr` rupees for `user_id` and returns Razorpay's order id. Failures are logged to
// `logger` (HTTP status or transport error, never the credentials). Errors:
//   FailedPrecondition "Payment provider rejected the order request" — Razorpay answered 4xx;
//   Unavailable "Payment service is temporarily unavailable" — 5xx, timeout or no connection;
//   Internal "Unable to create payment order" — any other answer (no order id, 3xx, bad URL).
Result<std::string> CreateRazorpayOrder(HttpClient& http, const RazorpayOptions& options, const Logger& logger,
                                        std::int64_t user_id, int amount_inr);

// The JSON body of that request: {amount (paise), currency "INR", receipt "coc_<user>_<amount>",
// notes {user_id}}.
std::string RazorpayOrderBody(std::int64_t user_id, int amount_inr);

// "Basic " + base64(key_id ":" key_secret), RFC 7617 (standard alphabet, padded).
std::string BasicAuthorization(std::string_view user, std::string_view password);

// True if `signature` is the lowercase hex HMAC-SHA256 of "order_id|payment_id" under
// `key_secret` (the checkout callback). Constant time in the signature's contents.
bool PaymentSignatureValid(std::string_view key_secret, std::string_view order_id, std::string_view payment_id,
                           std::string_view signature);

// True if `signature` is the lowercase hex HMAC-SHA256 of `raw_body` under `webhook_secret`.
bool WebhookSignatureValid(std::string_view webhook_secret, std::string_view raw_body, std::string_view signature);

// Lowercase hex HMAC-SHA256(secret, message): what Razorpay sends as a signature (tests sign with it).
std::string RazorpaySignature(std::string_view secret, std::string_view message);

}  // namespace clash::internal
