// host/http/server.h — clash-host's HTTP front: Poco HTTPServer for requests, the WsHub for
// upgraded sockets.
//
// Every request goes through one dispatcher that assigns a request id, enforces the header and
// body limits (431/413), routes (router, then static files), catches anything a route throws (500
// with a generic body), writes the access log line and records metrics. Shutdown() stops accepting,
// lets in-flight requests finish (up to the drain timeout), then closes idle connections.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "clash/log.h"
#include "clash/rng.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "ws/ws_hub.h"
#include "ws/ws_upgrade_handler.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace clash::host {

struct ServerOptions {
  std::string bind_host = "127.0.0.1";
  int port = 8080;                       // 0 picks a free port; see HostServer::port()
  int http_threads = 48;                 // Poco holds one per keep-alive connection
  int max_queued = 256;
  std::size_t max_body_bytes = 1 << 20;  // larger bodies get 413
  std::size_t max_header_bytes = 16 * 1024;  // larger header blocks get 431
  int keep_alive_timeout_seconds = 10;
  int drain_timeout_ms = 10000;
  bool access_log = true;
  std::string web_root;                  // empty: no static files
};

// Picks the session factory for a WebSocket path, or nullopt for "no such socket route".
using WsRouteTable = std::function<std::optional<WsSessionFactory>(const std::string& path)>;

class HostServer {
 public:
  HostServer(ServerOptions options, const Router& router, Metrics& metrics, WsHub& hub, WsRouteTable ws_routes,
             const Logger& logger, Rng& rng);
  ~HostServer();

  // Binds and starts serving. Throws std::runtime_error with a clear message if the port is taken.
  void Start();
  // The bound port (useful with port 0).
  int port() const { return port_; }
  // Graceful stop: stop accepting, drain in-flight requests, close the rest. Idempotent.
  void Shutdown();
  std::int64_t in_flight() const { return in_flight_.load(); }

 private:
  friend class DispatchHandler;
  friend class HostHandlerFactory;
  ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  WsHub& hub_;
  WsRouteTable ws_routes_;
  const Logger& logger_;
  Rng& rng_;
  StaticFiles static_files_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<bool> stopped_{false};
  int port_ = 0;
};

}  // namespace clash::host
