#include "http/server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocketImpl.h>

#include "clash/media.h"
#include "http/http_connection.h"
#include "http/json_response.h"
#include "ws/ws_loop_upgrade.h"

namespace clash::host {

using internal::Exchange;
using internal::HttpConnection;
using internal::Shard;

namespace {

constexpr int kAcceptBatch = 64;
constexpr int kAcceptPauseMs = 100;

bool ValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool IsApiPath(const std::string& path) {
  return path.starts_with("/api/") || path == "/api" || path.starts_with("/ws/") || path.starts_with("/health") ||
         path == "/metrics" || path.starts_with("/media/");
}

Poco::Net::SocketAddress ToPoco(const sockaddr_in6& peer) {
  return peer.sin6_family == AF_INET
             ? Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&peer), sizeof(sockaddr_in))
             : Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&peer), sizeof(sockaddr_in6));
}

}  // namespace

HostServer::HostServer(ServerOptions options, net::LoopGroup& loops, const Router& router, Metrics& metrics,
                       WsHub& hub, WsRouteTable ws_routes, const Logger& logger, Rng& rng)
    : options_(std::move(options)),
      loops_(loops),
      router_(router),
      metrics_(metrics),
      hub_(hub),
      ws_routes_(std::move(ws_routes)),
      logger_(logger),
      rng_(rng),
      static_files_(options_.web_root),
      media_files_(options_.media_dir),
      pool_(options_.http_threads, static_cast<std::size_t>(options_.max_queued)) {
  limits_.max_head_bytes = options_.max_header_bytes;
  for (std::size_t i = 0; i < loops_.size(); ++i) shards_.push_back(std::make_unique<Shard>(*this, loops_.loop(i)));
}

HostServer::~HostServer() { Shutdown(); }

void HostServer::Start() {
  try {
    listener_.bind(Poco::Net::SocketAddress(options_.bind_host, static_cast<Poco::UInt16>(options_.port)),
                   /*reuseAddress=*/true, /*reusePort=*/options_.reuse_port);
    listener_.listen(4096);
    listener_.setBlocking(false);
  } catch (const Poco::Exception& e) {
    std::string why = e.displayText();
    if (why.find("Address already in use") != std::string::npos) why = "address already in use";
    throw std::runtime_error("cannot listen on " + options_.bind_host + ":" + std::to_string(options_.port) + ": " +
                             why);
  }
  port_ = listener_.address().port();
  started_ = true;
  loops_.Start();
  const int tick = std::clamp(std::min(options_.head_timeout_ms, options_.keep_alive_timeout_seconds * 1000) / 4, 20, 250);
  OnEveryLoop([this, tick](Shard& s) {
    s.listen_key = net::NewLoopKey();
    s.listening = s.loop.Register(s.listen_key, listener_.impl()->sockfd(), EPOLLIN | EPOLLEXCLUSIVE, &s);
    s.ticker = s.loop.AddTicker(tick, [this, &s](std::int64_t now) {
      if (!s.listening && !stopped_ && s.accept_paused_until != 0 && now >= s.accept_paused_until) {
        s.accept_paused_until = 0;
        s.listening = s.loop.Register(s.listen_key, listener_.impl()->sockfd(), EPOLLIN | EPOLLEXCLUSIVE, &s);
      }
      s.Sweep(now);
      pool_.Maintain();
    });
  });
}

void HostServer::OnEveryLoop(const std::function<void(Shard&)>& fn) {
  std::vector<std::future<void>> done;
  for (auto& shard : shards_) {
    Shard* s = shard.get();
    if (s->loop.InLoopThread()) {
      fn(*s);
      continue;
    }
    auto promise = std::make_shared<std::promise<void>>();
    done.push_back(promise->get_future());
    if (!s->loop.Post([s, &fn, promise] {
          fn(*s);
          promise->set_value();
        })) {
      fn(*s);  // the loop's thread has ended
      promise->set_value();
    }
  }
  for (auto& f : done) f.wait();
}

