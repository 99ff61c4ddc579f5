#include "ws_test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include "ws/echo_session.h"

namespace clash::host::testing {
namespace {

class NotFoundHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
    response.setContentLength(0);
    response.send();
  }
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(WsHub& hub, std::map<std::string, WsSessionFactory> routes) : hub_(hub), routes_(std::move(routes)) {
    auto echo = std::make_shared<EchoSession>();
    routes_.emplace("/ws/test/echo", [echo](const Poco::Net::HTTPServerRequest&) { return echo; });
  }
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
    auto it = routes_.find(request.getURI());
    if (it == routes_.end()) return new NotFoundHandler;
    return NewWebSocketUpgradeHandler(hub_, it->second);
  }

 private:
  WsHub& hub_;
  std::map<std::string, WsSessionFactory> routes_;
};

std::string ReadStatusField(int pid, const std::string& field) {
  std::ifstream in(pid == 0 ? "/proc/self/status" : "/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return line.substr(field.size() + 1);
  }
  return {};
}

}  // namespace

TestServer::TestServer(WsOptions options, std::map<std::string, WsSessionFactory> routes, int http_threads,
                       std::uint16_t port)
    : hub_(std::move(options)) {
  hub_.Start();
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", port), 1024);
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(http_threads);
  params->setMaxQueued(1024);
  // Poco's dispatcher threads notice a stop only after their idle wait (default 10 s), which is
  // what joinAll() waits for; keep it short.
  params->setThreadIdleTime(Poco::Timespan(0, 200'000));
  pool_ = std::make_unique<Poco::ThreadPool>(2, http_threads, 1);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(hub_, std::move(routes)), *pool_, socket, params);
  server_->start();
}

TestServer::~TestServer() {
  server_->stopAll(true);
  pool_->joinAll();
  hub_.Stop();
}

WsTestClient::~WsTestClient() { CloseSocket(); }

void WsTestClient::CloseSocket() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

int WsTestClient::Connect(std::uint16_t port, const std::string& path, int rcvbuf,
                          const std::string& extra_headers) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return -1;
  if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                    (extra_headers.find("Sec-WebSocket-Version") == std::string::npos
                         ? "Sec-WebSocket-Version: 13\r\n"
                         : "") +
                    extra_headers + "\r\n";
  SendRaw(req);
  // Read the response head byte by byte so no frame bytes are swallowed.
  std::string head;
  while (head.size() < 8192 && head.find("\r\n\r\n") == std::string::npos) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return -1;
    char ch;
    if (::recv(fd_, &ch, 1, 0) != 1) return -1;
    head.push_back(ch);
  }
  if (head.rfind("HTTP/1.1 ", 0) != 0) return -1;
  return std::stoi(head.substr(9, 3));
}

void WsTestClient::SendRaw(std::string_view bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return;
    }
    off += static_cast<std::size_t>(n);
  }
}

void WsTestClient::SendFrame(WsOpcode op, std::string_view payload, bool fin) {
  static thread_local std::mt19937 rng(std::random_device{}());
  const std::uint32_t r = rng();
  WsMaskKey key{static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(r >> 8),
                static_cast<std::uint8_t>(r >> 16), static_cast<std::uint8_t>(r >> 24)};
  SendRaw(EncodeWsFrame(op, payload, fin, key));
}

void WsTestClient::SendText(std::string_view text) { SendFrame(WsOpcode::kText, text); }

void WsTestClient::SendClose(std::uint16_t code, std::string_view reason) {
  SendRaw(EncodeWsClose(code, reason, WsMaskKey{1, 2, 3, 4}));
}

std::optional<WsMessage> WsTestClient::Recv(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto m = parser_.Next()) return m;
    if (eof_ || fd_ < 0) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      eof_ = true;
      continue;
    }
    parser_.Feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

std::optional<std::string> WsTestClient::RecvText(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto m = Recv(std::max(left, std::chrono::milliseconds(0)));
    if (!m) return std::nullopt;
    if (m->kind == WsMessage::Kind::kPing || m->kind == WsMessage::Kind::kPong) continue;
    if (m->kind != WsMessage::Kind::kText) return std::nullopt;
    return std::move(m->payload);
  }
}

bool WsTestClient::WaitEof(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      eof_ = true;
    }
  }
  return true;
}

void RecordingSession::OnOpen(WsConnection& c) {
  if (on_open) on_open(c);
  std::lock_guard lock(mu_);
  open_[c.id()] = c.shared_from_this();
  cv_.notify_all();
}

void RecordingSession::OnText(WsConnection& c, std::string_view text) {
  if (echo) c.SendText(text);
  std::lock_guard lock(mu_);
  texts_.emplace_back(text);
  cv_.notify_all();
}

void RecordingSession::OnClose(WsConnection& c, std::uint16_t code) {
  std::lock_guard lock(mu_);
  open_.erase(c.id());
  close_codes_.push_back(code);
  cv_.notify_all();
}

std::vector<std::shared_ptr<WsConnection>> RecordingSession::Connections() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<WsConnection>> out;
  for (auto& [id, c] : open_) out.push_back(c);
  return out;
}

std::vector<std::uint16_t> RecordingSession::CloseCodes() {
  std::lock_guard lock(mu_);
  return close_codes_;
}

std::vector<std::string> RecordingSession::Texts() {
  std::lock_guard lock(mu_);
  return texts_;
}

bool RecordingSession::WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, pred);
}

bool RecordingSession::WaitOpen(std::size_t n, std::chrono::milliseconds timeout) {
  return WaitFor([&] { return open_.size() >= n; }, timeout);
}

bool RecordingSession::WaitTexts(std::size_t n, std::chrono::milliseconds timeout) {
  return WaitFor([&] { return texts_.size() >= n; }, timeout);
}

bool RecordingSession::WaitClosed(std::size_t n, std::chrono::milliseconds timeout) {
  return WaitFor([&] { return close_codes_.size() >= n; }, timeout);
}

int ThreadCount(int pid) { return std::stoi(ReadStatusField(pid, "Threads")); }

long RssKib(int pid) {
  std::istringstream in(ReadStatusField(pid, "VmRSS"));
  long kib = 0;
  in >> kib;
  return kib;
}

}  // namespace clash::host::testing
