// clash/economy.h — the XP economy: an append-only ledger, the daily check-in with streak freezes,
// and referrals.
//
// Every XP change is a ledger entry (user, signed amount, source, reference, idempotency key, time).
// The balance is the sum of a user's entries; a materialised copy is kept in the user's wallet and
// updated in the same transaction as the entry. A change that would make the balance negative fails
// with InsufficientFunds and changes nothing. Applying the same idempotency key twice for a user
// changes nothing the second time (the first entry is returned with applied == false), so retries of
// awards, purchases and payment credits are safe, also from concurrent requests.
//
// Check-in: one per calendar day in the configured time zone (CheckInOptions::time_zone). A real
// streak counts consecutive days; the 7-day cycle follows the streak (day 1..7 pays 5, 10, ..., 35 XP,
// then it starts again at day 1); a broken streak starts again at day 1. Freezes: completing a
// cycle (a day 7) earns one freeze, at most `max_freezes` are held; when exactly one day was missed
// and a freeze is held, the check-in spends it automatically and the streak and cycle go on
// (`streak_saved`). Two or more missed days break the streak whatever freezes are held.
//
// Referrals: each user has an 8-character code; a user may redeem one code, once, never their own,
// and never one that would close a cycle (if A referred B, B cannot refer A, nor can anyone further
// down A's chain); both users receive 100 XP through the ledger.
//
// Thread-safety: every class here is safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(clash::LedgerResult r, engine->ledger().Apply({
//       .user_id = id, .amount = 50, .source = clash::XpSource::kAdminAdjustment,
//       .reference = "support ticket 12", .idempotency_key = "ticket-12"}));
//   CLASH_ASSIGN_OR_RETURN(clash::CheckInOutcome c, engine->check_ins().CheckIn(id));
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/auth.h"
#include "clash/clock.h"
#include "clash/events.h"
#include "clash/export.h"
#include "clash/rng.h"
#include "clash/status.h"
#include "clash/timezone.h"

namespace clash {

class Storage;
class StorageTransaction;

enum class XpSource {
  kChallengeCompletion,
  kHintPurchase,
  kCheckIn,
  kStorePurchase,
  kPayment,
  kReferral,
  kAchievement,
  kAdminAdjustment,
  kMatch,
};

// "challenge_completion", "hint_purchase", "check_in", "store_purchase", "payment", "referral",
// "achievement", "admin_adjustment", "match".
CLASH_EXPORT std::string_view XpSourceName(XpSource source);
// InvalidArgument for an unknown name.
CLASH_EXPORT Result<XpSource> ParseXpSource(std::string_view name);

// A change to apply. `amount` is signed (negative = spend) and non-zero; `idempotency_key` is
// 1-200 characters and unique per user; `reference` (what the change is about: a level slug, an
// item id, an order id) is at most 200 characters. Who did it: `actor_id` is the user whose action
// caused the change (the player buying, the staff member adjusting) or nullopt for the system
// (achievement rewards, payment webhooks); `reason` (at most 500 characters) says why in words.
struct XpChange {
  std::int64_t user_id = 0;
  std::int64_t amount = 0;
  XpSource source = XpSource::kAdminAdjustment;
  std::string reference;
  std::string idempotency_key;
  std::optional<std::int64_t> actor_id;
  std::string reason;
};

// A user whose balance is not the sum of their ledger entries (Ledger::CheckBalances).
struct BalanceMismatch {
  std::int64_t user_id = 0;
  std::int64_t balance = 0;      // the wallet's materialised balance (0 without a wallet)
  std::int64_t ledger_sum = 0;   // the sum of the user's ledger entries
  bool operator==(const BalanceMismatch&) const = default;
};

struct LedgerEntry {
  std::int64_t id = 0;                  // increases with insertion order
  std::int64_t user_id = 0;
  std::int64_t amount = 0;
  XpSource source = XpSource::kAdminAdjustment;
  std::string reference;
  std::string idempotency_key;
  Timestamp created_at;
  std::optional<std::int64_t> actor_id; // nullopt: the system
  std::string reason;
  bool operator==(const LedgerEntry&) const = default;
};

struct LedgerResult {
  LedgerEntry entry;                    // the new entry, or the earlier one with the same key
  std::int64_t balance = 0;             // the balance after the change (or now, if not applied)
  bool applied = false;                 // false: the key was applied before; nothing changed
};

// One page of a user's entries, newest first. Pass next_before_id to History() for the next page.
struct LedgerPage {
  std::vector<LedgerEntry> entries;
  std::optional<std::int64_t> next_before_id;
};

// What the profile shows of a user's economy.
struct WalletSummary {
  std::int64_t xp = 0;
  int streak_freezes = 0;
  int current_streak = 0;               // 0 once the streak can no longer be continued
  bool is_referred = false;
  std::string referral_code;            // created on first use
};

class CLASH_EXPORT Ledger {
 public:
  Ledger(Storage& storage, Clock& clock);

  // Applies `change` in a transaction of its own. Errors: InvalidArgument (zero amount, bad key or
  // reference, unknown user); InsufficientFunds("Insufficient XP") with details required_xp,
  // current_xp, shortage, how_to_earn when the balance would go negative; FailedPrecondition if the
  // key was already used for a different change (amount, source or reference differ).
  Result<LedgerResult> Apply(const XpChange& change);
  // The same inside the caller's transaction (purchases, rewards): the change commits or rolls
  // back with the caller's other writes.
  static Result<LedgerResult> ApplyIn(StorageTransaction& tx, const XpChange& change, Timestamp now);

