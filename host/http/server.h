// host/http/server.h — clash-host's HTTP/1.1 server: epoll loops (one per core by default, shared
// with the WebSocket hub), a strict request parser and a bounded worker pool for route handlers.
//
// The loops accept, read, parse (http1_parser.h), and write; they never run a route. Every
// request goes through one dispatcher that assigns a request id, enforces the header and body
// limits (431/413), routes (router, then static files), writes the access log line and records
// metrics. Routes run on the worker pool (unless the route's loop answer, router.h, has the answer
// ready in memory) (`http_threads` threads, `max_queued` waiting; a full
// queue answers 503 + Retry-After); 404/405/501, static files and parse errors are answered on the
// loop. WebSocket upgrades on a socket route run the session factory on the pool and then hand
// the socket to the hub on the same loop. Slow clients: the request head must arrive within
// `head_timeout_ms`, a body at `min_body_rate` bytes/s on average after that grace, an idle
// keep-alive connection closes after `keep_alive_timeout_seconds`. Shutdown() stops accepting,
// closes idle connections, lets in-flight requests finish (up to the drain timeout), then closes
// the rest.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/ServerSocket.h>

#include "clash/log.h"
#include "clash/rng.h"
#include "http/http1_parser.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "http/worker_pool.h"
#include "net/event_loop.h"
#include "ws/ws_hub.h"
#include "ws/ws_upgrade_handler.h"

namespace clash::host {

namespace internal {
struct Shard;
struct Exchange;
class HttpConnection;
}  // namespace internal

struct ServerOptions {
  std::string bind_host = "127.0.0.1";
  int port = 8080;                       // 0 picks a free port; see HostServer::port()
  bool reuse_port = false;               // SO_REUSEPORT: let other processes bind the same port
  int loop_threads = 0;                  // event loops (main.cpp builds the LoopGroup); 0: one per core
  int http_threads = 48;                 // worker threads running route handlers
  int max_queued = 4096;                 // requests waiting for a worker; beyond: 503 + Retry-After
  std::size_t max_body_bytes = 6 << 20;  // larger bodies get 413 (uploads: 5 MB + the multipart framing)
  std::size_t max_header_bytes = 16 * 1024;  // larger header blocks get 431
  int keep_alive_timeout_seconds = 10;   // an idle keep-alive connection closes after this
  int head_timeout_ms = 10000;           // a request head must arrive within this (408 after)
  int min_body_rate = 1024;              // bytes/s a body must average after head_timeout_ms of grace
  int drain_timeout_ms = 10000;
  bool access_log = true;
  std::string web_root;                  // empty: no static files
  std::string media_dir;                 // uploaded images served under /media/ (empty: none)
};

// Picks the session factory for a WebSocket path, or nullopt for "no such socket route".
using WsRouteTable = std::function<std::optional<WsSessionFactory>(const std::string& path)>;

class HostServer {
 public:
  HostServer(ServerOptions options, net::LoopGroup& loops, const Router& router, Metrics& metrics, WsHub& hub,
             WsRouteTable ws_routes, const Logger& logger, Rng& rng);
  ~HostServer();

  // Binds and starts serving on the loops (starting them if needed). Throws std::runtime_error
  // with a clear message if the port is taken ("address already in use").
  void Start();
  // The bound port (useful with port 0).
  int port() const { return port_; }
  // Graceful stop: stop accepting, drain in-flight requests, close the rest. Idempotent.
  void Shutdown();
  std::int64_t in_flight() const { return in_flight_.load(); }
  bool draining() const { return draining_.load(std::memory_order_relaxed); }
  const ServerOptions& options() const { return options_; }

 private:
  friend struct internal::Shard;
  friend class internal::HttpConnection;

  // Loop thread: a route's loop answer (router.h); false (and a clean response) to use the pool.
  bool AnswerOnLoop(const LoopAnswer& answer, internal::Exchange& ex);
  // Loop thread: answer or queue a request whose head and body are complete.
  void Dispatch(internal::HttpConnection& c, std::shared_ptr<internal::Exchange> ex);
  // Loop thread: a WebSocket upgrade on a socket route.
  void Upgrade(internal::HttpConnection& c, std::shared_ptr<internal::Exchange> ex, WsSessionFactory factory);
  // Any thread: the response is decided and about to leave: metrics (before the client can see
  // the response, so a later /metrics counts it). Once per exchange.
  void Observe(internal::Exchange& ex);
  // Any thread: the request is over (written, or its connection gone): metrics if not yet
  // observed, the access log line, the in-flight count.
  void Finish(internal::Exchange& ex);
  void Accept(internal::Shard& shard);
  // Runs fn(shard) on every loop and waits for all of them.
  void OnEveryLoop(const std::function<void(internal::Shard&)>& fn);
  std::string NewRequestId(const HttpRequest& request);

  ServerOptions options_;
  net::LoopGroup& loops_;
  const Router& router_;
  Metrics& metrics_;
  WsHub& hub_;
  WsRouteTable ws_routes_;
  const Logger& logger_;
  Rng& rng_;
  StaticFiles static_files_;
  StaticFiles media_files_;
  WorkerPool pool_;
  http1::Limits limits_;
  Poco::Net::ServerSocket listener_;
  std::vector<std::unique_ptr<internal::Shard>> shards_;
  std::atomic<std::size_t> next_shard_{0};
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<bool> draining_{false};
  bool started_ = false;
  bool stopped_ = false;
  int port_ = 0;
};

}  // namespace clash::host
