// Buying XP with Razorpay: order, browser callback, webhook. See economy_routes.h.
#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/json_body.h"
#include "http/json_response.h"
#include "routes/economy_routes.h"

namespace clash::host {

using nlohmann::json;

void AddPaymentRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add(
      "POST", "/api/payments/create-order/",
      Guard(ctx, Access::kUser, "store",
            [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
              json body;
              if (!ReadJsonObject(req, resp, &body)) return;
              if (!body.contains("amount") || body["amount"].is_null()) {
                return WriteFieldError(resp, "amount", "This field is required.");
              }
              std::optional<std::int64_t> amount = LenientInt(body["amount"]);
              if (!amount || *amount < std::numeric_limits<int>::min() || *amount > std::numeric_limits<int>::max()) {
                return WriteFieldError(resp, "amount", "A valid integer is required.");
              }
              Result<PaymentOrder> order = engine.payments().CreateOrder(*caller.user, static_cast<int>(*amount));
              if (!order.ok()) return WriteError(resp, order.status());
              WriteJson(resp, 201,
                        json{{"order_id", order->order_id},
                             {"amount", order->amount_paise},
                             {"key", order->key_id},
                             {"xp_amount", order->xp_amount}});
            }));

  router.Add(
      "POST", "/api/payments/verify-payment/",
      Guard(ctx, Access::kUser, "store",
            [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
              json body;
              std::string order_id, payment_id, signature;
              if (!ReadJsonObject(req, resp, &body) || !StringField(body, "razorpay_order_id", resp, &order_id) ||
                  !StringField(body, "razorpay_payment_id", resp, &payment_id) ||
                  !StringField(body, "razorpay_signature", resp, &signature)) {
                return;
              }
              // Missing fields fail the signature check in the library, as with the reference's SDK.
              Result<PaymentCredit> credit = engine.payments().Verify(*caller.user, order_id, payment_id, signature);
              if (!credit.ok()) return WriteError(resp, credit.status());
              if (credit->already_processed) {
                return WriteJson(resp, 200, json{{"message", "Payment already processed"}, {"new_xp", credit->new_xp}});
              }
              WriteJson(resp, 200, json{{"status", "success"}, {"new_xp", credit->new_xp}});
            }));

  // Razorpay calls this server to server: no caller resolution (cookies are ignored), no Origin/CSRF
  // check and no throttle; the HMAC over the exact raw body is the authentication.
  router.Add("POST", "/api/payments/webhook/", [&engine](HttpRequest& req, HttpResponse& resp) {
    std::string signature = req.Header("x-razorpay-signature").value_or("");
    Result<WebhookOutcome> outcome = engine.payments().HandleWebhook(req.body, signature);
    if (!outcome.ok()) return WriteError(resp, outcome.status());
    WriteJson(resp, 200, json{{"status", "ok"}, {"credited", outcome->credited}, {"detail", outcome->detail}});
  });
}

}  // namespace clash::host
