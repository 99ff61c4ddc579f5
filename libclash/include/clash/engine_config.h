// clash/engine_config.h — EngineOptions from configuration: one list of options, one set of defaults.
//
// Every program that opens an Engine from flags, environment variables or a config file (clash-host,
// the Python module's clash.open(), an embedder's own tool) declares EngineConfigOptions() — plus its
// own options — and builds the EngineOptions with EngineOptionsFromConfig(). The defaults and the
// validation live here, so the host and Python can never disagree about them (for example the
// check-in time zone: UTC unless `time_zone` says otherwise). docs/configuration.md lists them.
//
// Thread-safety: pure functions.
//
// Example:
//   std::vector<clash::ConfigOption> options = clash::EngineConfigOptions();
//   options.push_back({"port", "8080", "TCP port"});
//   CLASH_ASSIGN_OR_RETURN(clash::Config cfg, clash::Config::Load(options, args, clash::Config::ProcessEnv()));
//   CLASH_ASSIGN_OR_RETURN(clash::EngineOptions eo, clash::EngineOptionsFromConfig(cfg));
//   CLASH_ASSIGN_OR_RETURN(auto engine, clash::Engine::Open(std::move(eo)));
#pragma once

#include <vector>

#include "clash/config.h"
#include "clash/engine.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

// The options the engine reads: storage, data_dir, secrets and token keys, mail (SMTP or outbox),
// the economy (time_zone, max_streak_freezes, Razorpay), rate limits (rate_limits, rate_limit,
// redis_url), internal_api_keys, the judge (judge, judge_workers, judge_queue) and OAuth (github_*,
// google_*, oauth_*). Each with its default and help text.
CLASH_EXPORT const std::vector<ConfigOption>& EngineConfigOptions();

// Builds EngineOptions from `cfg`, which must declare every key of EngineConfigOptions(). Loads
// key files and the time zone, and validates every value: InvalidArgument naming the option for a
// malformed or out-of-range value (an unknown time zone, max_streak_freezes outside 0-1000, an
// unknown rate-limit scope, judge_workers outside 0-256, an internal key without "id:secret", ...).
// The logger, clock and rng keep EngineOptions' defaults; set them on the result.
CLASH_EXPORT Result<EngineOptions> EngineOptionsFromConfig(const Config& cfg);

}  // namespace clash
