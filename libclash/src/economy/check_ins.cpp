// The daily check-in: one per calendar day in the configured zone, a streak of consecutive days, a
// 7-day reward cycle that follows the streak, and freezes that bridge exactly one missed day.
//
// The wallet keeps the state as of the last check-in (its day, streak, cycle day, cycle start and
// the freezes held); everything else is derived from it and today's date.
#include <string>
#include <utility>

#include "clash/economy.h"
#include "clash/storage.h"
#include "economy/ledger_internal.h"

namespace clash {
namespace {

// What a check-in on `today` would be, given the wallet as of the last check-in.
struct NextCheckIn {
  int streak = 1;
  int cycle_day = 1;
  std::int64_t cycle_start_day = 0;
  bool spends_freeze = false;
};

// Days since the last check-in, or nullopt if there was none.
std::optional<std::int64_t> GapDays(const WalletRecord& wallet, std::int64_t today) {
  if (!wallet.last_check_in_day.has_value()) return std::nullopt;
  return today - *wallet.last_check_in_day;
}

// A streak continues after one day (gap 1) or, with a freeze held, after one missed day (gap 2).
bool Continues(const WalletRecord& wallet, std::int64_t today) {
  std::optional<std::int64_t> gap = GapDays(wallet, today);
  return gap.has_value() && (*gap == 1 || (*gap == 2 && wallet.streak_freezes > 0));
}

NextCheckIn PlanCheckIn(const WalletRecord& wallet, std::int64_t today) {
  NextCheckIn next;
  next.cycle_start_day = today;
  if (Continues(wallet, today)) {
    next.streak = wallet.streak + 1;
    next.cycle_day = wallet.cycle_day % 7 + 1;
    next.spends_freeze = *GapDays(wallet, today) == 2;
    if (next.cycle_day != 1) next.cycle_start_day = wallet.cycle_start_day.value_or(today);
  }
  return next;
}

// The streak as the profile shows it on `today`: the one a check-in today made or would continue,
// 0 once it can no longer be continued.
int CurrentStreak(const WalletRecord& wallet, std::int64_t today) {
  std::optional<std::int64_t> gap = GapDays(wallet, today);
  if (!gap.has_value()) return 0;
  return *gap == 0 || Continues(wallet, today) ? wallet.streak : 0;
}

Status UserNotFound() { return Status::NotFound("User not found"); }

// NotFound("User not found") unless the user exists.
Status RequireUser(StorageTransaction& tx, std::int64_t user_id) {
  Result<User> user = tx.users().GetById(user_id);
  if (user.ok()) return Status::Ok();
  return user.status().code() == StatusCode::kNotFound ? UserNotFound() : user.status();
}

}  // namespace

CheckIns::CheckIns(Storage& storage, Clock& clock, Rng& rng, Events& events, CheckInOptions options)
    : storage_(storage), clock_(clock), rng_(rng), events_(events), options_(std::move(options)) {}

Result<CheckInStatus> CheckIns::Status(std::int64_t user_id) {
  const CivilDate today = options_.time_zone.LocalDate(clock_.Now());
  const std::int64_t today_day = today.DaysSinceEpoch();
  CheckInStatus out;
  out.today = today;
  clash::Status tx_status = storage_.Read([&](StorageTransaction& tx) -> clash::Status {
    CLASH_RETURN_IF_ERROR(RequireUser(tx, user_id));
    CLASH_ASSIGN_OR_RETURN(WalletRecord wallet, tx.wallets().Get(user_id));
    CLASH_ASSIGN_OR_RETURN(out.today_check_in, tx.check_ins().GetOnDay(user_id, today));
    out.checked_in_today = out.today_check_in.has_value();
    out.current_streak = CurrentStreak(wallet, today_day);
    out.freezes_left = wallet.streak_freezes;
    if (out.checked_in_today) {
      out.cycle_day = out.today_check_in->cycle_day;
      out.cycle_start_date = CivilDate::FromDaysSinceEpoch(wallet.cycle_start_day.value_or(today_day));
    } else {
      // The cycle the next check-in belongs to. When that check-in would start a new cycle (the
      // streak is broken, or the last cycle was completed), the cycle starts today and `recent` is
      // empty: the check-ins of a finished cycle are not shown.
      NextCheckIn next = PlanCheckIn(wallet, today_day);
      out.cycle_day = next.cycle_day;
      out.cycle_start_date = CivilDate::FromDaysSinceEpoch(next.cycle_start_day);
    }
    CLASH_ASSIGN_OR_RETURN(out.recent, tx.check_ins().ListSince(user_id, out.cycle_start_date));
    return clash::Status::Ok();
  });
  if (!tx_status.ok()) return tx_status;
  return out;
}

Result<WalletSummary> CheckIns::Summary(std::int64_t user_id) {
  const std::int64_t today_day = options_.time_zone.LocalDate(clock_.Now()).DaysSinceEpoch();
  WalletSummary out;
  clash::Status tx_status = storage_.Read([&](StorageTransaction& tx) -> clash::Status {
    CLASH_RETURN_IF_ERROR(RequireUser(tx, user_id));
    CLASH_ASSIGN_OR_RETURN(WalletRecord wallet, tx.wallets().Get(user_id));
    CLASH_ASSIGN_OR_RETURN(out.xp, tx.ledger().Balance(user_id));
    CLASH_ASSIGN_OR_RETURN(out.referral_code, tx.wallets().ReferralCode(user_id));
    out.streak_freezes = wallet.streak_freezes;
    out.current_streak = CurrentStreak(wallet, today_day);
    out.is_referred = wallet.referred_by.has_value();
    return clash::Status::Ok();
  });
  if (!tx_status.ok()) return tx_status;
  if (out.referral_code.empty()) {
    clash::Status create_status = storage_.Transact([&](StorageTransaction& tx) -> clash::Status {
      CLASH_ASSIGN_OR_RETURN(out.referral_code, internal::EnsureReferralCode(tx, rng_, user_id));
      return clash::Status::Ok();
    });
    if (!create_status.ok()) return create_status;
  }
  return out;
}

Result<CheckInOutcome> CheckIns::CheckIn(std::int64_t user_id) {
  const Timestamp now = clock_.Now();
  const CivilDate today = options_.time_zone.LocalDate(now);
  const std::int64_t today_day = today.DaysSinceEpoch();
  const std::string date = today.ToString();
  const clash::Status already = clash::Status::FailedPrecondition("Already checked in today");
  CheckInOutcome out;
  clash::Status tx_status = storage_.Transact([&](StorageTransaction& tx) -> clash::Status {
    out = CheckInOutcome{};
    // The wallet lock serialises a user's check-ins: a concurrent one waits and then sees ours.
    Result<WalletRecord> locked = tx.wallets().Lock(user_id);
    if (!locked.ok()) {
      return locked.status().code() == StatusCode::kFailedPrecondition ? UserNotFound() : locked.status();
    }
    WalletRecord wallet = std::move(locked).value();
    CLASH_ASSIGN_OR_RETURN(std::optional<CheckInRecord> existing, tx.check_ins().GetOnDay(user_id, today));
    if (existing.has_value()) {
      return already.WithDetail("check_in_id", existing->id)
          .WithDetail("check_in_date", existing->date.ToString())
          .WithPayload(*existing);
    }

    const NextCheckIn next = PlanCheckIn(wallet, today_day);
    const int reward = kDailyRewards[static_cast<std::size_t>(next.cycle_day - 1)];
    CLASH_RETURN_IF_ERROR(Ledger::ApplyIn(tx,
                                          XpChange{.user_id = user_id,
                                                   .amount = reward,
                                                   .source = XpSource::kCheckIn,
                                                   .reference = date,
                                                   .idempotency_key = "check-in:" + date,
                                                   .actor_id = user_id,
                                                   .reason = "daily check-in"},
                                          now));

    int freezes = wallet.streak_freezes - (next.spends_freeze ? 1 : 0);
    if (next.cycle_day == 7 && freezes < options_.max_freezes) {
      ++freezes;
      out.freeze_earned = true;
    }
    CheckInRecord record{.id = 0,
                         .date = today,
                         .cycle_day = next.cycle_day,
                         .streak = next.streak,
                         .xp_earned = reward,
                         .freeze_used = next.spends_freeze,
                         .created_at = now};
    Result<std::int64_t> id = tx.check_ins().Insert(user_id, record);
    if (!id.ok()) {
      return id.status().code() == StatusCode::kAlreadyExists ? already.WithDetail("check_in_date", date) : id.status();
    }
    record.id = *id;

    wallet.streak_freezes = freezes;
    wallet.last_check_in_day = today_day;
    wallet.streak = next.streak;
    wallet.cycle_day = next.cycle_day;
    wallet.cycle_start_day = next.cycle_start_day;
    CLASH_RETURN_IF_ERROR(tx.wallets().SaveStreak(wallet));
    CLASH_RETURN_IF_ERROR(
        events_.Publish(tx, CheckedIn{.user_id = user_id, .cycle_day = next.cycle_day, .streak = next.streak}));

    // The balance after everything this check-in caused (a streak achievement's XP included).
    CLASH_ASSIGN_OR_RETURN(out.total_xp, tx.ledger().Balance(user_id));
    out.check_in = std::move(record);
    out.is_new_cycle = next.cycle_day == 1;
    out.cycle_start_date = CivilDate::FromDaysSinceEpoch(next.cycle_start_day);
    out.freezes_left = freezes;
    out.streak_saved = next.spends_freeze;
    return clash::Status::Ok();
  });
  if (!tx_status.ok()) {
    if (tx_status.StringDetail("check_in_date").has_value() && tx_status.payload<CheckInRecord>() == nullptr) {
      // A concurrent check-in won the insert: hand back its record, as the wallet-lock path does.
      std::optional<CheckInRecord> winner;
      clash::Status read = storage_.Read([&](StorageTransaction& tx) -> clash::Status {
        CLASH_ASSIGN_OR_RETURN(winner, tx.check_ins().GetOnDay(user_id, today));
        return clash::Status::Ok();
      });
      if (read.ok() && winner) {
        return already.WithDetail("check_in_id", winner->id)
            .WithDetail("check_in_date", winner->date.ToString())
            .WithPayload(*winner);
      }
    }
    return tx_status;
  }
  return out;
}

}  // namespace clash
