// Engine.ledger, Engine.check_ins, Engine.referrals and Engine.events, and their read-only values.
// Every call goes through the engine handle (GIL released, closed engine refused).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "bindings.h"
#include "clash/engine.h"
#include "engine_handle.h"
#include "exceptions.h"
#include "values.h"

namespace py = pybind11;

namespace clash::python {
namespace {

using Id = std::int64_t;
struct LedgerTag {};
struct CheckInsTag {};
struct ReferralsTag {};
struct EventsTag {};
using LedgerFacet = Facet<LedgerTag>;
using CheckInsFacet = Facet<CheckInsTag>;
using ReferralsFacet = Facet<ReferralsTag>;
using EventsFacet = Facet<EventsTag>;

void RegisterLedgerValues(py::module_& m) {
  ValueClass<LedgerEntry>(m, "LedgerEntry", "One XP change of the ledger (read-only).")
      .Field(
          "id", [](const LedgerEntry& e) { return e.id; }, "Increases with insertion order.")
      .Field("user_id", [](const LedgerEntry& e) { return e.user_id; })
      .Field(
          "amount", [](const LedgerEntry& e) { return e.amount; }, "Signed: negative is a spend.")
      .Field(
          "source", [](const LedgerEntry& e) { return std::string(XpSourceName(e.source)); },
          "'challenge_completion', 'hint_purchase', 'check_in', 'store_purchase', 'payment', 'referral', "
          "'achievement', 'admin_adjustment' or 'match'.")
      .Field("reference", [](const LedgerEntry& e) { return e.reference; })
      .Field("idempotency_key", [](const LedgerEntry& e) { return e.idempotency_key; })
      .Field(
          "actor_id", [](const LedgerEntry& e) { return e.actor_id; },
          "The user whose action caused the change (the buyer, the staff member adjusting), or None for the system.")
      .Field("reason", [](const LedgerEntry& e) { return e.reason; }, "Why, in words.")
      .Field("created_at", [](const LedgerEntry& e) { return ToDatetime(e.created_at); });
  ValueClass<LedgerResult>(m, "LedgerResult", "The outcome of Ledger.apply()/adjust() (read-only).")
      .Field(
          "entry", [](const LedgerResult& r) { return r.entry; }, "The new entry, or the earlier one with the key.")
      .Field("balance", [](const LedgerResult& r) { return r.balance; })
      .Field(
          "applied", [](const LedgerResult& r) { return r.applied; }, "False: the key was applied before.");
  ValueClass<LedgerPage>(m, "LedgerPage", "One page of Ledger.history(), newest first (read-only).")
      .Field("entries", [](const LedgerPage& p) { return p.entries; })
      .Field(
          "next_before_id", [](const LedgerPage& p) { return p.next_before_id; },
          "Pass as before_id for the next page; None on the last page.");
  ValueClass<WalletSummary>(m, "WalletSummary", "What the profile shows of a user's economy (read-only).")
      .Field("xp", [](const WalletSummary& w) { return w.xp; })
      .Field("streak_freezes", [](const WalletSummary& w) { return w.streak_freezes; })
      .Field("current_streak", [](const WalletSummary& w) { return w.current_streak; })
      .Field("is_referred", [](const WalletSummary& w) { return w.is_referred; })
      .Field("referral_code", [](const WalletSummary& w) { return w.referral_code; });
}

void RegisterCheckInValues(py::module_& m) {
  ValueClass<CheckInRecord>(m, "CheckInRecord", "One daily check-in (read-only).")
      .Field("id", [](const CheckInRecord& r) { return r.id; })
      .Field(
          "date", [](const CheckInRecord& r) { return ToDate(r.date); }, "In the configured time zone.")
      .Field(
          "cycle_day", [](const CheckInRecord& r) { return r.cycle_day; }, "1-7 (the web client's streak_day).")
      .Field(
          "streak", [](const CheckInRecord& r) { return r.streak; }, "Consecutive days, this one included.")
      .Field("xp_earned", [](const CheckInRecord& r) { return r.xp_earned; })
      .Field(
          "freeze_used", [](const CheckInRecord& r) { return r.freeze_used; }, "A freeze bridged the day before.")
      .Field("created_at", [](const CheckInRecord& r) { return ToDatetime(r.created_at); });
  ValueClass<CheckInStatus>(m, "CheckInStatus", "Today's check-in state (read-only).")
      .Field("today", [](const CheckInStatus& s) { return ToDate(s.today); })
      .Field("checked_in_today", [](const CheckInStatus& s) { return s.checked_in_today; })
      .Field("current_streak", [](const CheckInStatus& s) { return s.current_streak; })
      .Field("cycle_day", [](const CheckInStatus& s) { return s.cycle_day; })
      .Field("cycle_start_date", [](const CheckInStatus& s) { return ToDate(s.cycle_start_date); })
      .Field(
          "today_check_in", [](const CheckInStatus& s) { return s.today_check_in; }, "CheckInRecord or None.")
      .Field(
          "recent", [](const CheckInStatus& s) { return s.recent; }, "Since cycle_start_date, newest first.")
      .Field("freezes_left", [](const CheckInStatus& s) { return s.freezes_left; });
  ValueClass<CheckInOutcome>(m, "CheckInOutcome", "The outcome of CheckIns.check_in() (read-only).")
      .Field("check_in", [](const CheckInOutcome& o) { return o.check_in; })
      .Field(
          "total_xp", [](const CheckInOutcome& o) { return o.total_xp; }, "The balance after the reward.")
      .Field("is_new_cycle", [](const CheckInOutcome& o) { return o.is_new_cycle; })
      .Field("cycle_start_date", [](const CheckInOutcome& o) { return ToDate(o.cycle_start_date); })
      .Field("freezes_left", [](const CheckInOutcome& o) { return o.freezes_left; })
      .Field(
          "streak_saved", [](const CheckInOutcome& o) { return o.streak_saved; }, "A freeze was spent.")
      .Field("freeze_earned", [](const CheckInOutcome& o) { return o.freeze_earned; });
  ValueClass<ReferralOutcome>(m, "ReferralOutcome", "The outcome of Referrals.redeem() (read-only).")
      .Field("referrer_id", [](const ReferralOutcome& r) { return r.referrer_id; })
      .Field("redeemer_xp_awarded", [](const ReferralOutcome& r) { return r.redeemer_xp_awarded; })
      .Field("referrer_xp_awarded", [](const ReferralOutcome& r) { return r.referrer_xp_awarded; })
      .Field(
          "new_total_xp", [](const ReferralOutcome& r) { return r.new_total_xp; }, "The redeemer's balance.")
      .Field("referrer_new_total_xp", [](const ReferralOutcome& r) { return r.referrer_new_total_xp; });
}

void RegisterLedger(py::module_& m) {
  py::class_<LedgerFacet>(m, "Ledger", "The XP ledger of an engine; get it from Engine.ledger.")
      .def(
          "apply",
          [](LedgerFacet& f, Id user_id, std::int64_t amount, const std::string& source, std::string reference,
             std::string key, std::optional<Id> actor_id, std::string reason) {
            XpChange change{user_id,        amount,   Unwrap(ParseXpSource(source)), std::move(reference),
                            std::move(key), actor_id, std::move(reason)};
            return Unwrap(f.Call([&](Engine& e) { return e.ledger().Apply(change); }));
          },
          py::arg("user_id"), py::arg("amount"), py::arg("source"), py::arg("reference"), py::arg("idempotency_key"),
          py::kw_only(), py::arg("actor_id") = py::none(), py::arg("reason") = "",
          "Applies a signed XP change once per (user, idempotency_key); returns a LedgerResult. actor_id: the "
          "user whose action caused it (None: the system); reason: why, in words (<= 500 characters). Raises "
          "InsufficientFundsError (details current_xp, shortage, ...) if the balance would go negative, "
          "InvalidArgumentError for a zero amount, a bad key or an unknown user or source, "
          "FailedPreconditionError if the key was used for a different change.")
      .def(
          "balance",
          [](LedgerFacet& f, Id user_id) {
            return Unwrap(f.Call([&](Engine& e) { return e.ledger().Balance(user_id); }));
          },
          py::arg("user_id"), "The current balance (0 without entries).")
      .def(
          "history",
          [](LedgerFacet& f, Id user_id, int limit, std::optional<Id> before_id) {
            return Unwrap(f.Call([&](Engine& e) { return e.ledger().History(user_id, limit, before_id); }));
          },
          py::arg("user_id"), py::arg("limit") = 50, py::arg("before_id") = py::none(),
          "A LedgerPage of entries newest first, older than before_id if given; limit 1-200.")
      .def(
          "adjust",
          [](LedgerFacet& f, Id actor_id, Id user_id, std::int64_t amount, std::string reason, std::string key) {
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, actor_id, [&](const User& actor) {
                return e.ledger().Adjust(actor, user_id, amount, std::move(reason), std::move(key));
              });
            }));
          },
          py::arg("actor_id"), py::arg("user_id"), py::arg("amount"), py::arg("reason"), py::arg("idempotency_key"),
          "A staff adjustment (source admin_adjustment) by `actor_id`; PermissionDeniedError unless the actor "
          "may manage the user.");
}

