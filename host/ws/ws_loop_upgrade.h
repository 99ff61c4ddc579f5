// ws/ws_loop_upgrade.h — the WebSocket handshake for requests parsed by the host's own HTTP loop
// (http/server.h), with the same answers as NewWebSocketUpgradeHandler.
//
// DecideWebSocketUpgrade runs the route's WsSessionFactory (which may read storage to check
// credentials, so call it off the event loop) on a Poco::Net::HTTPServerRequest built from the
// parsed request, then checks the handshake headers. Refusals, in order: 503 (hub not running),
// 500 (`make_session` threw), 403 (it returned nullptr), 400 (no Sec-WebSocket-Version or key),
// 426 + Sec-WebSocket-Version: 13 (another version). On success the caller writes
// Switching101Response() and hands the socket to WsHub::Adopt on its own loop.
//
// Thread-safety: pure functions; `make_session` is called on the caller's thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Net/SocketAddress.h>

#include "ws/ws_hub.h"
#include "ws/ws_upgrade_handler.h"

namespace clash::host {

struct WsUpgradeDecision {
  int status = 101;                                         // 101, or the refusal's status
  std::string body;                                         // text/plain body of a refusal
  std::vector<std::pair<std::string, std::string>> headers;  // of a refusal (Sec-WebSocket-Version)
  std::string accept;                                       // Sec-WebSocket-Accept on 101
  std::shared_ptr<WsSessionHandler> session;                // set on 101
};

// Headers are (lower-case name, value) pairs as the HTTP parser returns them.
WsUpgradeDecision DecideWebSocketUpgrade(WsHub& hub, const WsSessionFactory& make_session, std::string_view method,
                                         std::string_view target,
                                         const std::vector<std::pair<std::string, std::string>>& headers,
                                         const Poco::Net::SocketAddress& client,
                                         const Poco::Net::SocketAddress& server);

// True if the request asks for a WebSocket (GET, Connection: upgrade, Upgrade: websocket).
bool IsWebSocketUpgradeRequest(std::string_view method,
                               const std::vector<std::pair<std::string, std::string>>& headers);

// "HTTP/1.1 101 Switching Protocols" with Upgrade, Connection and Sec-WebSocket-Accept.
std::string Switching101Response(const std::string& accept);

}  // namespace clash::host
