// Registration functions of the _clash module, one per area, and the GIL helper they share.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <utility>

namespace clash::python {

class EngineHandle;
using EngineClass = pybind11::class_<EngineHandle, std::shared_ptr<EngineHandle>>;

void RegisterLevels(pybind11::module_& m);  // Level, LevelSecrets, LevelStanding, read_levels()
void RegisterEngine(pybind11::module_& m);  // Engine, open()
void RegisterAuth(pybind11::module_& m);    // Auth, User, UserProfile, Session, normalize_email()
void RegisterJudge(pybind11::module_& m);   // HAS_JUDGE
void RegisterClock(pybind11::module_& m);   // FakeClock
// Ledger, CheckIns, Referrals, Events and their values (LedgerEntry, CheckInStatus, ...).
void RegisterEconomy(pybind11::module_& m);
// Shop, Payments, Achievements and their values (ShopItem, PaymentOrder, Achievement, ...).
void RegisterShop(pybind11::module_& m);

// Campaign (Engine.campaign), verify_certificate(), validate_levels() (clash.levels.validate).
void RegisterCampaign(pybind11::module_& m);
void RegisterCampaignFunctions(pybind11::module_& m);
void AddCampaignAccessor(EngineClass& engine);
// Engine.ledger, .check_ins, .referrals, .events / Engine.shop, .payments, .achievements.
void AddEconomyAccessors(EngineClass& engine);
void AddShopAccessors(EngineClass& engine);
// Admin (the console for scripts) / Engine.admin.
void RegisterAdmin(pybind11::module_& m);
void AddAdminAccessors(EngineClass& engine);
// Engine.judge().
void AddJudgeMethod(EngineClass& engine);
// Chat, ChatWatch / Engine.chat.
void RegisterChat(pybind11::module_& m);
// clash.rating: Rating, rate(), ordinal() (the submodule _clash.rating).
void RegisterRating(pybind11::module_& m);
void AddChatAccessor(EngineClass& engine);

// Tutor (retrieval: search, load_notes) / Engine.tutor.
void RegisterTutor(pybind11::module_& m);
void AddTutorAccessor(EngineClass& engine);

// The Auth object of an engine (Engine.auth); it keeps the engine handle alive.
pybind11::object MakeAuth(const std::shared_ptr<EngineHandle>& engine);

// Runs `fn` (a call into the library that may block on storage or files) with the GIL released and
// returns its result. `fn` must not touch Python objects.
template <typename Fn>
auto WithoutGil(Fn&& fn) {
  pybind11::gil_scoped_release release;
  return std::forward<Fn>(fn)();
}

}  // namespace clash::python