void RegisterCheckIns(py::module_& m) {
  py::class_<CheckInsFacet>(m, "CheckIns", "The daily check-in of an engine; get it from Engine.check_ins.")
      .def(
          "status",
          [](CheckInsFacet& f, Id user_id) {
            return Unwrap(f.Call([&](Engine& e) { return e.check_ins().Status(user_id); }));
          },
          py::arg("user_id"), "Today's CheckInStatus; never changes state.")
      .def(
          "check_in",
          [](CheckInsFacet& f, Id user_id) {
            return Unwrap(f.Call([&](Engine& e) { return e.check_ins().CheckIn(user_id); }));
          },
          py::arg("user_id"),
          "Checks in for today: a CheckInOutcome. FailedPreconditionError 'Already checked in today' "
          "(details check_in_id, check_in_date) on a second call the same day.")
      .def(
          "summary",
          [](CheckInsFacet& f, Id user_id) {
            return Unwrap(f.Call([&](Engine& e) { return e.check_ins().Summary(user_id); }));
          },
          py::arg("user_id"), "The WalletSummary the profile shows; NotFoundError for an unknown user.")
      .def_property_readonly(
          "time_zone",
          [](CheckInsFacet& f) {
            return Unwrap(
                f.Call([](Engine& e) -> Result<std::string> { return e.check_ins().options().time_zone.name(); }));
          },
          "The name of the zone every check-in date is decided in.")
      .def_property_readonly(
          "max_freezes",
          [](CheckInsFacet& f) {
            return Unwrap(f.Call([](Engine& e) -> Result<int> { return e.check_ins().options().max_freezes; }));
          },
          "Streak freezes a player can hold.");
}

