// host/routes/chat_routes.h — chat and the notification socket (client-contract.md sections 12 and
// 13, issue 14). Translation only: the rules live in clash::Chat and clash::LiveNotifications.
//
// WebSockets (on the host's epoll loops; no thread per socket):
//   /ws/chat/<room>[?last_seq=N]  -> history (or resume) + pin + online, then live frames
//   /ws/notifications            -> {type:"notification"|"mention", ...} for the caller
// Credentials at the upgrade: `Authorization: Bearer <jwt>` or the `access_token` cookie; the
// Origin must be allowed. A refusal is answered before the upgrade with 403 (the reference's
// "close 1008 before accept"). Frames and close codes: clash/chat.h.
// HTTP:
//   GET /api/chat/history/?before=<seq>&limit=<n>   user -> {room, messages[], has_more, last_seq}
//   GET /api/chat/online/                           user -> {room, count, users[]}
#pragma once

#include <optional>
#include <sstream>
#include <string>

#include "http/guard.h"
#include "http/router.h"
#include "ws/ws_upgrade_handler.h"

namespace clash::host {

void AddChatRoutes(Router& router, RouteContext& ctx);

// Prometheus lines for /metrics: chat connections, events, frames, the pub/sub link
// (clash_pubsub_connected 0 while Redis is away), online users per room.
std::string ChatMetrics(Engine& engine);

// The upgrade factory of a WebSocket path, or nullopt if the path is not a chat route.
std::optional<WsSessionFactory> ChatSocketRoute(const std::string& path, Engine& engine, const CallerOptions& callers);

}  // namespace clash::host
