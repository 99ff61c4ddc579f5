// ws/ws_connection.h — one WebSocket on the hub, and the session callbacks that drive it.
//
// A WsConnection is created by WsHub::Adopt and lives on one loop thread. Application code sees it
// through WsSessionHandler callbacks and may keep a std::shared_ptr to it (shared_from_this()) to
// send later, e.g. from a chat room's member list.
//
// Thread-safety: Send*, Close, is_open, queued_bytes and the user data slot are safe from any
// thread. Sends that find the socket writable go straight to the kernel on the calling thread;
// the rest wait in the socket's bounded queue and the loop writes them when EPOLLOUT fires.
// WsSessionHandler callbacks run on the connection's loop thread, one at a time per connection;
// with loop_threads > 1 a handler shared by many connections is called concurrently.
//
// Example:
//   class Room : public WsSessionHandler {
//     void OnText(WsConnection& c, std::string_view text) override { c.SendText(text); }
//   };
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

#include "ws/ws_frame.h"

namespace clash::host {

class WsConnection;
namespace internal {
class WsLoop;
struct WsContext;
}  // namespace internal

// Callbacks for the sockets of one route. Called on the loop thread; must not block (no storage
// round-trips that may wait, no sleeping): hand slow work to another thread and Send from there.
// An exception escaping a callback closes that connection with 1011.
class WsSessionHandler {
 public:
  virtual ~WsSessionHandler() = default;
  // The socket is registered; sends work from here on.
  virtual void OnOpen(WsConnection&) {}
  // A complete text message (fragments already joined, UTF-8 checked if validate_utf8).
  virtual void OnText(WsConnection& connection, std::string_view text) = 0;
  // A complete binary message. The default closes with 1003 (unsupported data).
  virtual void OnBinary(WsConnection& connection, std::string_view data);
  // Called exactly once when the socket is gone. `code` is the close code of the handshake
  // (the first close frame, ours or the peer's), 1005 if the peer's close had no code, 1006 if
  // the TCP connection ended without one or the socket was dropped as a slow reader, 1001 on
  // hub shutdown. Sends are no-ops from here on.
  virtual void OnClose(WsConnection&, std::uint16_t /*code*/) {}
};

class WsConnection : public std::enable_shared_from_this<WsConnection> {
 public:
  WsConnection(const WsConnection&) = delete;
  WsConnection& operator=(const WsConnection&) = delete;
  ~WsConnection();

  // Unique per hub, never 0.
  std::uint64_t id() const { return id_; }
  // "ip:port" of the peer.
  const std::string& remote_address() const { return remote_; }

  // Encodes and queues a text / binary frame. Returns false if the connection is closing or
  // closed, or if this send overflowed max_queue_bytes (the socket is then dropped, OnClose 1006).
  bool SendText(std::string_view text);
  bool SendBinary(std::string_view data);
  // Queues a frame already encoded by WsHub::EncodeText/EncodeBinary. Broadcasts encode once and
  // pass the same pointer to every connection; the bytes are never copied per socket.
  bool SendShared(std::shared_ptr<const std::string> encoded_frame);

  // Starts the close handshake: sends a close frame with `code` (a valid wire code, else 1000)
  // and `reason` after the frames already queued, then closes the TCP connection when the peer
  // answers or after close_timeout_ms. No-op if already closing.
  void Close(std::uint16_t code = ws_close::kNormal, std::string_view reason = {});

  // False once a close started (either side) or the socket was dropped.
  bool is_open() const;
  // Bytes waiting in this socket's send queue.
  std::size_t queued_bytes() const;

  // One slot for the application (user id, room membership...). Released after OnClose.
  void set_user_data(std::shared_ptr<void> data);
  std::shared_ptr<void> user_data() const;

 private:
  friend class internal::WsLoop;
  friend class WsHub;
  enum class State : std::uint8_t { kOpen, kClosing, kClosed };

  WsConnection(std::uint64_t id, Poco::Net::StreamSocket socket,
               std::shared_ptr<WsSessionHandler> session, internal::WsLoop* loop,
               internal::WsContext* ctx);

  // All *Locked functions need mu_ held and state_ != kClosed.
  bool EnqueueLocked(std::shared_ptr<const std::string> frame);
  void FlushLocked();
  void StartCloseLocked(std::uint16_t code, std::string_view reason);
  void DropLocked();
  void AfterFlushLocked();
  void ArmWriteLocked(bool on);
  bool QueueEmptyLocked() const { return head_ == queue_.size(); }

  const std::uint64_t id_;
  const int fd_;
  internal::WsLoop* const loop_;
  internal::WsContext* const ctx_;
  std::string remote_;

  mutable std::mutex mu_;
  // Guarded by mu_:
  State state_ = State::kOpen;
  bool want_write_ = false;     // EPOLLOUT armed
  bool close_sent_ = false;     // our close frame is queued (nothing may follow it)
  bool write_shut_ = false;     // close frame flushed and SHUT_WR done
  bool dropped_ = false;        // killed without a handshake (overflow, write error)
  std::uint16_t close_code_ = 0;
  std::vector<std::shared_ptr<const std::string>> queue_;  // unsent frames from head_
  std::size_t head_ = 0;
  std::size_t head_offset_ = 0;  // bytes of queue_[head_] already written
  std::size_t queued_bytes_ = 0;
  std::shared_ptr<void> user_data_;
  Poco::Net::StreamSocket socket_;  // owns fd_; closed under mu_

  // Set under mu_ by any thread, read by the loop's sweep: when to give up on the close handshake.
  std::atomic<std::int64_t> close_deadline_ms_{0};

  // Loop thread only:
  std::shared_ptr<WsSessionHandler> session_;
  WsFrameParser parser_;
  std::int64_t last_rx_ms_ = 0;
  std::int64_t last_ping_ms_ = 0;
  bool close_received_ = false;
};

}  // namespace clash::host
