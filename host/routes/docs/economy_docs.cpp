#include "routes/docs/route_docs.h"

namespace clash::host::docs {
namespace {

constexpr const char* kItemFields =
    "{name?: string, cost?: integer, icon_name?: string, description?: string, category?: string, "
    "image?: string|null, item_data?: any, featured?: boolean, is_active?: boolean, key?: string}";
constexpr const char* kEquipped =
    "{status: string, message: string, active_theme: any, active_font: any, active_effect: any, active_victory: any}";

}  // namespace

void AddEconomyDocs(std::vector<RouteDoc>& out) {
  const std::vector<RouteDoc> docs = {
      {"GET", "/api/rewards/check-in/", "rewards", "user", "The caller's check-in cycle", "",
       "{checked_in_today: boolean, current_streak: integer, cycle_day: integer, cycle_start_date: string|null, "
       "today_checkin: @CheckIn|null, recent_checkins: [@CheckIn], daily_rewards: object, freezes_left: integer}"},
      {"POST", "/api/rewards/check-in/", "rewards", "user", "Check in for today (XP once a day)", "",
       "{message: string, check_in: @CheckIn, xp_earned: integer, total_xp: integer, streak_day: integer, "
       "current_streak: integer, cycle_day: integer, is_new_cycle: boolean, cycle_start_date: string, "
       "freezes_left: integer, streak_saved: boolean, freeze_earned: boolean}",
       201},
      {"GET", "/api/achievements/", "achievements", "user", "Every achievement with the caller's progress", "",
       "[object]"},
      {"GET", "/api/achievements/user/{username}/", "achievements", "optional", "A player's unlocked achievements", "",
       "[{id: integer, achievement: object, unlocked_at: string}]"},
      {"POST", "/api/profiles/user/redeem-referral/", "rewards", "user", "Redeem another player's referral code",
       "{code: string}",
       "{message: string, xp_awarded: integer, redeemer_xp_awarded: integer, referrer_xp_awarded: integer, "
       "new_total_xp: integer, referrer_new_total_xp: integer}"},
      {"GET", "/api/profiles/user/xp-history/", "rewards", "user", "The caller's XP ledger, newest first", "",
       "{results: [{id: integer, amount: integer, source: string, reference: string, created_at: string}], "
       "next_before: integer|null, balance: integer}",
       200, "{limit?: integer, before?: integer}"},
      {"POST", "/api/admin/users/{username}/xp/", "admin", "staff", "Grant or take XP (idempotent by key)",
       "{amount: integer, reason: string, idempotency_key: string}",
       "{entry: object, balance: integer, applied: boolean}"},
      {"GET", "/api/store/items/", "store", "user", "The store, newest first, with is_owned", "", "[@StoreItem]"},
      {"POST", "/api/store/items/", "store", "staff", "Create a store item", kItemFields, "@StoreItem", 201},
      {"GET", "/api/store/items/{id}/", "store", "user", "One store item", "", "@StoreItem"},
      {"PATCH", "/api/store/items/{id}/", "store", "staff", "Edit a store item (partial)", kItemFields, "@StoreItem"},
      {"PUT", "/api/store/items/{id}/", "store", "staff", "Replace a store item's fields", kItemFields, "@StoreItem"},
      {"DELETE", "/api/store/items/{id}/", "store", "staff", "Delete a store item", "", "", 204},
      {"POST", "/api/admin/store/items/{id}/duplicate/", "store", "staff", "Copy an item (inactive, no key)", "",
       "@StoreItem", 201},
      {"POST", "/api/store/buy/{id}/", "store", "user", "Buy an item with XP (charged once)", "",
       "{status: string, message: string, remaining_xp: integer, item: @StoreItem}", 201},
      {"POST", "/api/store/equip/", "store", "user", "Equip an owned item", "{item_id: integer}", kEquipped},
      {"POST", "/api/store/unequip/", "store", "user", "Back to a category's default", "{category: string}",
       kEquipped},
      {"GET", "/api/store/purchased/", "store", "user", "The caller's items and what is equipped", "",
       "{purchased_items: [@StoreItem], equipped_items: {theme: any, font: any, effect: any, victory: any}}"},
      {"POST", "/api/payments/create-order/", "payments", "user", "Start buying XP (a Razorpay order)",
       "{amount: integer}", "{order_id: string, amount: integer, key: string, xp_amount: integer}", 201},
      {"POST", "/api/payments/verify-payment/", "payments", "user", "Confirm a payment and credit its XP once",
       "{razorpay_order_id: string, razorpay_payment_id: string, razorpay_signature: string}",
       "{status?: string, message?: string, new_xp: integer}"},
      {"POST", "/api/payments/webhook/", "payments", "public",
       "Razorpay's webhook (X-Razorpay-Signature over the raw body)", "object",
       "{status: string, credited: boolean, detail: string}"},
  };
  out.insert(out.end(), docs.begin(), docs.end());
}

}  // namespace clash::host::docs
