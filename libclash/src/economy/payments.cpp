// Payments: XP packages bought through Razorpay. An order's XP is credited once, through the
// ledger, by Verify (the browser's callback) or the webhook, whichever comes first; both lock the
// payment row and use the same idempotency key, so together they credit exactly once.
#include "clash/payments.h"

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "clash/economy.h"
#include "clash/storage.h"
#include "economy/razorpay_client.h"

namespace clash {
namespace {

using nlohmann::json;

const XpPackage* FindPackage(int amount_inr) {
  const auto& packages = XpPackages();
  auto it = std::find_if(packages.begin(), packages.end(),
                         [&](const XpPackage& p) { return p.amount_inr == amount_inr; });
  return it == packages.end() ? nullptr : &*it;
}

struct Credit {
  bool applied = false;       // this call credited the order
  std::int64_t balance = 0;   // the user's balance afterwards
};

// Credits the locked, pending `payment`: marks it succeeded and adds its XP through the ledger.
Result<Credit> CreditOrder(StorageTransaction& tx, const PaymentRecord& payment, std::string_view payment_id,
                           Timestamp now) {
  CLASH_RETURN_IF_ERROR(tx.payments().MarkSucceeded(payment.order_id, payment_id, now));
  CLASH_ASSIGN_OR_RETURN(LedgerResult r,
                         Ledger::ApplyIn(tx,
                                         XpChange{.user_id = payment.user_id, .amount = payment.xp_amount,
                                                  .source = XpSource::kPayment, .reference = payment.order_id,
                                                  .idempotency_key = "payment:" + payment.order_id,
                                                  .actor_id = std::nullopt,
                                                  .reason = "XP bought with a verified payment"},
                                         now));
  return Credit{.applied = r.applied, .balance = r.balance};
}

// The payment of `order_id`, locked; nullopt if there is none.
Result<std::optional<PaymentRecord>> LockPayment(StorageTransaction& tx, std::string_view order_id) {
  Result<PaymentRecord> payment = tx.payments().LockByOrder(order_id);
  if (!payment.ok()) {
    if (payment.status().code() == StatusCode::kNotFound) return std::optional<PaymentRecord>();
    return payment.status();
  }
  return std::optional<PaymentRecord>(std::move(payment).value());
}

// The fields of a payment.captured / order.paid body the webhook needs.
struct CapturedPayment {
  std::string payment_id;
  std::string order_id;
  std::int64_t amount_paise = 0;
  std::string status;
};

Result<CapturedPayment> ParseCapturedPayment(const json& body) {
  const Status bad = Status::InvalidArgument("Invalid webhook body: payload.payment.entity is incomplete");
  auto payload = body.find("payload");
  if (payload == body.end() || !payload->is_object()) return bad;
  auto payment = payload->find("payment");
  if (payment == payload->end() || !payment->is_object()) return bad;
  auto entity = payment->find("entity");
  if (entity == payment->end() || !entity->is_object()) return bad;
  auto id = entity->find("id");
  auto order_id = entity->find("order_id");
  auto amount = entity->find("amount");
  if (id == entity->end() || !id->is_string() || order_id == entity->end() || !order_id->is_string() ||
      amount == entity->end() || !amount->is_number_integer()) {
    return bad;
  }
  CapturedPayment out;
  out.payment_id = id->get<std::string>();
  out.order_id = order_id->get<std::string>();
  // An amount beyond int64 cannot match any order: keep it as -1.
  const bool huge = amount->is_number_unsigned() &&
                    amount->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  out.amount_paise = huge ? -1 : amount->get<std::int64_t>();
  auto status = entity->find("status");
  if (status != entity->end() && status->is_string()) out.status = status->get<std::string>();
  if (out.payment_id.empty() || out.order_id.empty()) return bad;
  return out;
}

}  // namespace

const std::vector<XpPackage>& XpPackages() {
  static const std::vector<XpPackage> kPackages = {
      {49, 50}, {99, 100}, {199, 200}, {249, 250}, {499, 500}, {749, 800}, {999, 1000}, {1999, 2500},
  };
  return kPackages;
}

Payments::Payments(Storage& storage, Clock& clock, Logger& logger, HttpClient* http, RazorpayOptions options)
    : storage_(storage), clock_(clock), logger_(logger), http_(http), options_(std::move(options)) {}

bool Payments::configured() const { return !options_.key_id.empty() && !options_.key_secret.empty(); }

Result<PaymentOrder> Payments::CreateOrder(const User& user, int amount_inr) {
  const XpPackage* package = FindPackage(amount_inr);
  if (package == nullptr) return Status::InvalidArgument("Invalid package amount");
  if (!configured()) return Status::Unavailable("Payment service is unavailable (Razorpay keys missing)");
  if (http_ == nullptr) return Status::Unavailable("Payment service is temporarily unavailable");
  CLASH_ASSIGN_OR_RETURN(std::string order_id,
                         internal::CreateRazorpayOrder(*http_, options_, logger_, user.id, amount_inr));
  Status status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = clock_.Now();
    PaymentRecord record;
    record.user_id = user.id;
    record.order_id = order_id;
    record.amount_inr = amount_inr;
    record.xp_amount = package->xp;
    record.status = PaymentStatus::kPending;
    record.created_at = now;
    record.updated_at = now;
    return tx.payments().Insert(record).status();
  });
  if (!status.ok()) return status;
  logger_.Info("payment order created",
               {{"user_id", user.id}, {"order_id", order_id}, {"amount_inr", amount_inr}, {"xp", package->xp}});
  return PaymentOrder{.order_id = order_id, .amount_paise = static_cast<std::int64_t>(amount_inr) * 100,
                      .key_id = options_.key_id, .xp_amount = package->xp};
}

