// The XP ledger, wallets and check-ins on the shared SQL layer (tables xp_ledger, wallets,
// check_ins and users.referral_code; migration 4).
#include <limits>
#include <string>

#include "storage/sql/economy_stores_sql.h"

namespace clash::internal {
namespace {

// pg_advisory_xact_lock key that serialises referral redemptions ("clashref" in ASCII).
constexpr const char* kLockReferralsSql = "SELECT pg_advisory_xact_lock(7164793262138582374)";

constexpr const char* kLedgerColumns =
    "id, user_id, amount, source, reference, idempotency_key, created_at, actor_id, reason";
constexpr const char* kWalletColumns =
    "user_id, balance, streak_freezes, last_check_in_day, streak, cycle_day, cycle_start_day, referred_by";
constexpr const char* kCheckInColumns = "id, day, cycle_day, streak, xp_earned, freeze_used, created_at";

// The common path of AddToBalance: one statement that both checks and moves the balance. Under
// READ COMMITTED a concurrent writer's update is waited for and the condition re-checked on the
// newest row, so concurrent spends can never take the balance below zero.
constexpr const char* kAddToBalanceSql =
    "UPDATE wallets SET balance = balance + $2 WHERE user_id = $1 AND balance + $2 >= 0 RETURNING balance";
constexpr const char* kCreateWalletSql = "INSERT INTO wallets (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING";

std::optional<std::int64_t> NullableInt(const SqlRow& row, std::size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.Int(i);
}

SqlValue ToSql(const std::optional<std::int64_t>& v) {
  if (!v) return std::monostate{};
  return *v;
}

Result<LedgerEntry> LedgerFromRow(const SqlRow& row) {
  LedgerEntry e;
  e.id = row.Int(0);
  e.user_id = row.Int(1);
  e.amount = row.Int(2);
  CLASH_ASSIGN_OR_RETURN(e.source, ParseXpSource(row.Text(3)));
  e.reference = row.Text(4);
  e.idempotency_key = row.Text(5);
  e.created_at = Timestamp::FromUnixMicros(row.Int(6));
  e.actor_id = NullableInt(row, 7);
  e.reason = row.Text(8);
  return e;
}

WalletRecord WalletFromRow(const SqlRow& row) {
  WalletRecord w;
  w.user_id = row.Int(0);
  w.balance = row.Int(1);
  w.streak_freezes = static_cast<int>(row.Int(2));
  w.last_check_in_day = NullableInt(row, 3);
  w.streak = static_cast<int>(row.Int(4));
  w.cycle_day = static_cast<int>(row.Int(5));
  w.cycle_start_day = NullableInt(row, 6);
  w.referred_by = NullableInt(row, 7);
  return w;
}

CheckInRecord CheckInFromRow(const SqlRow& row) {
  CheckInRecord c;
  c.id = row.Int(0);
  c.date = CivilDate::FromDaysSinceEpoch(row.Int(1));
  c.cycle_day = static_cast<int>(row.Int(2));
  c.streak = static_cast<int>(row.Int(3));
  c.xp_earned = static_cast<int>(row.Int(4));
  c.freeze_used = row.Int(5) != 0;
  c.created_at = Timestamp::FromUnixMicros(row.Int(6));
  return c;
}

Status UserNotFound() { return Status::NotFound("user not found"); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Ledger

Result<std::optional<std::int64_t>> SqlLedgerStore::InsertEntry(const LedgerEntry& e) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO xp_ledger (user_id, amount, source, reference, idempotency_key, created_at, "
                    "actor_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                    "ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id",
                    {e.user_id, e.amount, std::string(XpSourceName(e.source)), e.reference, e.idempotency_key,
                     e.created_at.unix_micros(),
                     e.actor_id ? SqlValue(*e.actor_id) : SqlValue(std::monostate{}), e.reason}));
  if (r.rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(r.rows[0].Int(0));
}

Result<LedgerEntry> SqlLedgerStore::GetByKey(std::int64_t user_id, std::string_view key) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kLedgerColumns +
                                                        " FROM xp_ledger WHERE user_id = $1 AND idempotency_key = $2",
                                                    {user_id, std::string(key)}));
  if (r.rows.empty()) return Status::NotFound("no ledger entry with this idempotency key");
  return LedgerFromRow(r.rows[0]);
}

