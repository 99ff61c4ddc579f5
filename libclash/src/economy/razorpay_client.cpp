// Razorpay's orders API and signature checks (see razorpay_client.h).
#include "economy/razorpay_client.h"

#include <nlohmann/json.hpp>

#include "common/crypto.h"

namespace clash::internal {

std::string RazorpayOrderBody(std::int64_t user_id, int amount_inr) {
  nlohmann::json body = {
      {"amount", static_cast<std::int64_t>(amount_inr) * 100},
      {"currency", "INR"},
      {"receipt", "coc_" + std::to_string(user_id) + "_" + std::to_string(amount_inr)},
      {"notes", {{"user_id", std::to_string(user_id)}}},
  };
  return body.dump();
}

std::string BasicAuthorization(std::string_view user, std::string_view password) {
  // Base64url without padding differs from standard base64 only in two characters and the padding.
  std::string text = Base64UrlEncode(std::string(user) + ":" + std::string(password));
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4 != 0) text.push_back('=');
  return "Basic " + text;
}

std::string RazorpaySignature(std::string_view secret, std::string_view message) {
  return HexEncode(HmacSha256(secret, message));
}

bool PaymentSignatureValid(std::string_view key_secret, std::string_view order_id, std::string_view payment_id,
                           std::string_view signature) {
  std::string message;
  message.reserve(order_id.size() + 1 + payment_id.size());
  message.append(order_id).append("|").append(payment_id);
  return ConstantTimeEquals(RazorpaySignature(key_secret, message), signature);
}

bool WebhookSignatureValid(std::string_view webhook_secret, std::string_view raw_body, std::string_view signature) {
  return ConstantTimeEquals(RazorpaySignature(webhook_secret, raw_body), signature);
}

Result<std::string> CreateRazorpayOrder(HttpClient& http, const RazorpayOptions& options, const Logger& logger,
                                        std::int64_t user_id, int amount_inr) {
  std::string base = options.api_base;
  while (!base.empty() && base.back() == '/') base.pop_back();
  HttpClientRequest req{
      .method = "POST",
      .url = base + "/v1/orders",
      .headers = {{"Authorization", BasicAuthorization(options.key_id, options.key_secret)},
                  {"Content-Type", "application/json"},
                  {"Accept", "application/json"}},
      .body = RazorpayOrderBody(user_id, amount_inr),
      .timeout = options.timeout,
  };
  Result<HttpClientResponse> resp = http.Send(req);
  if (!resp.ok()) {
    logger.Warn("razorpay order request failed", {{"user_id", user_id}, {"error", resp.status().ToString()}});
    const StatusCode code = resp.status().code();
    if (code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded) {
      return Status::Unavailable("Payment service is temporarily unavailable");
    }
    return Status::Internal("Unable to create payment order");
  }
  if (resp->status < 200 || resp->status >= 300) {
    logger.Warn("razorpay refused the order request", {{"user_id", user_id}, {"http_status", resp->status}});
  }
  if (resp->status >= 500) return Status::Unavailable("Payment service is temporarily unavailable");
  if (resp->status >= 400) return Status::FailedPrecondition("Payment provider rejected the order request");
  if (resp->status < 200 || resp->status >= 300) return Status::Internal("Unable to create payment order");
  nlohmann::json body = nlohmann::json::parse(resp->body, nullptr, /*allow_exceptions=*/false);
  auto id = body.is_object() ? body.find("id") : body.end();
  if (!body.is_object() || id == body.end() || !id->is_string() || id->get<std::string>().empty() ||
      id->get<std::string>().size() > 100) {
    logger.Error("razorpay order answer has no order id", {{"user_id", user_id}, {"http_status", resp->status}});
    return Status::Internal("Unable to create payment order");
  }
  return id->get<std::string>();
}

}  // namespace clash::internal
