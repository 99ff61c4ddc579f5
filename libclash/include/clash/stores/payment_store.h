// clash/stores/payment_store.h — storage of Razorpay orders and their outcome (used by clash::Payments).
//
// For backend authors: implement these interfaces (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls them directly. Every method runs inside the
// transaction that handed the store out and documents its success and failure results; the contract
// suite (tests/storage/) checks them on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

enum class PaymentStatus { kPending, kSucceeded };

struct PaymentRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string order_id;                 // Razorpay's
  std::string payment_id;               // set when it succeeds
  int amount_inr = 0;
  std::int64_t xp_amount = 0;
  PaymentStatus status = PaymentStatus::kPending;
  Timestamp created_at;
  Timestamp updated_at;
  bool operator==(const PaymentRecord&) const = default;
};

class CLASH_EXPORT PaymentStore {
 public:
  virtual ~PaymentStore() = default;
  // Inserts (id ignored) and returns the id. AlreadyExists for a known order id.
  virtual Result<std::int64_t> Insert(const PaymentRecord& payment) = 0;
  // The payment of `order_id`, locked until the transaction ends. NotFound if absent.
  virtual Result<PaymentRecord> LockByOrder(std::string_view order_id) = 0;
  // Marks the payment succeeded with `payment_id`. NotFound if absent.
  virtual Status MarkSucceeded(std::string_view order_id, std::string_view payment_id, Timestamp now) = 0;
};

}  // namespace clash
