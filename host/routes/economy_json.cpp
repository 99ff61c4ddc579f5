#include "routes/economy_json.h"

#include <string>

namespace clash::host {

using nlohmann::json;

json CheckInJson(const CheckInRecord& r) {
  return json{{"id", r.id},
              {"check_in_date", r.date.ToString()},
              {"streak_day", r.cycle_day},
              {"current_streak", r.streak},
              {"xp_earned", r.xp_earned},
              {"freeze_used", r.freeze_used},
              {"created_at", r.created_at.ToIso8601()}};
}

json CheckInStatusJson(const CheckInStatus& s) {
  json recent = json::array();
  for (const CheckInRecord& r : s.recent) recent.push_back(CheckInJson(r));
  json rewards = json::object();
  for (std::size_t day = 0; day < kDailyRewards.size(); ++day) rewards[std::to_string(day + 1)] = kDailyRewards[day];
  return json{{"checked_in_today", s.checked_in_today},
              {"current_streak", s.current_streak},
              {"cycle_day", s.cycle_day},
              {"cycle_start_date", s.cycle_start_date.ToString()},
              {"today_checkin", s.today_check_in ? CheckInJson(*s.today_check_in) : json(nullptr)},
              {"recent_checkins", recent},
              {"daily_rewards", rewards},
              {"freezes_left", s.freezes_left},
              {"streak_freezes", s.freezes_left}};
}

json CheckInOutcomeJson(const CheckInOutcome& o) {
  const CheckInRecord& c = o.check_in;
  return json{{"message", "Check-in successful! Day " + std::to_string(c.cycle_day) + " of cycle."},
              {"check_in", CheckInJson(c)},
              {"xp_earned", c.xp_earned},
              {"total_xp", o.total_xp},
              {"streak_day", c.cycle_day},
              {"current_streak", c.streak},
              {"cycle_day", c.cycle_day},
              {"is_new_cycle", o.is_new_cycle},
              {"cycle_start_date", o.cycle_start_date.ToString()},
              {"freezes_left", o.freezes_left},
              {"streak_saved", o.streak_saved},
              {"freeze_earned", o.freeze_earned}};
}

json ShopItemJson(const ShopItem& item, bool is_owned) {
  json data = json::parse(item.item_data_json, nullptr, /*allow_exceptions=*/false);
  if (data.is_discarded() || !data.is_object()) data = json::object();
  return json{{"id", item.id},
              {"name", item.name},
              {"description", item.description},
              {"cost", item.cost},
              {"category", std::string(ShopCategoryName(item.category))},
              {"image", item.image ? json(*item.image) : json(nullptr)},
              {"icon_name", item.icon_name},
              {"item_data", data},
              {"is_owned", is_owned},
              {"featured", item.featured},
              {"is_active", item.is_active},
              {"created_at", item.created_at.ToIso8601()}};
}

json EquippedJson(const EquippedItems& e) {
  return json{{"active_theme", e.theme},
              {"active_font", e.font},
              {"active_effect", e.effect ? json(*e.effect) : json(nullptr)},
              {"active_victory", e.victory}};
}

json AchievementJson(const Achievement& a, bool is_unlocked, const std::optional<Timestamp>& unlocked_at) {
  return json{{"id", a.id},
              {"slug", a.slug},
              {"title", a.title},
              {"description", a.description},
              {"icon", a.icon},
              {"category", a.category},
              {"xp_reward", a.xp_reward},
              {"is_secret", a.is_secret},
              {"is_unlocked", is_unlocked},
              {"unlocked_at", unlocked_at ? json(unlocked_at->ToIso8601()) : json(nullptr)}};
}

json LedgerEntryJson(const LedgerEntry& e) {
  return json{{"id", e.id},
              {"amount", e.amount},
              {"source", std::string(XpSourceName(e.source))},
              {"reference", e.reference},
              {"created_at", e.created_at.ToIso8601()}};
}

}  // namespace clash::host
