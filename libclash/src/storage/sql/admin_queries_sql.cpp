// The admin console's read-only queries over the other modules' tables: counters, integrity
// checks, analytics and a user's activity.
#include <string>

#include "storage/sql/admin_store_sql.h"

namespace clash::internal {

Result<std::map<std::string, std::int64_t>> SqlAdminStore::Counters(Timestamp active_since) {
  static const char* kNames[] = {"users", "active_users", "oauth_users", "total_xp", "levels", "store_items",
                                 "active_store_items", "featured_store_items", "store_revenue", "notifications",
                                 "audit_logs", "posts", "follows", "open_reports", "pinned_notes", "players"};
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec(
          "SELECT (SELECT COUNT(*) FROM users), "
          "(SELECT COUNT(DISTINCT user_id) FROM refresh_tokens WHERE issued_at >= $1), "
          "(SELECT COUNT(DISTINCT user_id) FROM user_identities WHERE provider IN ('github', 'google')), "
          "(SELECT COALESCE(SUM(balance), 0) FROM wallets), "
          "(SELECT COUNT(*) FROM levels), "
          "(SELECT COUNT(*) FROM shop_items), "
          "(SELECT COUNT(*) FROM shop_items WHERE is_active = 1), "
          "(SELECT COUNT(*) FROM shop_items WHERE featured = 1), "
          "(SELECT COALESCE(SUM(cost), 0) FROM shop_purchases), "
          "(SELECT COUNT(*) FROM notifications), "
          "(SELECT COUNT(*) FROM admin_audit_log), "
          "(SELECT COUNT(*) FROM posts), "
          "(SELECT COUNT(*) FROM follows), "
          "(SELECT COUNT(*) FROM admin_reports WHERE status <> 'RESOLVED'), "
          "(SELECT COUNT(*) FROM admin_notes WHERE is_pinned = 1), "
          "(SELECT COUNT(DISTINCT user_id) FROM xp_ledger WHERE source = 'challenge_completion')",
          {active_since.unix_micros()}));
  std::map<std::string, std::int64_t> out;
  if (r.rows.empty()) return out;
  for (std::size_t i = 0; i < std::size(kNames); ++i) out[kNames[i]] = r.rows[0].Int(i);
  return out;
}

Result<std::map<std::string, std::int64_t>> SqlAdminStore::IntegrityViolations() {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec(
          "SELECT "
          "(SELECT COUNT(*) FROM wallets w WHERE w.balance <> "
          "  (SELECT COALESCE(SUM(l.amount), 0) FROM xp_ledger l WHERE l.user_id = w.user_id)), "
          "(SELECT COUNT(*) FROM (SELECT l.user_id FROM xp_ledger l LEFT JOIN wallets w ON w.user_id = l.user_id "
          "  WHERE w.user_id IS NULL GROUP BY l.user_id HAVING SUM(l.amount) <> 0) x), "
          "(SELECT COUNT(*) FROM wallets WHERE balance < 0), "
          "(SELECT COUNT(*) FROM follow_counts c WHERE "
          "  c.followers <> (SELECT COUNT(*) FROM follows f WHERE f.following_id = c.user_id) OR "
          "  c.following <> (SELECT COUNT(*) FROM follows f WHERE f.follower_id = c.user_id)), "
          "(SELECT COUNT(*) FROM posts p WHERE p.likes_count <> "
          "  (SELECT COUNT(*) FROM post_likes l WHERE l.post_id = p.id))"));
  std::map<std::string, std::int64_t> out;
  static const char* kNames[] = {"wallet_balance_differs_from_ledger", "ledger_without_wallet", "negative_balances",
                                 "follow_counters_differ_from_follows", "like_counters_differ_from_likes"};
  for (std::size_t i = 0; i < std::size(kNames); ++i) out[kNames[i]] = r.rows.empty() ? 0 : r.rows[0].Int(i);
  return out;
}

Result<std::vector<LevelAnalytics>> SqlAdminStore::LevelStats() {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT l.slug, l.title, l.ord, COUNT(DISTINCT x.user_id), COALESCE(SUM(x.amount), 0) "
                    "FROM levels l LEFT JOIN xp_ledger x ON x.source = 'challenge_completion' AND x.reference = l.slug "
                    "GROUP BY l.id, l.slug, l.title, l.ord ORDER BY l.ord, l.slug"));
  std::vector<LevelAnalytics> out;
  for (const SqlRow& row : r.rows) {
    out.push_back(LevelAnalytics{.slug = row.Text(0), .title = row.Text(1), .order = static_cast<int>(row.Int(2)),
                                 .completions = row.Int(3), .xp_paid = row.Int(4)});
  }
  return out;
}

