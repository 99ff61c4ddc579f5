// Driving a running sandbox: feed stdin and the control channel, capture output under a cap,
// enforce the wall-clock limit, reap.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "clash/clock.h"
#include "judge/sandbox.h"

namespace clash::internal {

struct DriveSpec {
  std::string_view input;          // written to stdin, which is then shut down
  std::string_view control_input;  // written to the control channel, which is then shut down for writing
  std::int64_t output_cap = 1 << 20;   // stdout + stderr; exceeding it kills the sandbox
  std::int64_t control_cap = 1 << 20;  // control channel bytes kept; exceeding it kills the sandbox
  std::chrono::nanoseconds wall{std::chrono::seconds(5)};
};

struct DriveResult {
  std::string out;
  std::string err;
  std::string control;
  bool timed_out = false;
  bool output_exceeded = false;
  bool control_exceeded = false;
  ExitInfo exit;
  CommandUsage command;   // from sandbox-init; known unless the sandbox was killed or broken
  std::chrono::nanoseconds wall{0};
};

// Runs the loop until the sandbox exits or is killed (wall limit, output cap), and reaps it.
DriveResult Drive(SandboxProcess& proc, const DriveSpec& spec, const Clock& clock);

}  // namespace clash::internal
