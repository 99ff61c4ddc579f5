// ws/ws_upgrade_handler.h — the Poco request handler that upgrades a request and hands the
// socket to a WsHub.
//
// The handshake runs on the HTTP pool thread; constructing Poco::Net::WebSocket detaches the
// socket from the HTTP session, so the pool thread is free again as soon as the handler returns.
// Responses before the upgrade: 400 if the request is not a WebSocket handshake, 426 (with
// Sec-WebSocket-Version: 13) for another protocol version, 503 if the hub is not running,
// 403 if `make_session` returns nullptr, 500 if it throws.
//
// `make_session` runs on the HTTP thread before the upgrade: check Origin and credentials there
// and return nullptr to refuse. It may return one handler shared by all sockets of a route or a
// new one per socket.
//
// Thread-safety: the handler is created per request by the HTTPRequestHandlerFactory.
//
// Example (in an HTTPRequestHandlerFactory):
//   if (request.getURI() == "/ws/test/echo")
//     return NewWebSocketUpgradeHandler(hub_, [](const auto&) { return std::make_shared<EchoSession>(); });
#pragma once

#include <functional>
#include <memory>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "ws/ws_hub.h"

namespace clash::host {

using WsSessionFactory =
    std::function<std::shared_ptr<WsSessionHandler>(const Poco::Net::HTTPServerRequest&)>;

// True if `request` asks for a WebSocket upgrade (Connection: upgrade, Upgrade: websocket).
bool IsWebSocketUpgrade(const Poco::Net::HTTPServerRequest& request);

// Returns a new handler (Poco takes ownership) that upgrades and adopts the socket into `hub`.
Poco::Net::HTTPRequestHandler* NewWebSocketUpgradeHandler(WsHub& hub, WsSessionFactory make_session);

}  // namespace clash::host
