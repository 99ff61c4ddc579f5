// ws/ws_options.h — limits and intervals of the WebSocket hub, and the counters it exports.
//
// Thread-safety: plain values.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace clash::host {

struct WsOptions {
  // Largest payload of one incoming frame; a larger one closes the socket with 1009.
  std::size_t max_frame_bytes = 64 * 1024;
  // Largest incoming message after reassembling fragments; a larger one closes with 1009.
  std::size_t max_message_bytes = 64 * 1024;
  // Bytes a socket may have queued for sending; a send beyond it drops the socket (slow reader).
  std::size_t max_queue_bytes = 1 << 20;
  // SO_SNDBUF for each socket; 0 keeps the kernel's autotuning (up to net.ipv4.tcp_wmem max,
  // 4 MiB here). The kernel buffer sits in front of max_queue_bytes, so a slow reader holds up to
  // both before it is dropped; set this to bound per-socket kernel memory too.
  int send_buffer_bytes = 0;
  // A ping is sent after this much silence from the peer (and again every interval).
  int ping_interval_ms = 30'000;
  // A peer silent this long (no frame at all, pongs included) is closed with 1001.
  int idle_timeout_ms = 75'000;
  // After our close frame, how long to wait for the peer's close or EOF before closing the TCP.
  int close_timeout_ms = 5'000;
  // Number of epoll threads; sockets are spread round-robin.
  int loop_threads = 1;
  // Close with 1007 on text that is not UTF-8.
  bool validate_utf8 = true;
  // Monotonic time source for keepalive and close deadlines; empty means std::chrono::steady_clock.
  // (The host can pass [&clock] { return clock.Monotonic(); }.) Must be safe to call from any thread.
  std::function<std::chrono::nanoseconds()> monotonic;
};

// A snapshot of the hub's counters (for /metrics). Totals count since Start().
struct WsStats {
  std::uint64_t open = 0;                  // sockets registered on a loop right now
  std::uint64_t opened_total = 0;
  std::uint64_t closed_total = 0;
  std::uint64_t dropped_slow_readers = 0;  // send queue overflowed
  std::uint64_t idle_timeouts = 0;         // closed for silence
  std::uint64_t protocol_errors = 0;       // closed for a framing error, oversize, bad UTF-8
  std::uint64_t messages_in = 0;           // text/binary messages delivered to sessions
  std::uint64_t messages_out = 0;          // frames queued by Send* (pings and closes excluded)
};

}  // namespace clash::host