  // A staff-only adjustment (source admin_adjustment, actor_id = actor.id, reason and reference =
  // `reason`). PermissionDenied unless `actor` may manage `user_id` (see Require());
  // InvalidArgument for an empty reason.
  Result<LedgerResult> Adjust(const User& actor, std::int64_t user_id, std::int64_t amount, std::string reason,
                              std::string idempotency_key);

  // The current balance (0 for a user without entries).
  Result<std::int64_t> Balance(std::int64_t user_id);
  // Users whose balance is not the sum of their entries (at most `limit`, 1-10000); empty when the
  // ledger and the balances agree. Reads the whole ledger in one snapshot (clash-host check-data).
  Result<std::vector<BalanceMismatch>> CheckBalances(int limit = 100);
  // Entries newest first, `limit` 1-200 (InvalidArgument otherwise), older than `before_id` if set.
  Result<LedgerPage> History(std::int64_t user_id, int limit = 50, std::optional<std::int64_t> before_id = {});

 private:
  Storage& storage_;
  Clock& clock_;
};

// ---------------------------------------------------------------------------------------------
// Daily check-in

inline constexpr std::array<int, 7> kDailyRewards = {5, 10, 15, 20, 25, 30, 35};

struct CheckInOptions {
  TimeZone time_zone;                   // every date is decided here (default UTC)
  int max_freezes = 2;                  // freezes a user can hold
};

struct CheckInRecord {
  std::int64_t id = 0;
  CivilDate date;                       // in the configured zone
  int cycle_day = 1;                    // 1-7 (the client contract calls it streak_day)
  int streak = 1;                       // consecutive days, this one included
  int xp_earned = 0;
  bool freeze_used = false;             // a freeze bridged the day before
  Timestamp created_at;
};

struct CheckInStatus {
  CivilDate today;
  bool checked_in_today = false;
  int current_streak = 0;               // the streak a check-in today continues (or made), 0 if broken
  int cycle_day = 1;                    // today's cycle day if checked in, else the next check-in's
  CivilDate cycle_start_date;           // first day of the current cycle
  std::optional<CheckInRecord> today_check_in;
  std::vector<CheckInRecord> recent;    // check-ins since cycle_start_date, newest first
  int freezes_left = 0;
};

struct CheckInOutcome {
  CheckInRecord check_in;
  std::int64_t total_xp = 0;            // balance after the reward
  bool is_new_cycle = false;            // this check-in is day 1 of a cycle
  CivilDate cycle_start_date;
  int freezes_left = 0;                 // after this check-in
  bool streak_saved = false;            // a freeze was spent to keep the streak
  bool freeze_earned = false;           // this check-in completed a cycle and earned a freeze
};

class CLASH_EXPORT CheckIns {
 public:
  CheckIns(Storage& storage, Clock& clock, Rng& rng, Events& events, CheckInOptions options);

  // Read-only: never changes state.
  Result<CheckInStatus> Status(std::int64_t user_id);
  // What the profile shows: balance, freezes, current streak, referral state and code (the code is
  // created on first call). NotFound for an unknown user.
  Result<WalletSummary> Summary(std::int64_t user_id);
  // Checks in for today: XP through the ledger (source check_in, key "check-in:YYYY-MM-DD"), the
  // streak, freezes and a CheckedIn event, all in one transaction. FailedPrecondition("Already
  // checked in today") with details check_in_id, check_in_date and today's CheckInRecord as its
  // payload (status.payload<CheckInRecord>()) on a second call the same day (of two concurrent
  // calls exactly one succeeds).
  Result<CheckInOutcome> CheckIn(std::int64_t user_id);

  const CheckInOptions& options() const { return options_; }

 private:
  Storage& storage_;
  Clock& clock_;
  Rng& rng_;
  Events& events_;
  CheckInOptions options_;
};

// ---------------------------------------------------------------------------------------------
// Referrals

inline constexpr std::int64_t kReferralReward = 100;

struct ReferralOutcome {
  std::int64_t referrer_id = 0;
  std::int64_t redeemer_xp_awarded = kReferralReward;
  std::int64_t referrer_xp_awarded = kReferralReward;
  std::int64_t new_total_xp = 0;        // the redeemer's balance after
  std::int64_t referrer_new_total_xp = 0;
};

class CLASH_EXPORT Referrals {
 public:
  Referrals(Storage& storage, Clock& clock, Rng& rng);

  // The user's referral code (8 characters of A-Z0-9), created on first call. NotFound for an
  // unknown user.
  Result<std::string> CodeOf(std::int64_t user_id);
  // Redeems `code` (trimmed, case-insensitive) for `user_id`. Errors, with the reference's texts:
  // InvalidArgument "Referral code is required"; FailedPrecondition "You have already redeemed a
  // referral code", "Cannot redeem your own referral code", "Referral codes cannot form a cycle";
  // NotFound "Invalid referral code". Everything (both awards included) is one transaction.
  Result<ReferralOutcome> Redeem(std::int64_t user_id, std::string_view code);

 private:
  Storage& storage_;
  Clock& clock_;
  Rng& rng_;
};

}  // namespace clash
