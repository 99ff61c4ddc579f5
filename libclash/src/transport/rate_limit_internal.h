// Helpers shared by the rate-limit backends.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "clash/ratelimit.h"

namespace clash::internal {

// InvalidArgument unless key is non-empty, capacity >= 1, window >= 1 s and 1 <= cost <= capacity.
Status ValidateTake(std::string_view key, const RateLimit& limit, int cost);

// Whole seconds, rounded up, at least 1.
std::chrono::seconds RetryAfterFromMicros(std::int64_t us);

}  // namespace clash::internal
