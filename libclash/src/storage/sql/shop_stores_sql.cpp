// Shop items and purchases, payments and achievements on the shared SQL layer (tables shop_items,
// shop_purchases, payments, achievements, user_achievements; migration 4).
#include <string>

#include "storage/sql/economy_stores_sql.h"

namespace clash::internal {
namespace {

constexpr const char* kItemColumns =
    "id, item_key, name, description, cost, category, icon_name, image, item_data, is_active, featured, created_at";
constexpr const char* kPaymentColumns =
    "id, user_id, order_id, payment_id, amount_inr, xp_amount, status, created_at, updated_at";
constexpr const char* kAchievementColumns = "id, slug, title, description, icon, category, xp_reward, is_secret, ord";

constexpr const char* kPending = "pending";
constexpr const char* kSucceeded = "success";

// Item columns after `id`, in kItemColumns order, as parameters $1..$11 of an INSERT.
constexpr const char* kInsertItemSql =
    "INSERT INTO shop_items (item_key, name, description, cost, category, icon_name, image, item_data, is_active, "
    "featured, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ";

SqlValue NullIfEmpty(const std::string& v) {
  if (v.empty()) return std::monostate{};
  return v;
}

SqlValue NullableText(const std::optional<std::string>& v) {
  if (!v) return std::monostate{};
  return *v;
}

std::vector<SqlValue> InsertItemParams(const ShopItem& i) {
  return {NullIfEmpty(i.key),
          i.name,
          i.description,
          i.cost,
          std::string(ShopCategoryName(i.category)),
          i.icon_name,
          NullableText(i.image),
          i.item_data_json,
          std::int64_t{i.is_active},
          std::int64_t{i.featured},
          i.created_at.unix_micros()};
}

// Reads kItemColumns starting at column `at`.
Result<ShopItem> ItemFromRow(const SqlRow& row, std::size_t at = 0) {
  ShopItem i;
  i.id = row.Int(at);
  i.key = row.Text(at + 1);
  i.name = row.Text(at + 2);
  i.description = row.Text(at + 3);
  i.cost = row.Int(at + 4);
  CLASH_ASSIGN_OR_RETURN(i.category, ParseShopCategory(row.Text(at + 5)));
  i.icon_name = row.Text(at + 6);
  if (!row.IsNull(at + 7)) i.image = row.Text(at + 7);
  i.item_data_json = row.Text(at + 8);
  i.is_active = row.Int(at + 9) != 0;
  i.featured = row.Int(at + 10) != 0;
  i.created_at = Timestamp::FromUnixMicros(row.Int(at + 11));
  return i;
}

Result<std::vector<ShopItem>> ItemsFromResult(const SqlResult& r) {
  std::vector<ShopItem> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) {
    CLASH_ASSIGN_OR_RETURN(ShopItem item, ItemFromRow(row));
    out.push_back(std::move(item));
  }
  return out;
}

Result<PaymentRecord> PaymentFromRow(const SqlRow& row) {
  PaymentRecord p;
  p.id = row.Int(0);
  p.user_id = row.Int(1);
  p.order_id = row.Text(2);
  p.payment_id = row.Text(3);
  p.amount_inr = static_cast<int>(row.Int(4));
  p.xp_amount = row.Int(5);
  const std::string status = row.Text(6);
  if (status == kPending) {
    p.status = PaymentStatus::kPending;
  } else if (status == kSucceeded) {
    p.status = PaymentStatus::kSucceeded;
  } else {
    return Status::Internal("unknown payment status '" + status + "'");
  }
  p.created_at = Timestamp::FromUnixMicros(row.Int(7));
  p.updated_at = Timestamp::FromUnixMicros(row.Int(8));
  return p;
}

Achievement AchievementFromRow(const SqlRow& row) {
  Achievement a;
  a.id = row.Int(0);
  a.slug = row.Text(1);
  a.title = row.Text(2);
  a.description = row.Text(3);
  a.icon = row.Text(4);
  a.category = row.Text(5);
  a.xp_reward = row.Int(6);
  a.is_secret = row.Int(7) != 0;
  a.order = static_cast<int>(row.Int(8));
  return a;
}

std::string ItemNotFound(std::int64_t id) { return "shop item " + std::to_string(id) + " not found"; }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Shop

Result<std::int64_t> SqlShopStore::Insert(const ShopItem& item) {
  // ON CONFLICT rather than a unique violation: the transaction stays usable for the caller.
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string(kInsertItemSql) +
                                                        "ON CONFLICT (item_key) DO NOTHING RETURNING id",
                                                    InsertItemParams(item)));
  if (r.rows.empty()) return Status::AlreadyExists("a shop item with key '" + item.key + "' exists");
  return r.rows[0].Int(0);
}

