// host/routes/match_routes.h — multiplayer matches over HTTP and the live match socket (issue 17,
// docs/api.md "Matches"). Translation only: the rules live in clash::Matches (clash/matches.h).
//
// WebSocket (on the host's epoll loops; no thread per socket):
//   /ws/matches/<id>[?last_seq=N]  -> {"type":"state","match":{...}} then the events after N
//                                     (all of them without N), then live events as they happen
// Anyone may watch (the same as GET /api/matches/<id>/); credentials, when sent, only decide
// what the state frame shows (the join code, revealed code).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "http/guard.h"
#include "http/router.h"
#include "ws/ws_upgrade_handler.h"

namespace clash::host {

void AddMatchRoutes(Router& router, RouteContext& ctx);

// The upgrade factory of a WebSocket path, or nullopt if the path is not a match socket.
std::optional<WsSessionFactory> MatchSocketRoute(const std::string& path, Engine& engine, const CallerOptions& callers);

// The matches' server-side timers: calls Matches::Tick(clock.Now()) every `period` on a thread of
// its own (one per host) until destroyed.
class MatchTicker {
 public:
  MatchTicker(Engine& engine, std::chrono::milliseconds period);
  ~MatchTicker();
  MatchTicker(const MatchTicker&) = delete;
  MatchTicker& operator=(const MatchTicker&) = delete;

 private:
  Engine& engine_;
  std::chrono::milliseconds period_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace clash::host
