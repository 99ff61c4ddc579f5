// ws/ws_loop.h — internal: one epoll thread serving many WebSocket connections.
//
// Not for use outside host/ws: WsHub owns the loops. Level-triggered epoll; EPOLLIN is always
// armed, EPOLLOUT only while a socket's send queue is non-empty. An eventfd (epoll key 0) wakes
// the loop for new sockets and for Stop(). Keepalive and close deadlines are checked by a sweep
// over all sockets every tick (a quarter of the shortest interval, 5 ms..1 s).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

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

class WsLoop {
 public:
  // Creates the epoll and eventfd descriptors; throws std::system_error if the kernel refuses.
  explicit WsLoop(WsContext& ctx);
  ~WsLoop();
  WsLoop(const WsLoop&) = delete;
  WsLoop& operator=(const WsLoop&) = delete;

  void Start();
  // Closes every socket with 1001 (OnClose called), then joins the thread. Idempotent.
  void Stop();

  // Any thread. The loop registers the socket and calls OnOpen. After Stop the socket is closed
  // at once and no callback runs.
  void Adopt(std::shared_ptr<WsConnection> connection);

  int epoll_fd() const { return epfd_; }

 private:
  void Run();
  void TakeIncoming();
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
  int epfd_ = -1;
  int evfd_ = -1;
  std::thread thread_;

  std::mutex mu_;
  std::vector<std::shared_ptr<WsConnection>> incoming_;  // guarded by mu_
  bool stop_requested_ = false;                           // guarded by mu_

  // Loop thread only:
  std::unordered_map<std::uint64_t, std::shared_ptr<WsConnection>> conns_;
  std::vector<char> read_buf_;
};

}  // namespace clash::host::internal