Result<std::int64_t> SqlShopStore::UpsertByKey(const ShopItem& item) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec(std::string(kInsertItemSql) +
                        "ON CONFLICT (item_key) DO UPDATE SET name = excluded.name, "
                        "description = excluded.description, cost = excluded.cost, category = excluded.category, "
                        "icon_name = excluded.icon_name, image = excluded.image, item_data = excluded.item_data, "
                        "is_active = excluded.is_active, featured = excluded.featured RETURNING id",
                    InsertItemParams(item)));
  if (r.rows.empty()) return Status::Internal("upsert of shop item returned no id");
  return r.rows[0].Int(0);
}

Result<ShopItem> SqlShopStore::Get(std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec(std::string("SELECT ") + kItemColumns + " FROM shop_items WHERE id = $1", {id}));
  if (r.rows.empty()) return Status::NotFound(ItemNotFound(id));
  return ItemFromRow(r.rows[0]);
}

Result<std::vector<ShopItem>> SqlShopStore::List(bool include_inactive) {
  // is_active >= $1: 0 lists every item, 1 only active ones (one statement text for both).
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kItemColumns +
                                                        " FROM shop_items WHERE is_active >= $1 "
                                                        "ORDER BY created_at DESC, id DESC",
                                                    {std::int64_t{include_inactive ? 0 : 1}}));
  return ItemsFromResult(r);
}

Status SqlShopStore::Update(const ShopItem& i) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("UPDATE shop_items SET name = $2, description = $3, cost = $4, category = $5, icon_name = $6, "
                    "image = $7, item_data = $8, is_active = $9, featured = $10 WHERE id = $1",
                    {i.id, i.name, i.description, i.cost, std::string(ShopCategoryName(i.category)), i.icon_name,
                     NullableText(i.image), i.item_data_json, std::int64_t{i.is_active}, std::int64_t{i.featured}}));
  if (r.affected == 0) return Status::NotFound(ItemNotFound(i.id));
  return Status::Ok();
}

Status SqlShopStore::Delete(std::int64_t id) {
  // shop_purchases rows go with it (ON DELETE CASCADE).
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM shop_items WHERE id = $1", {id}));
  if (r.affected == 0) return Status::NotFound(ItemNotFound(id));
  return Status::Ok();
}

Result<bool> SqlShopStore::InsertPurchase(std::int64_t user_id, std::int64_t item_id, std::int64_t cost,
                                          Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("INSERT INTO shop_purchases (user_id, item_id, cost, purchased_at) "
                                       "VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, item_id) DO NOTHING RETURNING id",
                                       {user_id, item_id, cost, now.unix_micros()}));
  return !r.rows.empty();
}

Result<std::vector<std::int64_t>> SqlShopStore::OwnedItemIds(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT item_id FROM shop_purchases WHERE user_id = $1 "
                                                    "ORDER BY item_id",
                                                    {user_id}));
  std::vector<std::int64_t> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(row.Int(0));
  return out;
}

