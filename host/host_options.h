// host/host_options.h — clash-host's options (docs/configuration.md lists them).
#pragma once

#include <string>
#include <vector>

#include "clash/config.h"
#include "clash/economy.h"
#include "clash/payments.h"
#include "http/auth_context.h"
#include "http/server.h"
#include "ws/ws_options.h"

namespace clash::host {

const std::vector<ConfigOption>& HostOptions();
// Splits "a, b,c" into {"a", "b", "c"} (items trimmed, empty ones dropped).
std::vector<std::string> SplitList(const std::string& list);
Result<ServerOptions> ServerOptionsFrom(const Config& cfg);
Result<WsOptions> WsOptionsFrom(const Config& cfg);
Result<CallerOptions> CallerOptionsFrom(const Config& cfg);
// time_zone (loaded from the system's zoneinfo) and max_streak_freezes. InvalidArgument naming the
// option for an unknown or malformed zone or a cap outside 0-1000.
Result<CheckInOptions> CheckInOptionsFrom(const Config& cfg);
// razorpay_key_id, razorpay_key_secret, razorpay_webhook_secret, razorpay_api_base.
RazorpayOptions RazorpayOptionsFrom(const Config& cfg);

}  // namespace clash::host