void HostServer::Accept(Shard& shard) {
  for (int i = 0; i < kAcceptBatch; ++i) {
    sockaddr_in6 peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(listener_.impl()->sockfd(), reinterpret_cast<sockaddr*>(&peer), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // Out of descriptors or memory: stop accepting on this loop for a moment instead of spinning.
      logger_.Warn("accept failed; pausing accepts", {{"errno", errno}});
      shard.loop.Unregister(shard.listen_key, listener_.impl()->sockfd());
      shard.listening = false;
      shard.accept_paused_until = net::MonotonicMs() + kAcceptPauseMs;
      return;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Poco::Net::StreamSocket socket(new Poco::Net::StreamSocketImpl(fd));
    Shard& target = *shards_[next_shard_.fetch_add(1, std::memory_order_relaxed) % shards_.size()];
    if (&target == &shard) {
      shard.Add(std::move(socket), peer);
    } else {
      target.loop.Post([&target, socket, peer]() mutable { target.Add(std::move(socket), peer); });
    }
  }
}

std::string HostServer::NewRequestId(const HttpRequest& request) {
  std::optional<std::string> incoming = request.Header("x-request-id");
  if (incoming && ValidRequestId(*incoming)) return *incoming;
  // 24 hex characters: a random prefix drawn once per thread, then a counter. Unique in the
  // process without a trip to the kernel's CSPRNG per request (ids correlate, they guard nothing).
  thread_local std::string prefix;
  thread_local std::uint64_t counter = 0;
  if (prefix.empty()) prefix = rng_.HexToken(6);
  char hex[13];
  std::snprintf(hex, sizeof hex, "%012llx", static_cast<unsigned long long>(++counter & 0xffffffffffffULL));
  return prefix + hex;
}

bool HostServer::AnswerOnLoop(const LoopAnswer& answer, Exchange& ex) {
  try {
    if (answer(ex.request, ex.response)) return true;
  } catch (const std::exception& e) {
    logger_.Error("unhandled exception in a loop answer", {{"request_id", ex.request.request_id},
                                                          {"route", ex.route},
                                                          {"what", std::string(e.what())}});
  }
  ex.response = HttpResponse();  // the pool's handler starts from a clean response
  return false;
}

void HostServer::Dispatch(HttpConnection& c, std::shared_ptr<Exchange> ex) {
  HttpRequest& req = ex->request;
  HttpResponse& resp = ex->response;
  RouteMatch match = router_.Match(req);
  switch (match.kind) {
    case RouteMatch::Kind::kFound: {
      ex->route = match.pattern;
      if (match.on_loop != nullptr && AnswerOnLoop(*match.on_loop, *ex)) return c.Respond(std::move(ex));
      Shard* shard = &c.shard();
      const std::uint64_t key = c.key();
      const RouteHandler* handler = match.handler;
      const int fd = c.fd();
      bool queued = pool_.TrySubmit([this, shard, key, fd, ex, handler] {
        try {
          (*handler)(ex->request, ex->response);
        } catch (const std::exception& e) {
          logger_.Error("unhandled exception in route", {{"request_id", ex->request.request_id},
                                                         {"route", ex->route},
                                                         {"what", std::string(e.what())}});
          ex->response = HttpResponse();
          WriteError(ex->response, 500, "Internal server error");
        }
        // The connection waits for this result and keeps its fd open until it comes back, so the
        // response can leave from here without a hop through the loop.
        if (!ex->response.file_path) {
          internal::PrepareWire(*ex, draining());
          Observe(*ex);
          internal::SendWhatFits(fd, *ex);
        }
        const bool urgent = ex->urgent || ex->close || !ex->prepared ||
                            ex->written < ex->wire_head.size() + ex->body_view().size();
        bool posted = shard->loop.Post(
            [this, shard, key, ex] {
              if (HttpConnection* conn = shard->Find(key)) {
                conn->Deliver(ex);
              } else {
                Finish(*ex);  // the client went away meanwhile
              }
              shard->retired.clear();
            },
            /*wake=*/urgent);
        if (!posted) {
          Finish(*ex);
        } else if (!urgent && (ex->handoff.fetch_or(Exchange::kPosted) & Exchange::kInput) != 0) {
          shard->loop.Wake();
        }
      });
      if (queued) return;
      resp = HttpResponse();
      WriteError(resp, 503, "Server busy, try again");
      resp.SetHeader("Retry-After", "1");
      return c.Respond(std::move(ex));
    }
    case RouteMatch::Kind::kMethodNotAllowed:
      ex->route = match.pattern;
      resp.SetHeader("Allow", match.allow);
      WriteError(resp, 405, "Method \"" + req.method + "\" not allowed.");
      return c.Respond(std::move(ex));
    case RouteMatch::Kind::kNotFound:
      break;
  }
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (req.path.starts_with("/media/") && media_files_.enabled() && get) {
    // Only names the media store makes; the Content-Type follows the extension, which is the type
    // the upload was checked to be (clash/media.h).
    ex->route = "media";
    const std::string key = req.path.substr(7);
    Result<ImageType> type = IsSafeMediaKey(key) ? ImageTypeFromExtension(key.substr(key.rfind('.') + 1))
                                                 : Result<ImageType>(Status::NotFound("Not found"));
    if (type.ok()) {
      media_files_.ServeExact(key, std::string(ImageMime(*type)), resp);
    } else {
      WriteError(resp, 404, "Not found");
    }
  } else if (!IsApiPath(req.path) && static_files_.enabled() && get) {
    ex->route = "static";
    static_files_.Serve(req, resp);
  } else {
    WriteError(resp, 404, "Not found");
  }
  c.Respond(std::move(ex));
}

void HostServer::Upgrade(HttpConnection& c, std::shared_ptr<Exchange> ex, WsSessionFactory factory) {
  ex->route = ex->request.path;
  Shard* shard = &c.shard();
  const std::uint64_t key = c.key();
  Poco::Net::SocketAddress client = ToPoco(c.peer());
  c.SetBusy();
  bool queued = pool_.TrySubmit([this, shard, key, ex, factory = std::move(factory), client] {
    WsUpgradeDecision d = DecideWebSocketUpgrade(hub_, factory, ex->request.method, ex->request.target,
                                                 ex->request.headers, client, listener_.address());
    if (d.status != 101) {
      ex->response.status = d.status;
      ex->response.content_type = "text/plain; charset=utf-8";
      ex->response.body = d.body;
      ex->response.headers = d.headers;
    }
    bool posted = shard->loop.Post([this, shard, key, ex, d] {
      if (HttpConnection* conn = shard->Find(key)) {
        conn->FinishUpgrade(ex, d.status == 101, d.accept, d.session);
      } else {
        Finish(*ex);
      }
      shard->retired.clear();
    });
    if (!posted) Finish(*ex);
  });
  if (queued) return;
  ex->response = HttpResponse();
  WriteError(ex->response, 503, "Server busy, try again");
  ex->response.SetHeader("Retry-After", "1");
  c.Respond(std::move(ex));
}

void HostServer::Observe(Exchange& ex) {
  if (ex.observed) return;
  ex.observed = true;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ex.started).count();
  metrics_.ObserveRequest(ex.route, ex.method_label, ex.response.status, seconds);
}

