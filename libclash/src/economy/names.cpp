// Wire names of the economy's enums (shared by the modules and the storage layer).
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "clash/economy.h"
#include "clash/shop.h"

namespace clash {
namespace {

constexpr std::array<std::pair<XpSource, std::string_view>, 8> kSources = {{
    {XpSource::kChallengeCompletion, "challenge_completion"},
    {XpSource::kHintPurchase, "hint_purchase"},
    {XpSource::kCheckIn, "check_in"},
    {XpSource::kStorePurchase, "store_purchase"},
    {XpSource::kPayment, "payment"},
    {XpSource::kReferral, "referral"},
    {XpSource::kAchievement, "achievement"},
    {XpSource::kAdminAdjustment, "admin_adjustment"},
}};

constexpr std::array<std::pair<ShopCategory, std::string_view>, 4> kCategories = {{
    {ShopCategory::kTheme, "THEME"},
    {ShopCategory::kFont, "FONT"},
    {ShopCategory::kEffect, "EFFECT"},
    {ShopCategory::kVictory, "VICTORY"},
}};

}  // namespace

std::string_view XpSourceName(XpSource source) {
  for (const auto& [s, name] : kSources) {
    if (s == source) return name;
  }
  return "unknown";
}

Result<XpSource> ParseXpSource(std::string_view name) {
  for (const auto& [s, n] : kSources) {
    if (n == name) return s;
  }
  return Status::InvalidArgument("unknown XP source: " + std::string(name));
}

std::string_view ShopCategoryName(ShopCategory category) {
  for (const auto& [c, name] : kCategories) {
    if (c == category) return name;
  }
  return "UNKNOWN";
}

Result<ShopCategory> ParseShopCategory(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) { return std::toupper(ch); });
  for (const auto& [c, n] : kCategories) {
    if (n == upper) return c;
  }
  return Status::InvalidArgument("Invalid category.");
}

}  // namespace clash
