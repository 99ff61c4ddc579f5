// http/http_connection.h — internal: one HTTP/1.1 connection on an event loop, and the per-loop
// state (Shard) that owns the loop's connections.
//
// Not for use outside host/http: HostServer creates these. A connection reads and parses on its
// loop thread, hands the request to HostServer::Dispatch (which answers inline or queues the route
// on the worker pool), writes the response and then parses the next pipelined request. Requests on
// one connection are served one at a time, in order. Edge-triggered epoll: EPOLLIN and EPOLLOUT
// stay armed, and the connection reads only while it is waiting for request bytes.
//
// Memory: an idle keep-alive connection holds this object, its socket and nothing else; the
// request's buffers are released after each response. http_connection.cpp has the reading half,
// http_response_path.cpp the writing half.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <Poco/Net/StreamSocket.h>

#include "http/http1_parser.h"
#include "http/http_types.h"
#include "net/event_loop.h"

namespace clash::host {
class HostServer;
class WsSessionHandler;
}  // namespace clash::host

namespace clash::host::internal {

// One request and its response, from the end of the head to the last byte written.
struct Exchange {
  HttpRequest request;
  HttpResponse response;
  std::string route = "unmatched";
  std::string method_label = "OTHER";  // the method for metrics; unknown ones share "OTHER"
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bool head_only = false;          // HEAD: the GET's headers, no body
  bool keep_alive = true;          // the connection may serve another request after this one
  bool http10_keep_alive = false;  // an HTTP/1.0 client asked for keep-alive
  bool close = false;              // close the connection after this response
  std::uint64_t body_bytes = 0;    // body bytes written
  bool observed = false;           // counted in the metrics
  // The response's bytes, from PrepareWire (on a worker or the loop):
  bool prepared = false;
  std::string wire_head;
  std::string wire_body;
  std::shared_ptr<const std::string> wire_shared;  // the body instead of wire_body (HttpResponse::shared_body)
  std::size_t written = 0;  // bytes of wire_head + the body a worker already sent
  std::string_view body_view() const { return wire_shared ? std::string_view(*wire_shared) : std::string_view(wire_body); }
  // A worker that sent the whole response posts its result without waking the loop when nothing
  // waits for it (the client's next request wakes the loop anyway). `urgent`: input was already
  // buffered at dispatch. `handoff`: kPosted (worker) and kInput (the loop saw input meanwhile);
  // whoever sets its bit second sees the other's, so the loop is woken when needed.
  bool urgent = false;
  std::atomic<int> handoff{0};
  static constexpr int kPosted = 1;
  static constexpr int kInput = 2;
};

// Decides `ex.close` and builds the response bytes: the head (with Content-Length `file_length`
// when the body is a file the connection sends itself, else the body's size) and the body. Safe
// on any thread for an exchange no other thread touches.
void PrepareWire(Exchange& ex, bool draining, std::optional<std::uint64_t> file_length = std::nullopt);

// Writes what it can of `ex`'s bytes to `fd` without blocking; adds it to ex.written. A worker
// calls this while the connection waits for it, so the response leaves without a loop hop.
void SendWhatFits(int fd, Exchange& ex);

class HttpConnection;

// The connections of one event loop.
struct Shard final : net::LoopHandler {
  Shard(HostServer& server, net::EventLoop& loop) : server(server), loop(loop) {}
  void OnEvents(std::uint64_t key, std::uint32_t events) override;
  HttpConnection* Find(std::uint64_t key);
  // Takes a freshly accepted socket (loop thread).
  void Add(Poco::Net::StreamSocket socket, const sockaddr_in6& peer);
  // Drops the connection after the current event (loop thread).
  void Retire(std::uint64_t key);
  void Sweep(std::int64_t now);

  HostServer& server;
  net::EventLoop& loop;
  std::uint64_t listen_key = 0;
  bool listening = false;
  std::int64_t accept_paused_until = 0;  // out of descriptors: accept again after this
  std::uint64_t ticker = 0;
  std::unordered_map<std::uint64_t, std::unique_ptr<HttpConnection>> conns;
  std::vector<std::unique_ptr<HttpConnection>> retired;
  std::vector<char> read_buf;
};

class HttpConnection {
 public:
  HttpConnection(Shard& shard, std::uint64_t key, Poco::Net::StreamSocket socket, const sockaddr_in6& peer);
  ~HttpConnection();

