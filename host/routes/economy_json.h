// host/routes/economy_json.h — the client contract's JSON shapes of the economy's values
// (client-contract.md sections 6-9, reference-core.md 1.6-1.8, 1.11). Presentation only.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "clash/achievements.h"
#include "clash/economy.h"
#include "clash/shop.h"

namespace clash::host {

// {id, check_in_date, streak_day (the cycle day), current_streak (the record's streak), xp_earned,
//  freeze_used, created_at}
nlohmann::json CheckInJson(const CheckInRecord& record);

// GET /api/rewards/check-in/.
nlohmann::json CheckInStatusJson(const CheckInStatus& status);

// POST /api/rewards/check-in/ (201).
nlohmann::json CheckInOutcomeJson(const CheckInOutcome& outcome);

// {id, name, description, cost, category, image, icon_name, item_data (object), is_owned, featured,
//  is_active, created_at}
nlohmann::json ShopItemJson(const ShopItem& item, bool is_owned);

// {active_theme, active_font, active_effect, active_victory}
nlohmann::json EquippedJson(const EquippedItems& equipped);

// {id, slug, title, description, icon, category, xp_reward, is_secret, is_unlocked, unlocked_at}
nlohmann::json AchievementJson(const Achievement& achievement, bool is_unlocked,
                               const std::optional<Timestamp>& unlocked_at);

// {id, amount, source, reference, created_at}
nlohmann::json LedgerEntryJson(const LedgerEntry& entry);

}  // namespace clash::host
