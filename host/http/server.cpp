#include "http/server.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include "http/json_response.h"

namespace clash::host {
namespace {

bool ValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsApiPath(const std::string& path) {
  return path.starts_with("/api/") || path == "/api" || path.starts_with("/ws/") || path.starts_with("/health") ||
         path == "/metrics" || path.starts_with("/media/");
}

}  // namespace

class DispatchHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit DispatchHandler(HostServer& server) : server_(server) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
    auto started = std::chrono::steady_clock::now();
    ++server_.in_flight_;
    server_.metrics_.InFlightDelta(1);
    HttpRequest request;
    HttpResponse response;
    std::string route = "unmatched";
    request.method = req.getMethod();
    std::string incoming_id = req.get("X-Request-ID", "");
    request.request_id = ValidRequestId(incoming_id) ? incoming_id : server_.rng_.HexToken(12);
    request.remote_address = req.clientAddress().toString();
    try {
      Handle(req, request, response, &route);
    } catch (const std::exception& e) {
      server_.logger_.Error("unhandled exception in route",
                            {{"request_id", request.request_id}, {"route", route}, {"what", std::string(e.what())}});
      response = HttpResponse();
      WriteError(response, 500, "Internal server error");
    }
    std::size_t bytes = Send(req, resp, request, response);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    server_.metrics_.ObserveRequest(route, request.method, response.status, seconds);
    if (server_.options_.access_log) {
      server_.logger_.Info("request", {{"request_id", request.request_id},
                                       {"method", request.method},
                                       {"path", request.path},
                                       {"route", route},
                                       {"status", response.status},
                                       {"bytes", static_cast<std::int64_t>(bytes)},
                                       {"duration_ms", seconds * 1000.0},
                                       {"remote", request.remote_address}});
    }
    server_.metrics_.InFlightDelta(-1);
    --server_.in_flight_;
  }

 private:
  void Handle(Poco::Net::HTTPServerRequest& req, HttpRequest& request, HttpResponse& response, std::string* route) {
    std::size_t header_bytes = req.getURI().size();
    for (const auto& [name, value] : req) {
      header_bytes += name.size() + value.size() + 4;
      request.headers.emplace_back(Lower(name), value);
    }
    if (header_bytes > server_.options_.max_header_bytes) {
      WriteError(response, 431, "Request header fields too large");
      return;
    }
    try {
      Poco::URI uri(req.getURI());
      request.target = req.getURI();
      request.path = uri.getPath();
      for (auto& [k, v] : uri.getQueryParameters()) request.query[k] = v;
    } catch (const Poco::Exception&) {
      WriteError(response, 400, "Malformed request URI");
      return;
    }
    if (request.path.empty()) request.path = "/";

    const std::size_t limit = server_.options_.max_body_bytes;
    if (req.hasContentLength() && req.getContentLength64() > static_cast<Poco::Int64>(limit)) {
      WriteError(response, 413, "Request body too large (limit " + std::to_string(limit) + " bytes)");
      response.SetHeader("Connection", "close");
      return;
    }
    if (req.hasContentLength() || req.getChunkedTransferEncoding()) {
      std::istream& in = req.stream();
      char buf[8192];
      while (in) {
        in.read(buf, sizeof buf);
        request.body.append(buf, static_cast<std::size_t>(in.gcount()));
        if (request.body.size() > limit) {
          WriteError(response, 413, "Request body too large (limit " + std::to_string(limit) + " bytes)");
          response.SetHeader("Connection", "close");
          return;
        }
      }
    }

    RouteMatch match = server_.router_.Match(request);
    switch (match.kind) {
      case RouteMatch::Kind::kFound:
        *route = match.pattern;
        (*match.handler)(request, response);
        return;
      case RouteMatch::Kind::kMethodNotAllowed:
        *route = match.pattern;
        response.SetHeader("Allow", match.allow);
        WriteError(response, 405, "Method \"" + request.method + "\" not allowed.");
        return;
      case RouteMatch::Kind::kNotFound:
        break;
    }
    if (!IsApiPath(request.path) && server_.static_files_.enabled() &&
        (request.method == "GET" || request.method == "HEAD")) {
      *route = "static";
      server_.static_files_.Serve(request, response);
      return;
    }
    WriteError(response, 404, "Not found");
  }

  std::size_t Send(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, const HttpRequest& request,
                   const HttpResponse& response) {
    auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
    std::string reason = Poco::Net::HTTPResponse::getReasonForStatus(status);
    if (response.status == 431) reason = "Request Header Fields Too Large";
    resp.setStatusAndReason(status, reason);
    resp.set("X-Request-ID", request.request_id);
    for (const auto& [name, value] : response.headers) {
      if (name == "Connection" && value == "close") {
        resp.setKeepAlive(false);
      } else {
        resp.add(name, value);
      }
    }
    try {
      if (response.file_path) {
        if (req.getMethod() == "HEAD") {
          resp.setContentType(response.content_type);
          resp.send();
          return 0;
        }
        resp.sendFile(*response.file_path, response.content_type);
        return 0;
      }
      resp.setContentType(response.content_type);
      if (req.getMethod() == "HEAD") {
        resp.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
        resp.send();
        return 0;
      }
      resp.sendBuffer(response.body.data(), response.body.size());
      return response.body.size();
    } catch (const Poco::Exception&) {
      return 0;  // the client went away; nothing to do
    }
  }

  HostServer& server_;
};

class HostHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HostHandlerFactory(HostServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& req) override {
    if (IsWebSocketUpgrade(req)) {
      std::string path;
      try {
        path = Poco::URI(req.getURI()).getPath();
      } catch (const Poco::Exception&) {
        return new DispatchHandler(server_);
      }
      if (auto factory = server_.ws_routes_(path)) return NewWebSocketUpgradeHandler(server_.hub_, *factory);
    }
    return new DispatchHandler(server_);
  }

 private:
  HostServer& server_;
};

HostServer::HostServer(ServerOptions options, const Router& router, Metrics& metrics, WsHub& hub,
                       WsRouteTable ws_routes, const Logger& logger, Rng& rng)
    : options_(std::move(options)),
      router_(router),
      metrics_(metrics),
      hub_(hub),
      ws_routes_(std::move(ws_routes)),
      logger_(logger),
      rng_(rng),
      static_files_(options_.web_root) {}

HostServer::~HostServer() { Shutdown(); }

void HostServer::Start() {
  Poco::Net::ServerSocket socket;
  try {
    socket.bind(Poco::Net::SocketAddress(options_.bind_host, static_cast<Poco::UInt16>(options_.port)),
                /*reuseAddress=*/true);
    socket.listen(1024);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + options_.bind_host + ":" + std::to_string(options_.port) + ": " +
                             e.displayText());
  }
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams();
  params->setMaxThreads(options_.http_threads);
  params->setMaxQueued(options_.max_queued);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_timeout_seconds, 0));
  params->setMaxKeepAliveRequests(0);  // unlimited
  params->setTimeout(Poco::Timespan(30, 0));
  params->setServerName("clash-host");
  // Idle workers notice a stop only after this wait; keep it short so shutdown is prompt.
  params->setThreadIdleTime(Poco::Timespan(0, 200000));
  pool_ = std::make_unique<Poco::ThreadPool>("http", 2, options_.http_threads, 30);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new HostHandlerFactory(*this), *pool_, socket, params);
  server_->start();
}

void HostServer::Shutdown() {
  if (!server_ || stopped_.exchange(true)) return;
  server_->stop();  // stop accepting; connections being served continue
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.drain_timeout_ms);
  while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server_->stopAll(/*abortCurrent=*/true);  // close idle keep-alive connections
  pool_->joinAll();
}

}  // namespace clash::host
