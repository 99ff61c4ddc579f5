#include "http/http_connection.h"

#include <arpa/inet.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <Poco/URI.h>

#include "http/json_response.h"
#include "http/response_writer.h"
#include "http/server.h"
#include "ws/ws_loop_upgrade.h"

namespace clash::host::internal {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kChunkLineBytes = 4096;

std::string FormatPeer(const sockaddr_in6& peer) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (peer.sin6_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&peer);
    inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    port = ntohs(v4->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  inet_ntop(AF_INET6, &peer.sin6_addr, host, sizeof host);
  port = ntohs(peer.sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

void Release(std::string& s) { std::string().swap(s); }

}  // namespace

void Shard::OnEvents(std::uint64_t key, std::uint32_t events) {
  if (key == listen_key) {
    server.Accept(*this);
  } else if (HttpConnection* c = Find(key)) {
    c->OnEvents(events);
  }
  retired.clear();
}

HttpConnection* Shard::Find(std::uint64_t key) {
  auto it = conns.find(key);
  return it == conns.end() ? nullptr : it->second.get();
}

void Shard::Add(Poco::Net::StreamSocket socket, const sockaddr_in6& peer) {
  if (read_buf.empty()) read_buf.resize(kReadChunk);
  const std::uint64_t key = net::NewLoopKey();
  auto c = std::make_unique<HttpConnection>(*this, key, std::move(socket), peer);
  HttpConnection* raw = c.get();
  if (!loop.Register(key, raw->fd(), EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, this)) return;
  conns.emplace(key, std::move(c));
  raw->Start();
  retired.clear();
}

void Shard::Retire(std::uint64_t key) {
  auto it = conns.find(key);
  if (it == conns.end()) return;
  retired.push_back(std::move(it->second));
  conns.erase(it);
}

void Shard::Sweep(std::int64_t now) {
  std::vector<HttpConnection*> all;
  all.reserve(conns.size());
  for (auto& [key, c] : conns) all.push_back(c.get());
  for (HttpConnection* c : all) c->Sweep(now);
  retired.clear();
}

HttpConnection::HttpConnection(Shard& shard, std::uint64_t key, Poco::Net::StreamSocket socket,
                               const sockaddr_in6& peer)
    : shard_(shard), key_(key), fd_(socket.impl()->sockfd()), socket_(std::move(socket)), peer_(peer) {}

HttpConnection::~HttpConnection() {
  if (file_fd_ >= 0) ::close(file_fd_);
}

std::string HttpConnection::PeerText() const { return FormatPeer(peer_); }

void HttpConnection::Start() {
  deadline_ms_ = Now() + shard_.server.options().head_timeout_ms;
  Drive();
}

void HttpConnection::OnEvents(std::uint32_t events) {
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    readable_ = true;
    // A worker's result posted without a wake-up is already queued (it runs after these events).
    if (state_ == State::kBusy && ex_) ex_->handoff.fetch_or(Exchange::kInput);
  }
  Drive();
}

void HttpConnection::Drive() {
  while (state_ != State::kClosed) {
    switch (state_) {
      case State::kWriting:
        if (!Flush()) return;
        break;
      case State::kBusy:
        return;
      case State::kLinger: {
        while (readable_ && state_ == State::kLinger) {
          const ssize_t n = ::recv(fd_, shard_.read_buf.data(), shard_.read_buf.size(), 0);
          if (n > 0) continue;
          if (n < 0 && errno == EINTR) continue;
          if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            readable_ = false;
            break;
          }
          Close();  // EOF or error: the peer has our response
        }
        return;
      }
      case State::kHead:
      case State::kBody:
        if (!in_.empty() && Step()) break;
        if (!readable_) {
          if (in_.empty()) Release(in_);
          return;
        }
        if (!ReadOnce()) return;
        break;
      case State::kClosed:
        return;
    }
  }
}

bool HttpConnection::ReadOnce() {
  const ssize_t n = ::recv(fd_, shard_.read_buf.data(), shard_.read_buf.size(), 0);
  if (n > 0) {
    if (static_cast<std::size_t>(n) < shard_.read_buf.size()) readable_ = false;  // drained (edge-triggered)
    if (state_ == State::kHead && !head_started_) {
      head_started_ = true;
      deadline_ms_ = Now() + shard_.server.options().head_timeout_ms;
    }
    in_.append(shard_.read_buf.data(), static_cast<std::size_t>(n));
    return true;
  }
  if (n < 0 && errno == EINTR) return true;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    readable_ = false;
    return false;
  }
  peer_eof_ = true;
  Close();  // EOF or reset while waiting for (the rest of) a request: nothing to answer
  return false;
}

bool HttpConnection::Step() {
  if (state_ == State::kBody) return ConsumeBody();
  http1::RequestHead head;
  http1::Error err;
  switch (http1::ParseRequestHead(in_, shard_.server.limits_, &head, &err, &scanned_)) {
    case http1::ParseStatus::kIncomplete:
      return false;
    case http1::ParseStatus::kError:
      BeginExchange();
      Fail(err.status, err.message, /*close=*/true);
      return true;
    case http1::ParseStatus::kDone:
      in_.erase(0, head.head_bytes);
      scanned_ = 0;
      head_started_ = false;
      OnHead(std::move(head));
      return true;
  }
  return false;
}

void HttpConnection::BeginExchange(std::vector<std::pair<std::string, std::string>> headers) {
  ex_ = std::make_shared<Exchange>();
  ++shard_.server.in_flight_;
  shard_.server.metrics_.InFlightDelta(1);
  ex_->request.headers = std::move(headers);
  ex_->request.request_id = shard_.server.NewRequestId(ex_->request);
  ex_->request.remote_address = PeerText();
}