void HostServer::Finish(Exchange& ex) {
  Observe(ex);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ex.started).count();
  if (options_.access_log) {
    logger_.Info("request", {{"request_id", ex.request.request_id},
                             {"method", ex.request.method},
                             {"path", ex.request.path},
                             {"route", ex.route},
                             {"status", ex.response.status},
                             {"bytes", static_cast<std::int64_t>(ex.body_bytes)},
                             {"duration_ms", seconds * 1000.0},
                             {"remote", ex.request.remote_address}});
  }
  metrics_.InFlightDelta(-1);
  --in_flight_;
}

void HostServer::Shutdown() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  draining_ = true;
  OnEveryLoop([this](Shard& s) {
    if (s.listening) s.loop.Unregister(s.listen_key, listener_.impl()->sockfd());
    s.listening = false;
    std::vector<HttpConnection*> all;
    for (auto& [key, c] : s.conns) all.push_back(c.get());
    for (HttpConnection* c : all) c->Drain();
    s.retired.clear();
  });
  listener_.close();  // new connections are refused from here on
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.drain_timeout_ms);
  while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  OnEveryLoop([](Shard& s) {
    s.loop.RemoveTicker(s.ticker);
    std::vector<HttpConnection*> all;
    for (auto& [key, c] : s.conns) all.push_back(c.get());
    for (HttpConnection* c : all) c->Abort();
    s.retired.clear();
  });
  pool_.Stop();
  OnEveryLoop([](Shard&) {});  // results the pool posted meanwhile have run: nothing refers to us
}

}  // namespace clash::host