Result<std::optional<std::int64_t>> SqlLedgerStore::AddToBalance(std::int64_t user_id, std::int64_t delta) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(kAddToBalanceSql, {user_id, delta}));
  if (!r.rows.empty()) return std::optional<std::int64_t>(r.rows[0].Int(0));
  // No row: either there is no wallet yet or the balance would go negative. Create the wallet
  // if missing (a missing user fails here with FailedPrecondition) and try once more; the retry
  // also covers a wallet another transaction created meanwhile.
  CLASH_RETURN_IF_ERROR(session_.Exec(kCreateWalletSql, {user_id}));
  CLASH_ASSIGN_OR_RETURN(SqlResult retry, session_.Exec(kAddToBalanceSql, {user_id, delta}));
  if (retry.rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(retry.rows[0].Int(0));
}

Result<std::int64_t> SqlLedgerStore::Balance(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT balance FROM wallets WHERE user_id = $1", {user_id}));
  return r.rows.empty() ? 0 : r.rows[0].Int(0);
}

Result<std::vector<LedgerEntry>> SqlLedgerStore::History(std::int64_t user_id, int limit,
                                                         std::optional<std::int64_t> before_id) {
  std::vector<LedgerEntry> out;
  if (limit <= 0) return out;
  const std::int64_t before = before_id.value_or(std::numeric_limits<std::int64_t>::max());
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kLedgerColumns +
                                                        " FROM xp_ledger WHERE user_id = $1 AND id < $2 "
                                                        "ORDER BY id DESC LIMIT $3",
                                                    {user_id, before, std::int64_t{limit}}));
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) {
    CLASH_ASSIGN_OR_RETURN(LedgerEntry e, LedgerFromRow(row));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::int64_t> SqlLedgerStore::SumEntries(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM xp_ledger "
                                                    "WHERE user_id = $1",
                                                    {user_id}));
  return r.rows.empty() ? 0 : r.rows[0].Int(0);
}

// ---------------------------------------------------------------------------------------------
// Wallets

Result<std::optional<WalletRecord>> SqlWalletStore::Select(std::int64_t user_id, bool for_update) {
  std::string sql = std::string("SELECT ") + kWalletColumns + " FROM wallets WHERE user_id = $1";
  if (for_update && session_.dialect() == SqlDialect::kPostgres) sql += " FOR UPDATE";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {user_id}));
  if (r.rows.empty()) return std::optional<WalletRecord>();
  return std::optional<WalletRecord>(WalletFromRow(r.rows[0]));
}

Result<WalletRecord> SqlWalletStore::Get(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(std::optional<WalletRecord> w, Select(user_id, false));
  if (w) return *w;
  WalletRecord empty;
  empty.user_id = user_id;
  return empty;
}

Result<WalletRecord> SqlWalletStore::Lock(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(std::optional<WalletRecord> w, Select(user_id, true));
  if (w) return *w;
  CLASH_RETURN_IF_ERROR(session_.Exec(kCreateWalletSql, {user_id}));
  CLASH_ASSIGN_OR_RETURN(w, Select(user_id, true));
  if (!w) return Status::Internal("wallet vanished after it was created");
  return *w;
}

Status SqlWalletStore::SaveStreak(const WalletRecord& w) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("UPDATE wallets SET streak_freezes = $2, last_check_in_day = $3, streak = $4, cycle_day = $5, "
                    "cycle_start_day = $6 WHERE user_id = $1",
                    {w.user_id, std::int64_t{w.streak_freezes}, ToSql(w.last_check_in_day), std::int64_t{w.streak},
                     std::int64_t{w.cycle_day}, ToSql(w.cycle_start_day)}));
  if (r.affected == 0) return Status::NotFound("wallet not found");
  return Status::Ok();
}