void HttpConnection::OnHead(http1::RequestHead head) {
  HostServer& server = shard_.server;
  BeginExchange(std::move(head.headers));
  HttpRequest& req = ex_->request;
  req.method = std::move(head.method);
  req.target = std::move(head.target);
  ex_->head_only = req.method == "HEAD";
  keep_alive_ = head.keep_alive && !server.draining();
  const bool has_body = head.body != http1::BodyKind::kNone;
  http10_keep_alive_ = head.minor_version == 0 && keep_alive_;
  if (!http1::IsKnownMethod(req.method)) return Fail(501, "Method not implemented", has_body);
  ex_->method_label = req.method;
  if (req.target.front() == '/' && req.target.find_first_of("%?") == std::string::npos) {
    req.path = req.target;  // nothing to decode (the common case)
  } else {
    try {
      Poco::URI uri(req.target);
      req.path = uri.getPath();
      for (auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
    } catch (const Poco::Exception&) {
      return Fail(400, "Malformed request URI", has_body);
    }
  }
  if (req.path.empty()) req.path = "/";
  const std::size_t limit = server.options().max_body_bytes;
  if (head.body == http1::BodyKind::kLength && head.content_length > limit) {
    return Fail(413, "Request body too large (limit " + std::to_string(limit) + " bytes)", true);
  }
  if (head.upgrade && !has_body && IsWebSocketUpgradeRequest(req.method, req.headers)) {
    if (auto factory = server.ws_routes_(req.path)) return server.Upgrade(*this, ex_, std::move(*factory));
  }
  if (!has_body) return Dispatch();
  if (head.expect_continue && head.minor_version == 1) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    if (::send(fd_, kContinue.data(), kContinue.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(kContinue.size())) {
      return Close();  // a client whose socket cannot take 25 bytes is not reading
    }
  }
  body_kind_ = head.body;
  body_left_ = head.content_length;
  if (body_kind_ == http1::BodyKind::kChunked) {
    chunked_ = std::make_unique<http1::ChunkedDecoder>(limit, kChunkLineBytes);
  }
  body_started_ms_ = Now();
  body_received_ = 0;
  state_ = State::kBody;
}

bool HttpConnection::ConsumeBody() {
  std::string& body = ex_->request.body;
  if (body_kind_ == http1::BodyKind::kLength) {
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(body_left_, in_.size()));
    body.append(in_, 0, take);
    in_.erase(0, take);
    body_left_ -= take;
    body_received_ += take;
    if (body_left_ == 0) Dispatch();
    return true;
  }
  std::size_t used = 0;
  http1::Error err;
  const auto status = chunked_->Feed(in_, &used, &body, &err);
  in_.erase(0, used);
  body_received_ += used;
  if (status == http1::ChunkedDecoder::Status::kError) {
    chunked_.reset();
    if (err.status == 413) {
      Fail(413, "Request body too large (limit " + std::to_string(shard_.server.options().max_body_bytes) + " bytes)",
           true);
    } else {
      Fail(err.status, err.message, true);
    }
  } else if (status == http1::ChunkedDecoder::Status::kDone) {
    chunked_.reset();
    Dispatch();
  }
  return true;
}

void HttpConnection::Dispatch() {
  body_kind_ = http1::BodyKind::kNone;
  ex_->keep_alive = keep_alive_;
  ex_->http10_keep_alive = http10_keep_alive_;
  ex_->urgent = !in_.empty() || readable_ || peer_eof_;
  state_ = State::kBusy;
  shard_.server.Dispatch(*this, ex_);
}

void HttpConnection::Fail(int status, std::string_view message, bool close) {
  ex_->response = HttpResponse();
  WriteError(ex_->response, status, message);
  if (status == 503) ex_->response.SetHeader("Retry-After", "1");
  ex_->close = close;
  Respond(ex_);
}

void HttpConnection::Sweep(std::int64_t now) {
  const ServerOptions& o = shard_.server.options();
  switch (state_) {
    case State::kHead:
      if (now < deadline_ms_) return;
      if (!head_started_ && in_.empty()) return Close();  // idle keep-alive or silent new connection
      BeginExchange();
      Fail(408, "Request head not received in time", true);
      return Drive();
    case State::kBody: {
      // After head_timeout_ms of grace the body must average min_body_rate bytes/s.
      if (o.min_body_rate <= 0) return;
      const auto earned_ms = static_cast<std::int64_t>(body_received_ * 1000 / static_cast<std::uint64_t>(o.min_body_rate));
      if (now - body_started_ms_ <= o.head_timeout_ms + earned_ms) return;
      Fail(408, "Request body arrived too slowly", true);
      return Drive();
    }
    case State::kWriting:
    case State::kLinger:
      if (now >= deadline_ms_) Close();
      return;
    case State::kBusy:
    case State::kClosed:
      return;
  }
}

void HttpConnection::Drain() {
  keep_alive_ = false;
  if (state_ == State::kHead && !head_started_ && in_.empty()) Close();
}

void HttpConnection::Abort() {
  if (state_ != State::kBusy) return Close();
  aborted_ = true;
  ::shutdown(fd_, SHUT_RDWR);  // the fd stays ours until the worker's result comes back
}

void HttpConnection::Close() {
  if (state_ == State::kClosed) return;
  const bool busy = state_ == State::kBusy;
  state_ = State::kClosed;
  shard_.loop.Unregister(key_, fd_);
  try {
    socket_.close();
  } catch (...) {
  }
  // A request on the pool finishes when its result comes back; one being read or written ends here.
  if (ex_ && !busy) shard_.server.Finish(*ex_);
  ex_.reset();
  shard_.Retire(key_);
}

}  // namespace clash::host::internal
