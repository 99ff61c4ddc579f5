// ws/ws_loop.h — internal: the WebSocket connections of one event loop (net::EventLoop).
//
// Not for use outside host/ws: WsHub owns these. The event loop's thread may serve HTTP connections
// too (the host's loops). Level-triggered epoll; EPOLLIN is always armed, EPOLLOUT only while a
// socket's send queue is non-empty. New sockets arrive as tasks posted to the loop. Keepalive and
// close deadlines are checked by a sweep over this loop's sockets every tick (a quarter of the
// shortest interval, 5 ms..1 s).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "net/event_loop.h"
#include "ws/ws_connection.h"
#include "ws/ws_options.h"

namespace clash::host::internal {

// What the hub shares with its loops and connections.
struct WsContext {
  explicit WsContext(WsOptions opts);
  std::int64_t NowMs() const;

  WsOptions options;
  WsParserLimits limits;
  std::shared_ptr<const std::string> ping_frame;  // one encoded empty ping shared by all sockets

  std::atomic<std::uint64_t> open{0};
  std::atomic<std::uint64_t> opened_total{0};
  std::atomic<std::uint64_t> closed_total{0};
  std::atomic<std::uint64_t> dropped_slow_readers{0};
  std::atomic<std::uint64_t> idle_timeouts{0};
  std::atomic<std::uint64_t> protocol_errors{0};
  std::atomic<std::uint64_t> messages_in{0};
  std::atomic<std::uint64_t> messages_out{0};
};

class WsLoop final : public net::LoopHandler {
 public:
  WsLoop(WsContext& ctx, net::EventLoop& loop);
  ~WsLoop() override;
  WsLoop(const WsLoop&) = delete;
  WsLoop& operator=(const WsLoop&) = delete;

  // Installs the sweep on the event loop.
  void Start();
  // Closes every socket with 1001 (OnClose called) on the loop thread and waits for it; later
  // adoptions are closed at once. Idempotent.
  void Stop();

  // Any thread. The loop registers the socket, calls OnOpen, then feeds `initial` (bytes that
  // arrived with the handshake) to the frame parser. After Stop the socket is closed at once and no
  // callback runs.
  void Adopt(std::shared_ptr<WsConnection> connection, std::string initial = {});

  int epoll_fd() const { return loop_.epoll_fd(); }
  net::EventLoop& event_loop() { return loop_; }

  void OnEvents(std::uint64_t key, std::uint32_t events) override;

 private:
  void Register(const std::shared_ptr<WsConnection>& c, const std::string& initial);
  void HandleReadable(const std::shared_ptr<WsConnection>& c);
  // Returns false if the connection was finalized.
  bool ProcessMessages(const std::shared_ptr<WsConnection>& c);
  void HandleWritable(const std::shared_ptr<WsConnection>& c);
  void Sweep(std::int64_t now);
  void Finalize(const std::shared_ptr<WsConnection>& c);
  void CloseAll();
  int TickMs() const;
  template <typename F>
  void CallSession(const std::shared_ptr<WsConnection>& c, F&& f);

  WsContext& ctx_;
  net::EventLoop& loop_;
  std::mutex mu_;
  bool started_ = false;  // guarded by mu_
  bool stopped_ = false;  // guarded by mu_; read on the loop thread under it

  // Loop thread only:
  std::uint64_t ticker_ = 0;
  std::unordered_map<std::uint64_t, std::shared_ptr<WsConnection>> conns_;
  std::vector<char> read_buf_;
};

}  // namespace clash::host::internal
