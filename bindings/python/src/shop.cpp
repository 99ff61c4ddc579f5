// Engine.shop, Engine.payments and Engine.achievements, and their read-only values. Every call goes
// through the engine handle (GIL released, closed engine refused); users are given by id.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "clash/engine.h"
#include "engine_handle.h"
#include "exceptions.h"
#include "values.h"

namespace py = pybind11;

namespace clash::python {
namespace {

using Id = std::int64_t;
struct ShopTag {};
struct PaymentsTag {};
struct AchievementsTag {};
using ShopFacet = Facet<ShopTag>;
using PaymentsFacet = Facet<PaymentsTag>;
using AchievementsFacet = Facet<AchievementsTag>;

py::object ParseJson(const std::string& text) { return py::module_::import("json").attr("loads")(text); }

// Item fields given as keyword arguments (Shop.create/update): decoded by the library's one decoder
// (DecodeShopItemFields) from their JSON. item_data may be a dict or its JSON text. InvalidArgumentError
// for an unknown field, a mistyped value or category; `key` only when `key_out` is given (create).
ShopItemPatch PatchFromKwargs(const py::kwargs& fields, std::optional<std::string>* key_out) {
  if (key_out == nullptr && fields.contains("key")) ThrowStatus(Status::InvalidArgument("unknown store item field 'key'"));
  std::string text = py::cast<std::string>(py::module_::import("json").attr("dumps")(fields));
  ShopItemDecoding how;
  how.refuse_unknown = true;
  DecodedShopItem decoded = Unwrap(WithoutGil([&] { return DecodeShopItemFields(text, how); }));
  if (key_out != nullptr) *key_out = decoded.key;
  return decoded.patch;
}

void RegisterShopValues(py::module_& m) {
  ValueClass<ShopItem>(m, "ShopItem", "A store item (read-only).")
      .Field("id", [](const ShopItem& i) { return i.id; })
      .Field(
          "key", [](const ShopItem& i) { return i.key; }, "Catalogue key; '' for staff-made items.")
      .Field("name", [](const ShopItem& i) { return i.name; })
      .Field("description", [](const ShopItem& i) { return i.description; })
      .Field("cost", [](const ShopItem& i) { return i.cost; })
      .Field(
          "category", [](const ShopItem& i) { return std::string(ShopCategoryName(i.category)); },
          "'THEME', 'FONT', 'EFFECT' or 'VICTORY'.")
      .Field("icon_name", [](const ShopItem& i) { return i.icon_name; })
      .Field(
          "image", [](const ShopItem& i) { return i.image; }, "str or None.")
      .Field(
          "item_data", [](const ShopItem& i) { return ParseJson(i.item_data_json); }, "A dict (theme_key, ...).")
      .Field("is_active", [](const ShopItem& i) { return i.is_active; })
      .Field("featured", [](const ShopItem& i) { return i.featured; })
      .Field("created_at", [](const ShopItem& i) { return ToDatetime(i.created_at); });
  ValueClass<ShopItemView>(m, "ShopItemView", "A store item as a user sees it (read-only).")
      .Field("item", [](const ShopItemView& v) { return v.item; })
      .Field("is_owned", [](const ShopItemView& v) { return v.is_owned; });
  ValueClass<EquippedItems>(m, "EquippedItems", "The profile's equipped cosmetics (read-only).")
      .Field("theme", [](const EquippedItems& e) { return e.theme; })
      .Field("font", [](const EquippedItems& e) { return e.font; })
      .Field(
          "effect", [](const EquippedItems& e) { return e.effect; }, "str or None.")
      .Field("victory", [](const EquippedItems& e) { return e.victory; });
  ValueClass<PurchaseOutcome>(m, "PurchaseOutcome", "The outcome of Shop.buy() (read-only).")
      .Field("item", [](const PurchaseOutcome& o) { return o.item; })
      .Field("remaining_xp", [](const PurchaseOutcome& o) { return o.remaining_xp; });
  ValueClass<PurchasedItems>(m, "PurchasedItems", "What a user owns and wears (read-only).")
      .Field(
          "items", [](const PurchasedItems& p) { return p.items; }, "Active items, newest purchase first.")
      .Field("equipped", [](const PurchasedItems& p) { return p.equipped; });
}

void RegisterPaymentAndAchievementValues(py::module_& m) {
  ValueClass<PaymentOrder>(m, "PaymentOrder", "A Razorpay order for an XP package (read-only).")
      .Field("order_id", [](const PaymentOrder& o) { return o.order_id; })
      .Field("amount_paise", [](const PaymentOrder& o) { return o.amount_paise; })
      .Field("key_id", [](const PaymentOrder& o) { return o.key_id; })
      .Field("xp_amount", [](const PaymentOrder& o) { return o.xp_amount; });
  ValueClass<PaymentCredit>(m, "PaymentCredit", "The outcome of Payments.verify() (read-only).")
      .Field("already_processed", [](const PaymentCredit& c) { return c.already_processed; })
      .Field("new_xp", [](const PaymentCredit& c) { return c.new_xp; });
  ValueClass<WebhookOutcome>(m, "WebhookOutcome", "The outcome of Payments.handle_webhook() (read-only).")
      .Field("credited", [](const WebhookOutcome& w) { return w.credited; })
      .Field("detail", [](const WebhookOutcome& w) { return w.detail; });
  ValueClass<Achievement>(m, "Achievement", "One of the built-in achievements (read-only).")
      .Field("id", [](const Achievement& a) { return a.id; })
      .Field("slug", [](const Achievement& a) { return a.slug; })
      .Field("title", [](const Achievement& a) { return a.title; })
      .Field("description", [](const Achievement& a) { return a.description; })
      .Field("icon", [](const Achievement& a) { return a.icon; })
      .Field("category", [](const Achievement& a) { return a.category; })
      .Field("xp_reward", [](const Achievement& a) { return a.xp_reward; })
      .Field("is_secret", [](const Achievement& a) { return a.is_secret; })
      .Field("order", [](const Achievement& a) { return a.order; });
  ValueClass<AchievementView>(m, "AchievementView", "An achievement as a viewer sees it (read-only).")
      .Field("achievement", [](const AchievementView& v) { return v.achievement; })
      .Field("is_unlocked", [](const AchievementView& v) { return v.is_unlocked; })
      .Field("unlocked_at", [](const AchievementView& v) {
        return v.unlocked_at ? ToDatetime(*v.unlocked_at) : py::object(py::none());
      });
  ValueClass<UnlockedAchievement>(m, "UnlockedAchievement", "An achievement a user unlocked (read-only).")
      .Field("achievement", [](const UnlockedAchievement& u) { return u.achievement; })
      .Field("unlocked_at", [](const UnlockedAchievement& u) { return ToDatetime(u.unlocked_at); });
}

void RegisterShopClass(py::module_& m) {
  py::class_<ShopFacet>(m, "Shop", "The cosmetics store of an engine; get it from Engine.shop. Users by id.")
      .def(
          "list",
          [](ShopFacet& f, Id viewer_id) {
            return Unwrap(f.Call(
                [&](Engine& e) { return WithUser(e, viewer_id, [&](const User& u) { return e.shop().List(u); }); }));
          },
          py::arg("viewer_id"), "ShopItemViews newest first; staff also see inactive items.")
      .def(
          "get",
          [](ShopFacet& f, Id viewer_id, Id item_id) {
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, viewer_id, [&](const User& u) { return e.shop().Get(u, item_id); });
            }));
          },
          py::arg("viewer_id"), py::arg("item_id"), "A ShopItemView; NotFoundError (inactive items too, unless staff).")
      .def(
          "buy",
          [](ShopFacet& f, Id user_id, Id item_id) {
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.shop().Buy(u, item_id); });
            }));
          },
          py::arg("user_id"), py::arg("item_id"),
          "Spends the item's cost: a PurchaseOutcome. InsufficientFundsError; FailedPreconditionError "
          "'You already own this item.'; NotFoundError.")
      .def(
          "equip",
          [](ShopFacet& f, Id user_id, Id item_id) {
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.shop().Equip(u, item_id); });
            }));
          },
          py::arg("user_id"), py::arg("item_id"), "Wears an owned item: the EquippedItems after.")
      .def(
          "unequip",
          [](ShopFacet& f, Id user_id, const std::string& category) {
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.shop().Unequip(u, category); });
            }));
          },
          py::arg("user_id"), py::arg("category"), "Restores the category's default: the EquippedItems after.")
      .def(
          "purchased",
          [](ShopFacet& f, Id user_id) {
            return Unwrap(f.Call(
                [&](Engine& e) { return WithUser(e, user_id, [&](const User& u) { return e.shop().Purchased(u); }); }));
          },
          py::arg("user_id"), "PurchasedItems: owned active items and what is equipped.")
      .def(
          "create",
          [](ShopFacet& f, Id actor_id, const py::kwargs& fields) {
            std::optional<std::string> key;
            ShopItem item = PatchFromKwargs(fields, &key).ApplyTo(ShopItem{});
            item.key = key.value_or("");
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, actor_id, [&](const User& u) { return e.shop().Create(u, item); });
            }));
          },
          py::arg("actor_id"),
          "Staff: creates an item from keyword fields (name, description, cost, category, icon_name, image, "
          "item_data, is_active, featured, key); the new ShopItem.")
      .def(
          "update",
          [](ShopFacet& f, Id actor_id, Id item_id, const py::kwargs& fields) {
            ShopItemPatch patch = PatchFromKwargs(fields, nullptr);
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, actor_id, [&](const User& u) { return e.shop().Update(u, item_id, patch); });
            }));
          },
          py::arg("actor_id"), py::arg("item_id"), "Staff: changes the given fields; the updated ShopItem.")
      .def(
          "delete",
          [](ShopFacet& f, Id actor_id, Id item_id) {
            Check(f.Call([&](Engine& e) {
              return WithUser(e, actor_id, [&](const User& u) { return e.shop().Delete(u, item_id); });
            }));
          },
          py::arg("actor_id"), py::arg("item_id"), "Staff: deletes an item.")
      .def(
          "duplicate",
          [](ShopFacet& f, Id actor_id, Id item_id) {
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, actor_id, [&](const User& u) { return e.shop().Duplicate(u, item_id); });
            }));
          },
          py::arg("actor_id"), py::arg("item_id"), "Staff: an inactive copy named '<name> (Copy)'.")
      .def(
          "load_catalogue",
          [](ShopFacet& f, const std::string& path) {
            return Unwrap(f.Call([&](Engine& e) { return e.shop().LoadCatalogue(path); }));
          },
          py::arg("path"), "Inserts or updates the items of a catalogue file by key; returns how many it holds.");
}

