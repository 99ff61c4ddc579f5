// ws/ws_hub.h — WebSockets on a few epoll threads: an idle socket holds no thread.
//
// The HTTP side upgrades a request (see ws_upgrade_handler.h) and hands the socket to the hub;
// the hub's loop threads then do all reads, writes, keepalive and closing. Per socket the hub
// enforces a maximum frame/message size (close 1009), a bounded send queue (a slow reader is
// dropped), a ping after ping_interval_ms of silence and a close after idle_timeout_ms.
//
// Thread-safety: every method is safe from any thread. Session callbacks run on loop threads.
// Lifetime: the hub must outlive the HTTP server that feeds it; Stop() (or the destructor) closes
// every socket with 1001 and calls OnClose for each.
//
// Example:
//   WsHub hub(WsOptions{.ping_interval_ms = 20'000});
//   hub.Start();
//   auto frame = WsHub::EncodeText(R"({"type":"chat_message"})");   // encoded once...
//   for (auto& c : room_members) c->SendShared(frame);               // ...shared by every socket
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/StreamSocket.h>

#include "net/event_loop.h"
#include "ws/ws_connection.h"
#include "ws/ws_options.h"

namespace clash::host {

namespace internal {
class WsLoop;
struct WsContext;
}  // namespace internal

class WsHub {
 public:
  // Creates options.loop_threads event loops of its own (epoll + eventfd each); throws
  // std::system_error if the kernel refuses.
  explicit WsHub(WsOptions options = {});
  // Serves its sockets on `loops` (shared with the HTTP server; options.loop_threads is ignored).
  // The group must outlive the hub; the hub neither starts nor stops it.
  WsHub(WsOptions options, net::LoopGroup& loops);
  ~WsHub();
  WsHub(const WsHub&) = delete;
  WsHub& operator=(const WsHub&) = delete;

  // Starts the loop threads. Idempotent. A stopped hub cannot be restarted.
  void Start();
  // Stops accepting, closes every socket with 1001 (OnClose runs), joins the threads. Idempotent.
  void Stop();
  // True between Start() and Stop().
  bool accepting() const { return accepting_.load(); }

  // Takes over an upgraded socket (a Poco::Net::WebSocket after the handshake, or any connected
  // StreamSocket that will speak RFC 6455 frames next). The socket is made non-blocking and
  // registered on a loop, which then calls session->OnOpen. Returns the connection, or nullptr if
  // the hub is not running or `session` is null (the socket is then closed; no callback runs).
  std::shared_ptr<WsConnection> Adopt(Poco::Net::StreamSocket socket,
                                      std::shared_ptr<WsSessionHandler> session);
  // The same on the hub's loop that runs on `loop` (the caller's loop, so the socket stays on its
  // thread; round-robin if `loop` is not one of the hub's). `initial` holds bytes the client sent
  // after the handshake request, fed to the frame parser after OnOpen.
  std::shared_ptr<WsConnection> Adopt(Poco::Net::StreamSocket socket, std::shared_ptr<WsSessionHandler> session,
                                      const net::EventLoop* loop, std::string initial);

  // Sockets registered on a loop right now (for /metrics).
  std::size_t open_count() const;
  WsStats stats() const;
  const WsOptions& options() const;

  // Encode a server frame once for SendShared (broadcasts).
  static std::shared_ptr<const std::string> EncodeText(std::string_view text);
  static std::shared_ptr<const std::string> EncodeBinary(std::string_view data);

 private:
  std::unique_ptr<internal::WsContext> ctx_;
  std::unique_ptr<net::LoopGroup> own_loops_;  // null when the loops are shared
  net::LoopGroup* group_ = nullptr;
  std::vector<std::unique_ptr<internal::WsLoop>> loops_;  // one per loop of group_
  std::atomic<std::size_t> next_loop_{0};
  std::atomic<bool> accepting_{false};
  std::mutex lifecycle_mu_;
  bool stopped_ = false;  // guarded by lifecycle_mu_
};

}  // namespace clash::host