void RegisterReferralsAndEvents(py::module_& m) {
  py::class_<ReferralsFacet>(m, "Referrals", "Referral codes of an engine; get it from Engine.referrals.")
      .def(
          "code_of",
          [](ReferralsFacet& f, Id user_id) {
            return Unwrap(f.Call([&](Engine& e) { return e.referrals().CodeOf(user_id); }));
          },
          py::arg("user_id"), "The user's 8-character code (created on first call).")
      .def(
          "redeem",
          [](ReferralsFacet& f, Id user_id, const std::string& code) {
            return Unwrap(f.Call([&](Engine& e) { return e.referrals().Redeem(user_id, code); }));
          },
          py::arg("user_id"), py::arg("code"),
          "Redeems a code (100 XP to each side); a ReferralOutcome. FailedPreconditionError for a second "
          "redemption, one's own code or a cycle; NotFoundError 'Invalid referral code'.");

  py::class_<EventsFacet>(m, "Events", "Domain events of an engine (achievements react); get it from Engine.events.")
      .def(
          "publish_level_completed",
          [](EventsFacet& f, Id user_id, std::string slug, int stars, int completed_levels,
             std::optional<std::int64_t> solve_seconds) {
            LevelCompleted event{user_id, std::move(slug), stars, completed_levels, solve_seconds};
            Check(f.Call([&](Engine& e) { return e.events().PublishNow(event); }));
          },
          py::arg("user_id"), py::arg("level_slug"), py::arg("stars"), py::arg("completed_levels"),
          py::arg("solve_seconds") = py::none(), "Publishes a LevelCompleted event in a transaction of its own.")
      .def(
          "publish_followed",
          [](EventsFacet& f, Id follower_id, Id following_id, int following_count) {
            Followed event{follower_id, following_id, following_count};
            Check(f.Call([&](Engine& e) { return e.events().PublishNow(event); }));
          },
          py::arg("follower_id"), py::arg("following_id"), py::arg("following_count"),
          "Publishes a Followed event in a transaction of its own.");
}

}  // namespace

void RegisterEconomy(py::module_& m) {
  RegisterLedgerValues(m);
  RegisterCheckInValues(m);
  RegisterLedger(m);
  RegisterCheckIns(m);
  RegisterReferralsAndEvents(m);
}

void AddEconomyAccessors(EngineClass& engine) {
  engine
      .def_property_readonly(
          "ledger", [](const Handle& h) { return LedgerFacet{h}; }, "The XP ledger (Ledger).")
      .def_property_readonly(
          "check_ins", [](const Handle& h) { return CheckInsFacet{h}; }, "The daily check-in (CheckIns).")
      .def_property_readonly(
          "referrals", [](const Handle& h) { return ReferralsFacet{h}; }, "Referral codes (Referrals).")
      .def_property_readonly(
          "events", [](const Handle& h) { return EventsFacet{h}; }, "Domain events (Events).");
}

}  // namespace clash::python
