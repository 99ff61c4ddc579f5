#include "ws/ws_loop_upgrade.h"

#include <exception>
#include <sstream>

#include <Poco/Base64Encoder.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/SHA1Engine.h>
#include <Poco/String.h>

namespace clash::host {
namespace {

// Session factories take a Poco request (the WebSocket handler's interface); these adapt the
// loop's parsed request to it. The response is never used by a factory.
class NullResponse final : public Poco::Net::HTTPServerResponse {
 public:
  void sendContinue() override {}
  std::ostream& send() override { return sink_; }
  void sendFile(const std::string&, const std::string&) override {}
  void sendBuffer(const void*, std::size_t) override {}
  void redirect(const std::string&, HTTPStatus) override {}
  void requireAuthentication(const std::string&) override {}
  bool sent() const override { return false; }

 private:
  std::ostringstream sink_;
};

class ParsedRequest final : public Poco::Net::HTTPServerRequest {
 public:
  ParsedRequest(std::string_view method, std::string_view target,
                const std::vector<std::pair<std::string, std::string>>& headers, Poco::Net::SocketAddress client,
                Poco::Net::SocketAddress server)
      : client_(std::move(client)), server_(std::move(server)), params_(new Poco::Net::HTTPServerParams) {
    setMethod(std::string(method));
    setURI(std::string(target));
    setVersion(HTTP_1_1);
    for (const auto& [name, value] : headers) add(name, value);
  }
  std::istream& stream() override { return body_; }
  const Poco::Net::SocketAddress& clientAddress() const override { return client_; }
  const Poco::Net::SocketAddress& serverAddress() const override { return server_; }
  const Poco::Net::HTTPServerParams& serverParams() const override { return *params_; }
  Poco::Net::HTTPServerResponse& response() const override { return response_; }
  bool secure() const override { return false; }

 private:
  Poco::Net::SocketAddress client_;
  Poco::Net::SocketAddress server_;
  Poco::Net::HTTPServerParams::Ptr params_;
  std::istringstream body_;
  mutable NullResponse response_;
};

const std::string* Find(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

WsUpgradeDecision Refuse(int status, std::string body) {
  WsUpgradeDecision d;
  d.status = status;
  d.body = std::move(body);
  return d;
}

std::string AcceptFor(const std::string& key) {
  Poco::SHA1Engine sha1;
  sha1.update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
  const Poco::DigestEngine::Digest& digest = sha1.digest();
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
  encoder.close();
  return out.str();
}

}  // namespace

bool IsWebSocketUpgradeRequest(std::string_view method,
                               const std::vector<std::pair<std::string, std::string>>& headers) {
  if (method != "GET") return false;
  const std::string* upgrade = Find(headers, "upgrade");
  if (upgrade == nullptr || Poco::icompare(*upgrade, "websocket") != 0) return false;
  for (const auto& [k, v] : headers) {
    if (k != "connection") continue;
    std::string lower = Poco::toLower(v);
    std::size_t start = 0;
    while (start <= lower.size()) {
      std::size_t comma = lower.find(',', start);
      std::string token = Poco::trim(lower.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (token == "upgrade") return true;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return false;
}

WsUpgradeDecision DecideWebSocketUpgrade(WsHub& hub, const WsSessionFactory& make_session, std::string_view method,
                                         std::string_view target,
                                         const std::vector<std::pair<std::string, std::string>>& headers,
                                         const Poco::Net::SocketAddress& client,
                                         const Poco::Net::SocketAddress& server) {
  if (!hub.accepting()) return Refuse(503, "shutting down\n");
  WsUpgradeDecision d;
  try {
    ParsedRequest request(method, target, headers, client, server);
    d.session = make_session ? make_session(request) : nullptr;
  } catch (const std::exception&) {
    return Refuse(500, "internal error\n");
  }
  if (!d.session) return Refuse(403, "forbidden\n");
  const std::string* version = Find(headers, "sec-websocket-version");
  const std::string* key = Find(headers, "sec-websocket-key");
  if (version == nullptr || key == nullptr || key->empty()) {
    return Refuse(400, "bad WebSocket handshake\n");
  }
  if (*version != "13") {
    WsUpgradeDecision r = Refuse(426, "unsupported WebSocket version\n");
    r.headers.emplace_back("Sec-WebSocket-Version", "13");
    return r;
  }
  d.accept = AcceptFor(*key);
  return d;
}

std::string Switching101Response(const std::string& accept) {
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
         accept + "\r\n\r\n";
}

}  // namespace clash::host
