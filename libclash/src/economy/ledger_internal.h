// Internal helpers of the economy shared by its modules (ledger, check-in, referrals, shop,
// payments, achievements). Not part of the public API.
//
// Ledger::ApplyIn (clash/economy.h) is the one way to change a balance inside a transaction. Its
// error must be returned from the transaction function unchanged (or replaced by another error):
// committing after a failed ApplyIn could keep a half-applied change.
#pragma once

#include <cstdint>
#include <string>

#include "clash/rng.h"
#include "clash/status.h"
#include "clash/storage.h"

namespace clash::internal {

// InsufficientFunds(`message`) with the details of the client contract's 402:
//   detail       "This costs <required> XP but you have <current>."
//   required_xp  `required`
//   current_xp   `current`
//   shortage     required - current (at least 0)
//   how_to_earn  "Complete levels, check in daily or buy XP."
// The shop passes "Insufficient XP. Need <shortage> more."; the ledger uses "Insufficient XP".
Status InsufficientXp(std::int64_t required, std::int64_t current, std::string message = "Insufficient XP");

// The user's referral code, created in `tx` if the user has none: 8 characters of A-Z0-9 drawn
// from `rng`, retried a few times when another user holds the drawn code. NotFound("User not
// found") for an unknown user; Internal if no free code was drawn (practically impossible).
Result<std::string> EnsureReferralCode(StorageTransaction& tx, Rng& rng, std::int64_t user_id);

}  // namespace clash::internal
