// Wire names of the economy's enums (shared by the modules and the storage layer).
#include <algorithm>
#include <cctype>
#include <string>

#include "clash/economy.h"
#include "clash/shop.h"
#include "common/name_table.h"

namespace clash {
namespace {

constexpr internal::NameTable<XpSource, 9> kSources{{{
    {XpSource::kChallengeCompletion, "challenge_completion"},
    {XpSource::kHintPurchase, "hint_purchase"},
    {XpSource::kCheckIn, "check_in"},
    {XpSource::kStorePurchase, "store_purchase"},
    {XpSource::kPayment, "payment"},
    {XpSource::kReferral, "referral"},
    {XpSource::kAchievement, "achievement"},
    {XpSource::kAdminAdjustment, "admin_adjustment"},
    {XpSource::kMatch, "match"},
}}};

constexpr internal::NameTable<ShopCategory, 4> kCategories{{{
    {ShopCategory::kTheme, "THEME"},
    {ShopCategory::kFont, "FONT"},
    {ShopCategory::kEffect, "EFFECT"},
    {ShopCategory::kVictory, "VICTORY"},
}}};

}  // namespace

std::string_view XpSourceName(XpSource source) { return kSources.Name(source, "unknown"); }

Result<XpSource> ParseXpSource(std::string_view name) { return kSources.Parse(name, "unknown XP source: "); }

std::string_view ShopCategoryName(ShopCategory category) { return kCategories.Name(category, "UNKNOWN"); }

Result<ShopCategory> ParseShopCategory(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) { return std::toupper(ch); });
  Result<ShopCategory> category = kCategories.Parse(upper, "");
  if (!category.ok()) return Status::InvalidArgument("Invalid category.");
  return category;
}

}  // namespace clash