Result<PaymentCredit> Payments::Verify(const User& user, std::string_view order_id, std::string_view payment_id,
                                       std::string_view signature) {
  if (!configured()) return Status::Unavailable("Payment service is unavailable (Razorpay keys missing)");
  // The signature is checked before anything is read, so forged requests learn nothing.
  if (order_id.empty() || payment_id.empty() ||
      !internal::PaymentSignatureValid(options_.key_secret, order_id, payment_id, signature)) {
    return Status::InvalidArgument("Invalid Signature - Payment verification failed");
  }
  PaymentCredit out;
  Status status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::optional<PaymentRecord> payment, LockPayment(tx, order_id));
    if (!payment) return Status::NotFound("Order not found");
    if (payment->user_id != user.id) {
      return Status::PermissionDenied("Order does not belong to authenticated user");
    }
    if (payment->status == PaymentStatus::kSucceeded) {
      out.already_processed = true;
      CLASH_ASSIGN_OR_RETURN(out.new_xp, tx.ledger().Balance(user.id));
      return Status::Ok();
    }
    CLASH_ASSIGN_OR_RETURN(Credit credit, CreditOrder(tx, *payment, payment_id, clock_.Now()));
    out.already_processed = !credit.applied;
    out.new_xp = credit.balance;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (!out.already_processed) {
    logger_.Info("payment verified and credited", {{"user_id", user.id}, {"order_id", std::string(order_id)}});
  }
  return out;
}

Result<WebhookOutcome> Payments::HandleWebhook(std::string_view raw_body, std::string_view signature) {
  if (options_.webhook_secret.empty()) {
    return Status::Unavailable("Payment webhook is unavailable (Razorpay webhook secret missing)");
  }
  if (!internal::WebhookSignatureValid(options_.webhook_secret, raw_body, signature)) {
    logger_.Warn("payment webhook with a bad signature");
    return Status::InvalidArgument("Invalid webhook signature");
  }
  json body = json::parse(raw_body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return Status::InvalidArgument("Invalid webhook body: not a JSON object");
  auto event_it = body.find("event");
  if (event_it == body.end() || !event_it->is_string()) {
    return Status::InvalidArgument("Invalid webhook body: no event");
  }
  const std::string event = event_it->get<std::string>();
  if (event != "payment.captured" && event != "order.paid") {
    return WebhookOutcome{.credited = false, .detail = "ignored: " + event};
  }
  CLASH_ASSIGN_OR_RETURN(CapturedPayment captured, ParseCapturedPayment(body));
  if (!captured.status.empty() && captured.status != "captured") {
    return WebhookOutcome{.credited = false, .detail = "ignored: payment " + captured.status};
  }
  WebhookOutcome out;
  std::int64_t user_id = 0;
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    out = WebhookOutcome{};
    CLASH_ASSIGN_OR_RETURN(std::optional<PaymentRecord> payment, LockPayment(tx, captured.order_id));
    if (!payment) {
      out.detail = "ignored: unknown order";
      return Status::Ok();
    }
    user_id = payment->user_id;
    if (captured.amount_paise != static_cast<std::int64_t>(payment->amount_inr) * 100) {
      return Status::FailedPrecondition("Captured amount does not match the order amount");
    }
    if (payment->status == PaymentStatus::kSucceeded) {
      out.detail = "already processed";
      return Status::Ok();
    }
    CLASH_ASSIGN_OR_RETURN(Credit credit, CreditOrder(tx, *payment, captured.payment_id, clock_.Now()));
    out.credited = credit.applied;
    out.detail = credit.applied ? "credited" : "already processed";
    return Status::Ok();
  });
  if (!s.ok()) {
    if (s.code() == StatusCode::kFailedPrecondition) {
      logger_.Warn("payment webhook amount mismatch", {{"order_id", captured.order_id},
                                                       {"amount_paise", captured.amount_paise}});
    }
    return s;
  }
  logger_.Info("payment webhook", {{"order_id", captured.order_id}, {"user_id", user_id}, {"detail", out.detail}});
  return out;
}

}  // namespace clash