Result<std::vector<ItemAnalytics>> SqlAdminStore::ItemStats() {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT i.id, i.name, i.category, i.cost, COUNT(p.id), COALESCE(SUM(p.cost), 0) "
                    "FROM shop_items i LEFT JOIN shop_purchases p ON p.item_id = i.id "
                    "GROUP BY i.id, i.name, i.category, i.cost ORDER BY COUNT(p.id) DESC, i.id"));
  std::vector<ItemAnalytics> out;
  for (const SqlRow& row : r.rows) {
    out.push_back(ItemAnalytics{.id = row.Int(0), .name = row.Text(1), .category = row.Text(2), .cost = row.Int(3),
                                .sales = row.Int(4), .revenue = row.Int(5)});
  }
  return out;
}

Result<std::vector<Timestamp>> SqlAdminStore::JoinTimes(Timestamp since) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT created_at FROM users WHERE created_at >= $1",
                                                    {since.unix_micros()}));
  std::vector<Timestamp> out;
  for (const SqlRow& row : r.rows) out.push_back(Timestamp::FromUnixMicros(row.Int(0)));
  return out;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqlAdminStore::ProviderCounts() {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT provider, COUNT(*) FROM users GROUP BY provider ORDER BY 2 DESC, 1"));
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const SqlRow& row : r.rows) out.emplace_back(row.Text(0), row.Int(1));
  return out;
}

Result<std::vector<TopUser>> SqlAdminStore::TopUsers(int limit) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT u.username, COALESCE(w.balance, 0), COALESCE(c.followers, 0) FROM users u "
                    "LEFT JOIN wallets w ON w.user_id = u.id LEFT JOIN follow_counts c ON c.user_id = u.id "
                    "WHERE u.is_active = 1 ORDER BY COALESCE(w.balance, 0) DESC, u.id LIMIT $1",
                    {std::int64_t{limit}}));
  std::vector<TopUser> out;
  for (const SqlRow& row : r.rows) out.push_back(TopUser{.username = row.Text(0), .xp = row.Int(1), .followers = row.Int(2)});
  return out;
}

Status SqlAdminStore::FillActivity(std::int64_t user_id, UserDetails& d) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult counts,
      session_.Exec("SELECT (SELECT COUNT(DISTINCT reference) FROM xp_ledger WHERE user_id = $1 AND "
                    "source = 'challenge_completion'), "
                    "(SELECT COUNT(*) FROM shop_purchases WHERE user_id = $1), "
                    "(SELECT COUNT(*) FROM admin_reports WHERE target_id = $1 AND status <> 'RESOLVED'), "
                    "(SELECT COALESCE(MAX(followers), 0) FROM follow_counts WHERE user_id = $1), "
                    "(SELECT COALESCE(MAX(following), 0) FROM follow_counts WHERE user_id = $1), "
                    "(SELECT COUNT(*) FROM posts WHERE user_id = $1)",
                    {user_id}));
  if (!counts.rows.empty()) {
    const SqlRow& c = counts.rows[0];
    d.completed_levels = c.Int(0);
    d.purchase_count = c.Int(1);
    d.open_reports = c.Int(2);
    d.followers = c.Int(3);
    d.following = c.Int(4);
    d.posts = c.Int(5);
  }
  CLASH_ASSIGN_OR_RETURN(SqlResult done,
                         session_.Exec("SELECT reference, created_at FROM xp_ledger WHERE user_id = $1 AND "
                                       "source = 'challenge_completion' ORDER BY created_at DESC, id DESC LIMIT 6",
                                       {user_id}));
  for (const SqlRow& row : done.rows) d.recent_completions.emplace_back(row.Text(0), Timestamp::FromUnixMicros(row.Int(1)));
  CLASH_ASSIGN_OR_RETURN(SqlResult bought,
                         session_.Exec("SELECT i.name, p.purchased_at FROM shop_purchases p JOIN shop_items i ON "
                                       "i.id = p.item_id WHERE p.user_id = $1 ORDER BY p.purchased_at DESC, p.id DESC "
                                       "LIMIT 8",
                                       {user_id}));
  for (const SqlRow& row : bought.rows) d.recent_purchases.emplace_back(row.Text(0), Timestamp::FromUnixMicros(row.Int(1)));
  return Status::Ok();
}

}  // namespace clash::internal
