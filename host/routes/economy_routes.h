// host/routes/economy_routes.h — the XP economy over HTTP (client-contract.md sections 6-9,
// reference-core.md 1.3 redeem-referral, 1.6-1.8, 1.11). Every route parses, calls the library and
// writes the contract's JSON; errors go through the one status table (402 insufficient XP, 400 failed
// precondition, 404, 403, 503 payments not configured, 429).
//
// economy_routes.cpp (default throttle):
//   GET  /api/rewards/check-in/                    user   -> status of today's check-in
//   POST /api/rewards/check-in/                    user   -> 201 outcome; 400 {error, check_in} if done today
//   GET  /api/achievements/                        user   -> [achievement + is_unlocked, unlocked_at]
//   GET  /api/achievements/user/{username}/        anyone -> [{id, achievement, unlocked_at}]
//   POST /api/profiles/user/redeem-referral/       user   {code} -> awards
//   GET  /api/profiles/user/xp-history/?limit=&before=  user -> {results, next_before, balance}
//   POST /api/admin/users/{username}/xp/           staff  {amount, reason, idempotency_key} -> {entry, balance, applied}
// store_routes.cpp (buy: store throttle 30/min per user; the rest default):
//   GET  /api/store/items/                         user   -> [item + is_owned]
//   POST /api/store/items/                         staff  item fields -> 201 item
//   GET  /api/store/items/{id}/                    user   -> item
//   PUT, PATCH /api/store/items/{id}/              staff  (partial) fields -> item
//   DELETE /api/store/items/{id}/                  staff  -> 204
//   POST /api/admin/store/items/{id}/duplicate/    staff  -> 201 item
//   POST /api/store/buy/{id}/                      user   -> 201 {status, message, remaining_xp, item}
//   POST /api/store/equip/                         user   {item_id} -> {status, message, active_*}
//   POST /api/store/unequip/                       user   {category} -> {status, message, active_*}
//   GET  /api/store/purchased/                     user   -> {purchased_items, equipped_items}
// payment_routes.cpp (store throttle):
//   POST /api/payments/create-order/               user   {amount} -> 201 {order_id, amount, key, xp_amount}
//   POST /api/payments/verify-payment/             user   {razorpay_order_id, razorpay_payment_id,
//                                                          razorpay_signature} -> {status, new_xp}
//   POST /api/payments/webhook/                    Razorpay (server to server; no cookie, no CSRF
//                                                  check; X-Razorpay-Signature over the raw body)
//                                                  -> {status: "ok", credited, detail}
#pragma once

#include "http/router.h"
#include "routes/auth_routes.h"

namespace clash::host {

void AddEconomyRoutes(Router& router, RouteContext& ctx);
void AddStoreRoutes(Router& router, RouteContext& ctx);
void AddPaymentRoutes(Router& router, RouteContext& ctx);

}  // namespace clash::host