Result<bool> SqlWalletStore::SetReferredBy(std::int64_t user_id, std::int64_t referrer_id) {
  // One statement: creates the wallet with referred_by, or sets it on an existing wallet only if it
  // is unset (checked on the newest row version, so of two concurrent calls one wins).
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("INSERT INTO wallets (user_id, referred_by) VALUES ($1, $2) "
                                       "ON CONFLICT (user_id) DO UPDATE SET referred_by = excluded.referred_by "
                                       "WHERE wallets.referred_by IS NULL RETURNING user_id",
                                       {user_id, referrer_id}));
  return !r.rows.empty();
}

Status SqlWalletStore::LockReferrals() {
  // SQLite write transactions are exclusive already.
  if (session_.dialect() != SqlDialect::kPostgres) return Status::Ok();
  CLASH_RETURN_IF_ERROR(session_.Exec(kLockReferralsSql));
  return Status::Ok();
}

Result<std::optional<std::int64_t>> SqlWalletStore::FindByReferralCode(std::string_view code) {
  if (code.empty()) return std::optional<std::int64_t>();
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT id FROM users WHERE referral_code = $1", {std::string(code)}));
  if (r.rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(r.rows[0].Int(0));
}

Result<std::string> SqlWalletStore::ReferralCode(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT referral_code FROM users WHERE id = $1", {user_id}));
  if (r.rows.empty()) return UserNotFound();
  return r.rows[0].Text(0);
}

Result<std::string> SqlWalletStore::SetReferralCode(std::int64_t user_id, std::string_view code) {
  if (code.empty()) return Status::InvalidArgument("referral code must not be empty");
  // Look the code up first: a unique violation would abort a PostgreSQL transaction, and the
  // caller wants to try another code in the same one.
  CLASH_ASSIGN_OR_RETURN(std::optional<std::int64_t> holder, FindByReferralCode(code));
  if (holder && *holder != user_id) return Status::AlreadyExists("referral code is taken");
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("UPDATE users SET referral_code = $2 WHERE id = $1 AND referral_code IS NULL "
                                       "RETURNING referral_code",
                                       {user_id, std::string(code)}));
  if (!r.rows.empty()) return r.rows[0].Text(0);
  return ReferralCode(user_id);
}

// ---------------------------------------------------------------------------------------------
// Check-ins

Result<std::int64_t> SqlCheckInStore::Insert(std::int64_t user_id, const CheckInRecord& c) {
  // ON CONFLICT rather than a unique violation: the transaction stays usable for the caller.
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO check_ins (user_id, day, cycle_day, streak, xp_earned, freeze_used, created_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, day) DO NOTHING RETURNING id",
                    {user_id, c.date.DaysSinceEpoch(), std::int64_t{c.cycle_day}, std::int64_t{c.streak},
                     std::int64_t{c.xp_earned}, std::int64_t{c.freeze_used}, c.created_at.unix_micros()}));
  if (r.rows.empty()) return Status::AlreadyExists("already checked in on " + c.date.ToString());
  return r.rows[0].Int(0);
}

Result<std::optional<CheckInRecord>> SqlCheckInStore::GetOnDay(std::int64_t user_id, const CivilDate& day) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kCheckInColumns +
                                                        " FROM check_ins WHERE user_id = $1 AND day = $2",
                                                    {user_id, day.DaysSinceEpoch()}));
  if (r.rows.empty()) return std::optional<CheckInRecord>();
  return std::optional<CheckInRecord>(CheckInFromRow(r.rows[0]));
}

Result<std::vector<CheckInRecord>> SqlCheckInStore::ListSince(std::int64_t user_id, const CivilDate& day) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kCheckInColumns +
                                                        " FROM check_ins WHERE user_id = $1 AND day >= $2 "
                                                        "ORDER BY day DESC",
                                                    {user_id, day.DaysSinceEpoch()}));
  std::vector<CheckInRecord> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(CheckInFromRow(row));
  return out;
}

}  // namespace clash::internal
