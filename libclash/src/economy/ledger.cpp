// The XP ledger: every change is an entry written together with the materialised balance, once per
// idempotency key, never below zero.
#include <string>
#include <utility>

#include "clash/economy.h"
#include "clash/storage.h"
#include "economy/ledger_internal.h"

namespace clash {
namespace {

constexpr std::size_t kMaxKeyLength = 200;
constexpr std::size_t kMaxReferenceLength = 200;
constexpr std::size_t kMaxReasonLength = 500;
constexpr int kMaxHistoryPage = 200;
// Far above any real award or price; keeps every sum of amounts clear of int64 overflow.
constexpr std::int64_t kMaxAbsAmount = 1'000'000'000'000;

Status Validate(const XpChange& change) {
  if (change.user_id <= 0) return Status::InvalidArgument("unknown user");
  if (change.amount == 0) return Status::InvalidArgument("XP amount must not be zero");
  if (change.amount > kMaxAbsAmount || change.amount < -kMaxAbsAmount) {
    return Status::InvalidArgument("XP amount is out of range");
  }
  if (change.idempotency_key.empty() || change.idempotency_key.size() > kMaxKeyLength) {
    return Status::InvalidArgument("idempotency key must have 1-200 characters");
  }
  if (change.reference.size() > kMaxReferenceLength) {
    return Status::InvalidArgument("reference must have at most 200 characters");
  }
  if (change.reason.size() > kMaxReasonLength) return Status::InvalidArgument("reason must have at most 500 characters");
  return Status::Ok();
}

}  // namespace

namespace internal {

Status InsufficientXp(std::int64_t required, std::int64_t current, std::string message) {
  const std::int64_t shortage = required > current ? required - current : 0;
  return Status::InsufficientFunds(std::move(message))
      .WithDetail("detail",
                  "This costs " + std::to_string(required) + " XP but you have " + std::to_string(current) + ".")
      .WithDetail("required_xp", required)
      .WithDetail("current_xp", current)
      .WithDetail("shortage", shortage)
      .WithDetail("how_to_earn", std::string("Complete levels, check in daily or buy XP."));
}

}  // namespace internal

Ledger::Ledger(Storage& storage, Clock& clock) : storage_(storage), clock_(clock) {}

Result<LedgerResult> Ledger::ApplyIn(StorageTransaction& tx, const XpChange& change, Timestamp now) {
  CLASH_RETURN_IF_ERROR(Validate(change));
  LedgerEntry entry{.id = 0,
                    .user_id = change.user_id,
                    .amount = change.amount,
                    .source = change.source,
                    .reference = change.reference,
                    .idempotency_key = change.idempotency_key,
                    .created_at = now,
                    .actor_id = change.actor_id,
                    .reason = change.reason};
  Result<std::optional<std::int64_t>> inserted = tx.ledger().InsertEntry(entry);
  if (!inserted.ok()) {
    if (inserted.status().code() == StatusCode::kFailedPrecondition) return Status::InvalidArgument("unknown user");
    return inserted.status();
  }
  if (!inserted->has_value()) {
    // The key was applied before: the same change is a no-op retry, a different one is refused.
    CLASH_ASSIGN_OR_RETURN(LedgerEntry existing, tx.ledger().GetByKey(change.user_id, change.idempotency_key));
    if (existing.amount != change.amount || existing.source != change.source ||
        existing.reference != change.reference) {
      return Status::FailedPrecondition("idempotency key already used for a different change");
    }
    CLASH_ASSIGN_OR_RETURN(std::int64_t balance, tx.ledger().Balance(change.user_id));
    return LedgerResult{.entry = std::move(existing), .balance = balance, .applied = false};
  }
  entry.id = **inserted;
  CLASH_ASSIGN_OR_RETURN(std::optional<std::int64_t> balance, tx.ledger().AddToBalance(change.user_id, change.amount));
  if (!balance.has_value()) {
    // The caller's transaction rolls back on this error, and with it the entry just inserted.
    CLASH_ASSIGN_OR_RETURN(std::int64_t current, tx.ledger().Balance(change.user_id));
    return internal::InsufficientXp(-change.amount, current);
  }
  return LedgerResult{.entry = std::move(entry), .balance = *balance, .applied = true};
}

Result<LedgerResult> Ledger::Apply(const XpChange& change) {
  CLASH_RETURN_IF_ERROR(Validate(change));
  Result<LedgerResult> out = Status::Internal("ledger transaction produced no result");
  Status tx_status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    out = ApplyIn(tx, change, clock_.Now());
    return out.status();
  });
  if (!tx_status.ok()) return tx_status;
  return out;
}

Result<LedgerResult> Ledger::Adjust(const User& actor, std::int64_t user_id, std::int64_t amount, std::string reason,
                                    std::string idempotency_key) {
  // Refuse non-staff before revealing whether the user exists.
  CLASH_RETURN_IF_ERROR(Require(actor, Permission::kManageUser));
  if (reason.empty()) return Status::InvalidArgument("an adjustment needs a reason");
  const XpChange change{.user_id = user_id,
                        .amount = amount,
                        .source = XpSource::kAdminAdjustment,
                        .reference = reason.substr(0, kMaxReferenceLength),
                        .idempotency_key = std::move(idempotency_key),
                        .actor_id = actor.id,
                        .reason = std::move(reason)};
  Result<LedgerResult> out = Status::Internal("ledger transaction produced no result");
  Status tx_status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    Result<User> target = tx.users().GetById(user_id);
    if (!target.ok()) {
      out = target.status().code() == StatusCode::kNotFound ? Status::NotFound("User not found") : target.status();
      return out.status();
    }
    Status allowed = Require(actor, Permission::kManageUser, &*target);
    if (!allowed.ok()) {
      out = allowed;
      return allowed;
    }
    out = ApplyIn(tx, change, clock_.Now());
    return out.status();
  });
  if (!tx_status.ok()) return tx_status;
  return out;
}

Result<std::int64_t> Ledger::Balance(std::int64_t user_id) {
  std::int64_t balance = 0;
  Status tx_status = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(balance, tx.ledger().Balance(user_id));
    return Status::Ok();
  });
  if (!tx_status.ok()) return tx_status;
  return balance;
}

Result<LedgerPage> Ledger::History(std::int64_t user_id, int limit, std::optional<std::int64_t> before_id) {
  if (limit < 1 || limit > kMaxHistoryPage) return Status::InvalidArgument("limit must be between 1 and 200");
  LedgerPage page;
  Status tx_status = storage_.Read([&](StorageTransaction& tx) -> Status {
    // One row more than asked tells whether another page exists.
    CLASH_ASSIGN_OR_RETURN(page.entries, tx.ledger().History(user_id, limit + 1, before_id));
    return Status::Ok();
  });
  if (!tx_status.ok()) return tx_status;
  if (page.entries.size() > static_cast<std::size_t>(limit)) {
    page.entries.resize(static_cast<std::size_t>(limit));
    page.next_before_id = page.entries.back().id;
  }
  return page;
}

}  // namespace clash
