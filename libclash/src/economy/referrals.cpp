// Referral codes and their redemption: one per user, never one's own, never closing a cycle, and
// 100 XP to each side through the ledger, all in one transaction.
#include <cctype>
#include <string>
#include <utility>

#include "clash/economy.h"
#include "clash/storage.h"
#include "economy/ledger_internal.h"

namespace clash {
namespace {

constexpr std::string_view kCodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::size_t kCodeLength = 8;
constexpr int kCodeAttempts = 8;
// Longer input cannot be anyone's code; it is refused without a lookup.
constexpr std::size_t kMaxCodeInput = 64;
// The redeemer's award; its presence is the record that a user redeemed a code.
constexpr std::string_view kRedeemedKey = "referral:redeemed";
// Chains are acyclic by construction; the bound only guards against corrupted data.
constexpr int kMaxChainSteps = 10'000;

std::string DrawCode(Rng& rng) {
  std::string code;
  code.reserve(kCodeLength);
  for (std::size_t i = 0; i < kCodeLength; ++i) {
    code.push_back(kCodeAlphabet[rng.Uniform(0, kCodeAlphabet.size() - 1)]);
  }
  return code;
}

std::string NormalizeCode(std::string_view code) {
  std::size_t begin = 0, end = code.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(code[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(code[end - 1]))) --end;
  std::string out(code.substr(begin, end - begin));
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

namespace internal {

Result<std::string> EnsureReferralCode(StorageTransaction& tx, Rng& rng, std::int64_t user_id) {
  Result<User> user = tx.users().GetById(user_id);
  if (!user.ok()) {
    return user.status().code() == StatusCode::kNotFound ? Status::NotFound("User not found") : user.status();
  }
  CLASH_ASSIGN_OR_RETURN(std::string code, tx.wallets().ReferralCode(user_id));
  if (!code.empty()) return code;
  for (int attempt = 0; attempt < kCodeAttempts; ++attempt) {
    std::string candidate = DrawCode(rng);
    // Checking first avoids a unique-key violation in the common case of a collision.
    CLASH_ASSIGN_OR_RETURN(std::optional<std::int64_t> holder, tx.wallets().FindByReferralCode(candidate));
    if (holder.has_value()) continue;
    Result<std::string> set = tx.wallets().SetReferralCode(user_id, candidate);
    if (set.ok()) return std::move(set).value();
    if (set.status().code() != StatusCode::kAlreadyExists) return set.status();
  }
  return Status::Internal("could not allocate a free referral code");
}

}  // namespace internal

Referrals::Referrals(Storage& storage, Clock& clock, Rng& rng) : storage_(storage), clock_(clock), rng_(rng) {}

Result<std::string> Referrals::CodeOf(std::int64_t user_id) {
  std::string code;
  Status tx_status = storage_.Read([&](StorageTransaction& tx) -> Status {
    Result<User> user = tx.users().GetById(user_id);
    if (!user.ok()) {
      return user.status().code() == StatusCode::kNotFound ? Status::NotFound("User not found") : user.status();
    }
    CLASH_ASSIGN_OR_RETURN(code, tx.wallets().ReferralCode(user_id));
    return Status::Ok();
  });
  if (!tx_status.ok()) return tx_status;
  if (!code.empty()) return code;
  Status create_status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(code, internal::EnsureReferralCode(tx, rng_, user_id));
    return Status::Ok();
  });
  if (!create_status.ok()) return create_status;
  return code;
}

Result<ReferralOutcome> Referrals::Redeem(std::int64_t user_id, std::string_view code_text) {
  const std::string code = NormalizeCode(code_text);
  if (code.empty()) return Status::InvalidArgument("Referral code is required");
  ReferralOutcome out;
  Status tx_status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    out = ReferralOutcome{};
    // One redemption at a time: the cycle check below reads chains another redemption may extend.
    CLASH_RETURN_IF_ERROR(tx.wallets().LockReferrals());
    Result<WalletRecord> wallet = tx.wallets().Lock(user_id);
    if (!wallet.ok()) {
      return wallet.status().code() == StatusCode::kFailedPrecondition ? Status::NotFound("User profile not found")
                                                                       : wallet.status();
    }
    const Status already = Status::FailedPrecondition("You have already redeemed a referral code");
    if (wallet->referred_by.has_value()) return already;
    // Deleting the referrer clears referred_by; the redeemer's award says they redeemed all the same.
    Result<LedgerEntry> earlier = tx.ledger().GetByKey(user_id, kRedeemedKey);
    if (earlier.ok()) return already;
    if (earlier.status().code() != StatusCode::kNotFound) return earlier.status();
    const Status invalid = Status::NotFound("Invalid referral code");
    if (code.size() > kMaxCodeInput) return invalid;
    CLASH_ASSIGN_OR_RETURN(std::optional<std::int64_t> referrer, tx.wallets().FindByReferralCode(code));
    if (!referrer.has_value()) return invalid;
    if (*referrer == user_id) return Status::FailedPrecondition("Cannot redeem your own referral code");

    // Walk up the referrer's chain: reaching the redeemer means this redemption closes a cycle.
    const Status cycle = Status::FailedPrecondition("Referral codes cannot form a cycle");
    std::int64_t current = *referrer;
    for (int step = 0;; ++step) {
      if (step == kMaxChainSteps) return cycle;
      CLASH_ASSIGN_OR_RETURN(WalletRecord up, tx.wallets().Get(current));
      if (!up.referred_by.has_value()) break;
      current = *up.referred_by;
      if (current == user_id) return cycle;
    }

    CLASH_ASSIGN_OR_RETURN(bool set, tx.wallets().SetReferredBy(user_id, *referrer));
    if (!set) return already;
    const Timestamp now = clock_.Now();
    CLASH_ASSIGN_OR_RETURN(LedgerResult redeemer_award,
                           Ledger::ApplyIn(tx,
                                           XpChange{.user_id = user_id,
                                                    .amount = kReferralReward,
                                                    .source = XpSource::kReferral,
                                                    .reference = std::to_string(*referrer),
                                                    .idempotency_key = std::string(kRedeemedKey),
                                                    .actor_id = user_id,
                                                    .reason = "redeemed a referral code"},
                                           now));
    CLASH_ASSIGN_OR_RETURN(LedgerResult referrer_award,
                           Ledger::ApplyIn(tx,
                                           XpChange{.user_id = *referrer,
                                                    .amount = kReferralReward,
                                                    .source = XpSource::kReferral,
                                                    .reference = std::to_string(user_id),
                                                    .idempotency_key = "referral:referred:" + std::to_string(user_id),
                                                    .actor_id = user_id,
                                                    .reason = "a referred player redeemed this code"},
                                           now));
    out.referrer_id = *referrer;
    out.new_total_xp = redeemer_award.balance;
    out.referrer_new_total_xp = referrer_award.balance;
    return Status::Ok();
  });
  if (!tx_status.ok()) return tx_status;
  return out;
}

}  // namespace clash
