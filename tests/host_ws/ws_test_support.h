// Test support for the WebSocket hub: an in-process Poco HTTP server with WebSocket routes, a
// blocking raw-socket WebSocket client, and a session that records what happened.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include "ws/ws_frame.h"
#include "ws/ws_hub.h"
#include "ws/ws_upgrade_handler.h"

namespace clash::host::testing {

// Routes: "/ws/test/echo" -> EchoSession; any path in `routes` -> its factory; else 404.
class TestServer {
 public:
  explicit TestServer(WsOptions options, std::map<std::string, WsSessionFactory> routes = {},
                      int http_threads = 16, std::uint16_t port = 0);
  ~TestServer();
  std::uint16_t port() const { return port_; }
  WsHub& hub() { return hub_; }

 private:
  WsHub hub_;
  std::unique_ptr<Poco::ThreadPool> pool_;  // outlives server_
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
};

// A blocking client speaking RFC 6455 from the client side (masked frames).
class WsTestClient {
 public:
  WsTestClient() = default;
  ~WsTestClient();
  WsTestClient(const WsTestClient&) = delete;
  WsTestClient& operator=(const WsTestClient&) = delete;

  // Connects and sends the request; returns the HTTP status of the answer (101 on upgrade), or -1.
  // `rcvbuf` > 0 sets SO_RCVBUF before connecting (a slow reader).
  int Connect(std::uint16_t port, const std::string& path = "/ws/test/echo", int rcvbuf = 0,
              const std::string& extra_headers = "");
  void SendRaw(std::string_view bytes);
  void SendText(std::string_view text);
  void SendFrame(WsOpcode op, std::string_view payload, bool fin = true);
  void SendClose(std::uint16_t code, std::string_view reason = {});
  // Next message or control frame within `timeout`; nullopt on timeout or EOF (see eof()).
  std::optional<WsMessage> Recv(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Next text message, skipping pings/pongs; nullopt otherwise.
  std::optional<std::string> RecvText(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Waits for the server to close the TCP connection.
  bool WaitEof(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  bool eof() const { return eof_; }
  int fd() const { return fd_; }
  void CloseSocket();

 private:
  int fd_ = -1;
  bool eof_ = false;
  WsFrameParser parser_{WsParserLimits{1 << 24, 1 << 24, false, false}};
};

// Records callbacks; optionally echoes. Thread-safe.
class RecordingSession : public WsSessionHandler {
 public:
  void OnOpen(WsConnection& c) override;
  void OnText(WsConnection& c, std::string_view text) override;
  void OnClose(WsConnection& c, std::uint16_t code) override;

  // Connections currently open.
  std::vector<std::shared_ptr<WsConnection>> Connections();
  std::vector<std::uint16_t> CloseCodes();
  std::vector<std::string> Texts();
  // `pred` runs with the session's lock held: it must not call the accessors above.
  bool WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout);
  bool WaitTexts(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool WaitOpen(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool WaitClosed(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  std::function<void(WsConnection&)> on_open;  // set before connecting
  bool echo = false;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::uint64_t, std::shared_ptr<WsConnection>> open_;
  std::vector<std::uint16_t> close_codes_;
  std::vector<std::string> texts_;
};

// "Threads:" from /proc/self/status (or /proc/<pid>/status).
int ThreadCount(int pid = 0);
// VmRSS in KiB.
long RssKib(int pid = 0);

}  // namespace clash::host::testing