void RegisterPaymentsAndAchievements(py::module_& m) {
  py::class_<PaymentsFacet>(m, "Payments", "Buying XP with Razorpay; get it from Engine.payments.")
      .def_property_readonly(
          "configured",
          [](PaymentsFacet& f) {
            return Unwrap(f.Call([](Engine& e) -> Result<bool> { return e.payments().configured(); }));
          },
          "True when the Razorpay keys are set.")
      .def(
          "create_order",
          [](PaymentsFacet& f, Id user_id, int amount_inr) {
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.payments().CreateOrder(u, amount_inr); });
            }));
          },
          py::arg("user_id"), py::arg("amount_inr"),
          "A PaymentOrder for a package (49, 99, 199, 249, 499, 749, 999, 1999 INR). UnavailableError "
          "without keys; InvalidArgumentError 'Invalid package amount'.")
      .def(
          "verify",
          [](PaymentsFacet& f, Id user_id, const std::string& order_id, const std::string& payment_id,
             const std::string& signature) {
            return Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id,
                              [&](const User& u) { return e.payments().Verify(u, order_id, payment_id, signature); });
            }));
          },
          py::arg("user_id"), py::arg("order_id"), py::arg("payment_id"), py::arg("signature"),
          "The browser's callback: credits the order once; a PaymentCredit.")
      .def(
          "handle_webhook",
          [](PaymentsFacet& f, const py::bytes& raw_body, const std::string& signature) {
            std::string body = raw_body;
            return Unwrap(f.Call([&](Engine& e) { return e.payments().HandleWebhook(body, signature); }));
          },
          py::arg("raw_body"), py::arg("signature"),
          "Razorpay's webhook: the exact body bytes and the X-Razorpay-Signature header; a WebhookOutcome.");

  py::class_<AchievementsFacet>(m, "Achievements", "The built-in achievements; get it from Engine.achievements.")
      .def(
          "for_viewer",
          [](AchievementsFacet& f, Id viewer_id) {
            return Unwrap(f.Call([&](Engine& e) { return e.achievements().ForViewer(viewer_id); }));
          },
          py::arg("viewer_id") = 0, "AchievementViews in catalogue order; viewer_id 0 is anonymous.")
      .def(
          "of_user",
          [](AchievementsFacet& f, const std::string& username) {
            return Unwrap(f.Call([&](Engine& e) { return e.achievements().OfUser(username); }));
          },
          py::arg("username"), "UnlockedAchievements of `username`, newest first; NotFoundError 'User not found'.");
}

}  // namespace

void RegisterShop(py::module_& m) {
  RegisterShopValues(m);
  RegisterPaymentAndAchievementValues(m);
  RegisterShopClass(m);
  RegisterPaymentsAndAchievements(m);
}

void AddShopAccessors(EngineClass& engine) {
  engine
      .def_property_readonly(
          "shop", [](const Handle& h) { return ShopFacet{h}; }, "The cosmetics store (Shop).")
      .def_property_readonly(
          "payments", [](const Handle& h) { return PaymentsFacet{h}; }, "Razorpay payments (Payments).")
      .def_property_readonly(
          "achievements", [](const Handle& h) { return AchievementsFacet{h}; }, "The achievements (Achievements).");
}

}  // namespace clash::python
