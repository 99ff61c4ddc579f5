// Internal: the engine's judge gateway, which starts the engine's pool on first use.
#pragma once

#include <functional>
#include <memory>

#include "clash/judge_gateway.h"

namespace clash::internal {

// A gateway that asks `get` for the pool on every call (errors of `get` are the gateway's).
std::unique_ptr<JudgeGateway> NewLazyPoolGateway(std::function<Result<JudgePool*>()> get, int workers);

}  // namespace clash::internal
