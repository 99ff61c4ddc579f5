#include "ws/ws_upgrade_handler.h"

#include <exception>
#include <string>
#include <utility>

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/String.h>

namespace clash::host {
namespace {

using Poco::Net::HTTPResponse;

void Refuse(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
            const std::string& body) {
  if (response.sent()) return;
  response.setStatusAndReason(status);
  response.setContentType("text/plain; charset=utf-8");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

class UpgradeHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  UpgradeHandler(WsHub& hub, WsSessionFactory make_session)
      : hub_(hub), make_session_(std::move(make_session)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    if (!IsWebSocketUpgrade(request)) {
      Refuse(response, HTTPResponse::HTTP_BAD_REQUEST, "expected a WebSocket upgrade\n");
      return;
    }
    if (!hub_.accepting()) {
      Refuse(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "shutting down\n");
      return;
    }
    std::shared_ptr<WsSessionHandler> session;
    try {
      session = make_session_ ? make_session_(request) : nullptr;
    } catch (const std::exception&) {
      Refuse(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal error\n");
      return;
    }
    if (!session) {
      Refuse(response, HTTPResponse::HTTP_FORBIDDEN, "forbidden\n");
      return;
    }
    try {
      Poco::Net::WebSocket ws(request, response);  // sends 101 and detaches the socket
      hub_.Adopt(ws, std::move(session));
    } catch (const Poco::Net::WebSocketException& e) {
      if (e.code() == Poco::Net::WebSocket::WS_ERR_HANDSHAKE_UNSUPPORTED_VERSION) {
        response.set("Sec-WebSocket-Version", Poco::Net::WebSocket::WEBSOCKET_VERSION);
        Refuse(response, HTTPResponse::HTTP_UPGRADE_REQUIRED, "unsupported WebSocket version\n");
      } else {
        Refuse(response, HTTPResponse::HTTP_BAD_REQUEST, "bad WebSocket handshake\n");
      }
    } catch (const Poco::Exception&) {
      // The peer went away during the handshake; nothing to answer.
    }
  }

 private:
  WsHub& hub_;
  WsSessionFactory make_session_;
};

}  // namespace

bool IsWebSocketUpgrade(const Poco::Net::HTTPServerRequest& request) {
  return request.getMethod() == Poco::Net::HTTPRequest::HTTP_GET &&
         request.hasToken("Connection", "upgrade") &&
         Poco::icompare(request.get("Upgrade", ""), "websocket") == 0;
}

Poco::Net::HTTPRequestHandler* NewWebSocketUpgradeHandler(WsHub& hub, WsSessionFactory make_session) {
  return new UpgradeHandler(hub, std::move(make_session));
}

}  // namespace clash::host
