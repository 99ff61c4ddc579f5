// The cosmetics store: listing, buying, equipping, and staff item management. See economy_routes.h.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/json_body.h"
#include "http/json_response.h"
#include "routes/economy_json.h"
#include "routes/admin_routes.h"
#include "routes/economy_routes.h"

namespace clash::host {
namespace {

using nlohmann::json;

void WriteNotFound(HttpResponse& resp) { WriteError(resp, 404, "Not found."); }

// Decodes the item fields of a staff request (the library's one decoder); writes the 400 and returns
// nullopt on a missing or mistyped field.
std::optional<DecodedShopItem> ReadItemFields(const HttpRequest& req, bool require_all, HttpResponse& resp) {
  json body;
  if (!ReadJsonObject(req, resp, &body)) return std::nullopt;
  ShopItemDecoding how;
  how.require_all = require_all;
  Result<DecodedShopItem> decoded = DecodeShopItemFields(body.dump(), how);
  if (decoded.ok()) return std::move(decoded).value();
  const Status& s = decoded.status();
  std::optional<std::string> field = s.StringDetail("field");
  std::optional<std::string> problem = s.StringDetail("problem");
  if (field && problem) {
    WriteFieldError(resp, *field, *problem);
  } else {
    WriteError(resp, s);
  }
  return std::nullopt;
}

// Writes `item` as the viewer sees it (is_owned included) with `http_status`.
void WriteItemView(Engine& engine, const User& viewer, std::int64_t item_id, int http_status, HttpResponse& resp) {
  Result<ShopItemView> view = engine.shop().Get(viewer, item_id);
  if (!view.ok()) return WriteError(resp, view.status());
  WriteJson(resp, http_status, ShopItemJson(view->item, view->is_owned));
}

void AddItemRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("GET", "/api/store/items/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<std::vector<ShopItemView>> items = engine.shop().List(*caller.user);
               if (!items.ok()) return WriteError(resp, items.status());
               json out = json::array();
               for (const ShopItemView& v : *items) out.push_back(ShopItemJson(v.item, v.is_owned));
               resp.SetHeader("Cache-Control", "no-store");
               WriteJson(resp, 200, out);
             }));

  router.Add("POST", "/api/store/items/",
             GuardDefault(ctx, Access::kStaff, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<DecodedShopItem> fields = ReadItemFields(req, /*require_all=*/true, resp);
               if (!fields) return;
               ShopItem item = fields->patch.ApplyTo(ShopItem{});
               item.key = fields->key.value_or("");
               Result<ShopItem> created = engine.shop().Create(*caller.user, std::move(item));
               if (!created.ok()) return WriteError(resp, created.status());
               WriteJson(resp, 201, ShopItemJson(*created, false));
             }));

  router.Add("GET", "/api/store/items/{id}/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> id = PathId(req.path_params["id"]);
               if (!id) return WriteNotFound(resp);
               WriteItemView(engine, *caller.user, *id, 200, resp);
             }));

  for (const char* method : {"PUT", "PATCH"}) {
    const bool full = std::string(method) == "PUT";
    router.Add(method, "/api/store/items/{id}/",
               GuardDefault(ctx, Access::kStaff,
                            [&engine, full](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
                              std::optional<std::int64_t> id = PathId(req.path_params["id"]);
                              if (!id) return WriteNotFound(resp);
                              std::optional<DecodedShopItem> fields = ReadItemFields(req, full, resp);
                              if (!fields) return;
                              Result<ShopItem> updated = engine.shop().Update(*caller.user, *id, fields->patch);
                              if (!updated.ok()) return WriteError(resp, updated.status());
                              WriteItemView(engine, *caller.user, *id, 200, resp);
                            }));
  }

  router.Add("DELETE", "/api/store/items/{id}/",
             GuardDefault(ctx, Access::kStaff, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> id = PathId(req.path_params["id"]);
               if (!id) return WriteNotFound(resp);
               if (Status s = engine.shop().Delete(*caller.user, *id); !s.ok()) return WriteError(resp, s);
               resp.status = 204;
               resp.body.clear();
             }));

  router.Add("POST", "/api/admin/store/items/{id}/duplicate/",
             GuardDefault(ctx, Access::kStaff, [&engine, &callers = ctx.callers](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> id = PathId(req.path_params["id"]);
               if (!id) return WriteNotFound(resp);
               Result<ShopItem> copy = engine.admin().DuplicateStoreItem(AdminContextOf(req, caller, callers), *id);
               if (!copy.ok()) return WriteError(resp, copy.status());
               WriteJson(resp, 201, ShopItemJson(*copy, false));
             }));
}

void AddPlayerStoreRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("POST", "/api/store/buy/{id}/",
             Guard(ctx, Access::kUser, "store",
                   [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
                     std::optional<std::int64_t> id = PathId(req.path_params["id"]);
                     if (!id) return WriteNotFound(resp);
                     Result<PurchaseOutcome> bought = engine.shop().Buy(*caller.user, *id);
                     if (!bought.ok()) return WriteError(resp, bought.status());
                     WriteJson(resp, 201, json{{"status", "success"},
                                               {"message", "Purchased " + bought->item.name},
                                               {"remaining_xp", bought->remaining_xp},
                                               {"item", ShopItemJson(bought->item, true)}});
                   }));

  router.Add("POST", "/api/store/equip/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               json body;
               std::optional<std::int64_t> item_id;
               if (!ReadJsonObject(req, resp, &body) || !OptionalInt(body, "item_id", resp, &item_id)) return;
               if (!item_id) return WriteFieldError(resp, "item_id", "This field is required.");
               Result<EquippedItems> equipped = engine.shop().Equip(*caller.user, *item_id);
               if (!equipped.ok()) return WriteError(resp, equipped.status());
               Result<ShopItemView> item = engine.shop().Get(*caller.user, *item_id);
               if (!item.ok()) return WriteError(resp, item.status());
               json out = EquippedJson(*equipped);
               out["status"] = "success";
               out["message"] = "Equipped " + item->item.name;
               WriteJson(resp, 200, out);
             }));

  router.Add("POST", "/api/store/unequip/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               json body;
               std::string category;
               if (!ReadJsonObject(req, resp, &body) || !StringField(body, "category", resp, &category)) return;
               Result<EquippedItems> equipped = engine.shop().Unequip(*caller.user, category);
               if (!equipped.ok()) return WriteError(resp, equipped.status());
               Result<ShopCategory> parsed = ParseShopCategory(category);  // valid: Unequip accepted it
               json out = EquippedJson(*equipped);
               out["status"] = "success";
               out["message"] = "Unequipped " + std::string(parsed.ok() ? ShopCategoryName(*parsed) : category);
               WriteJson(resp, 200, out);
             }));

  router.Add("GET", "/api/store/purchased/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<PurchasedItems> purchased = engine.shop().Purchased(*caller.user);
               if (!purchased.ok()) return WriteError(resp, purchased.status());
               json items = json::array();
               for (const ShopItem& item : purchased->items) items.push_back(ShopItemJson(item, true));
               const EquippedItems& e = purchased->equipped;
               resp.SetHeader("Cache-Control", "no-store");
               WriteJson(resp, 200, json{{"purchased_items", items},
                                         {"equipped_items", {{"theme", e.theme},
                                                             {"font", e.font},
                                                             {"effect", e.effect ? json(*e.effect) : json(nullptr)},
                                                             {"victory", e.victory}}}});
             }));
}

}  // namespace

void AddStoreRoutes(Router& router, RouteContext& ctx) {
  AddItemRoutes(router, ctx);
  AddPlayerStoreRoutes(router, ctx);
}

}  // namespace clash::host