Result<std::vector<PurchaseRecord>> SqlShopStore::Purchases(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT p.purchased_at, i.id, i.item_key, i.name, i.description, i.cost, i.category, i.icon_name, "
                    "i.image, i.item_data, i.is_active, i.featured, i.created_at FROM shop_purchases p "
                    "JOIN shop_items i ON i.id = p.item_id WHERE p.user_id = $1 "
                    "ORDER BY p.purchased_at DESC, p.id DESC",
                    {user_id}));
  std::vector<PurchaseRecord> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) {
    PurchaseRecord rec;
    rec.purchased_at = Timestamp::FromUnixMicros(row.Int(0));
    CLASH_ASSIGN_OR_RETURN(rec.item, ItemFromRow(row, 1));
    out.push_back(std::move(rec));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Payments

Result<std::int64_t> SqlPaymentStore::Insert(const PaymentRecord& p) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO payments (user_id, order_id, payment_id, amount_inr, xp_amount, status, created_at, "
                    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                    "ON CONFLICT (order_id) DO NOTHING RETURNING id",
                    {p.user_id, p.order_id, p.payment_id, std::int64_t{p.amount_inr}, p.xp_amount,
                     std::string(p.status == PaymentStatus::kSucceeded ? kSucceeded : kPending),
                     p.created_at.unix_micros(), p.updated_at.unix_micros()}));
  if (r.rows.empty()) return Status::AlreadyExists("a payment for order '" + p.order_id + "' exists");
  return r.rows[0].Int(0);
}

Result<PaymentRecord> SqlPaymentStore::LockByOrder(std::string_view order_id) {
  std::string sql = std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE order_id = $1";
  if (session_.dialect() == SqlDialect::kPostgres) sql += " FOR UPDATE";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {std::string(order_id)}));
  if (r.rows.empty()) return Status::NotFound("Order not found");
  return PaymentFromRow(r.rows[0]);
}

Status SqlPaymentStore::MarkSucceeded(std::string_view order_id, std::string_view payment_id, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("UPDATE payments SET status = $2, payment_id = $3, updated_at = $4 "
                                       "WHERE order_id = $1",
                                       {std::string(order_id), std::string(kSucceeded), std::string(payment_id),
                                        now.unix_micros()}));
  if (r.affected == 0) return Status::NotFound("Order not found");
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Achievements

Result<std::int64_t> SqlAchievementStore::Upsert(const Achievement& a) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO achievements (slug, title, description, icon, category, xp_reward, is_secret, ord) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slug) DO UPDATE SET title = excluded.title, "
                    "description = excluded.description, icon = excluded.icon, category = excluded.category, "
                    "xp_reward = excluded.xp_reward, is_secret = excluded.is_secret, ord = excluded.ord RETURNING id",
                    {a.slug, a.title, a.description, a.icon, a.category, a.xp_reward, std::int64_t{a.is_secret},
                     std::int64_t{a.order}}));
  if (r.rows.empty()) return Status::Internal("upsert of achievement returned no id");
  return r.rows[0].Int(0);
}

Result<std::vector<Achievement>> SqlAchievementStore::List() {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kAchievementColumns +
                                                    " FROM achievements ORDER BY ord, id"));
  std::vector<Achievement> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(AchievementFromRow(row));
  return out;
}

Result<Achievement> SqlAchievementStore::GetBySlug(std::string_view slug) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kAchievementColumns +
                                                        " FROM achievements WHERE slug = $1",
                                                    {std::string(slug)}));
  if (r.rows.empty()) return Status::NotFound("achievement '" + std::string(slug) + "' not found");
  return AchievementFromRow(r.rows[0]);
}

Result<bool> SqlAchievementStore::Grant(std::int64_t user_id, std::int64_t achievement_id, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("INSERT INTO user_achievements (user_id, achievement_id, unlocked_at) "
                                       "VALUES ($1, $2, $3) ON CONFLICT (user_id, achievement_id) DO NOTHING "
                                       "RETURNING id",
                                       {user_id, achievement_id, now.unix_micros()}));
  return !r.rows.empty();
}

Result<std::vector<std::pair<std::int64_t, Timestamp>>> SqlAchievementStore::Unlocked(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT achievement_id, unlocked_at FROM user_achievements "
                                                    "WHERE user_id = $1 ORDER BY unlocked_at DESC, id DESC",
                                                    {user_id}));
  std::vector<std::pair<std::int64_t, Timestamp>> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.emplace_back(row.Int(0), Timestamp::FromUnixMicros(row.Int(1)));
  return out;
}

}  // namespace clash::internal