  std::uint64_t key() const { return key_; }
  Shard& shard() { return shard_; }
  void Start();
  void OnEvents(std::uint32_t events);
  void Sweep(std::int64_t now);
  // Loop thread, from the server's dispatch: write `ex`'s response (the caller's Drive sends it).
  void Respond(std::shared_ptr<Exchange> ex);
  // Loop thread, when a route's result comes back from the pool: write it and go on.
  void Deliver(std::shared_ptr<Exchange> ex) {
    Respond(std::move(ex));
    Drive();
  }
  // The request went to the worker pool; the connection waits for Respond or FinishUpgrade.
  void SetBusy() { state_ = State::kBusy; }
  // After a WebSocket handshake decided off the loop: write the 101 and hand the socket over, or
  // write the refusal in `ex`.
  void FinishUpgrade(std::shared_ptr<Exchange> ex, bool accepted, const std::string& accept_key,
                     std::shared_ptr<WsSessionHandler> session);
  // Shutdown: an idle connection closes now, a busy one after its response.
  void Drain();
  // Closes now; one waiting for the pool is shut down (a worker may still write to its fd) and
  // closed when the result comes back.
  void Abort();
  // The peer's and our address, for WebSocket session factories.
  std::string PeerText() const;
  sockaddr_in6 peer() const { return peer_; }
  int fd() const { return fd_; }

 private:
  enum class State : std::uint8_t { kHead, kBody, kBusy, kWriting, kLinger, kClosed };
  static constexpr std::int64_t kWriteStallMs = 30'000;  // a client that reads nothing for this long

  void Drive();
  bool Step();           // parse or consume buffered input; true if anything moved
  bool ReadOnce();       // one recv; false when nothing more can be read now
  bool Flush();          // false while bytes are left (EAGAIN) or after a close
  // A new exchange (counted in flight) with the request's headers, id and peer.
  void BeginExchange(std::vector<std::pair<std::string, std::string>> headers = {});
  void OnHead(http1::RequestHead head);
  bool ConsumeBody();
  void Dispatch();
  void Fail(int status, std::string_view message, bool close);
  void Complete();
  void StartLinger();
  void Close();
  std::int64_t Now() const { return net::MonotonicMs(); }

  Shard& shard_;
  const std::uint64_t key_;
  const int fd_;
  Poco::Net::StreamSocket socket_;
  sockaddr_in6 peer_;
  State state_ = State::kHead;
  bool readable_ = true;      // no EAGAIN seen since the last EPOLLIN
  bool head_started_ = false; // a byte of the current head has arrived
  bool keep_alive_ = true;
  bool http10_keep_alive_ = false;  // an HTTP/1.0 client asked for keep-alive
  bool peer_eof_ = false;
  bool aborted_ = false;      // Abort() while busy
  std::int64_t deadline_ms_ = 0;
  std::string in_;            // received, not yet consumed
  std::size_t scanned_ = 0;   // of in_, by the head parser
  std::string out_;           // response head (and small file bodies)
  std::string body_;          // response body (owned)
  std::shared_ptr<const std::string> body_shared_;  // or shared with a cache
  std::string_view body_view_;  // the body being written: body_ or *body_shared_
  std::size_t out_off_ = 0;   // bytes of out_ + body_ written
  std::size_t head_len_ = 0;  // bytes of out_ that are the head
  int file_fd_ = -1;          // a large static file, sent with sendfile after out_
  std::int64_t file_off_ = 0;
  std::uint64_t file_left_ = 0;
  // The request being read or served:
  std::shared_ptr<Exchange> ex_;
  http1::BodyKind body_kind_ = http1::BodyKind::kNone;
  std::uint64_t body_left_ = 0;
  std::unique_ptr<http1::ChunkedDecoder> chunked_;
  std::int64_t body_started_ms_ = 0;
  std::uint64_t body_received_ = 0;
};

}  // namespace clash::host::internal
