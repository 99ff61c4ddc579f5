// host/host_options.h — clash-host's options: the engine's (clash/engine_config.h) and the server's
// (docs/configuration.md lists them).
#pragma once

#include <string>
#include <vector>

#include "clash/config.h"
#include "clash/engine_config.h"
#include "http/auth_context.h"
#include "http/server.h"
#include "ws/ws_options.h"

namespace clash::host {

const std::vector<ConfigOption>& HostOptions();
Result<ServerOptions> ServerOptionsFrom(const Config& cfg);
Result<WsOptions> WsOptionsFrom(const Config& cfg);
Result<CallerOptions> CallerOptionsFrom(const Config& cfg);

}  // namespace clash::host
