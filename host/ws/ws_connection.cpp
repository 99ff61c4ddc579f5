#include "ws/ws_connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <utility>

#include "ws/ws_loop.h"

namespace clash::host {
namespace {
constexpr int kMaxIov = 64;

std::string PeerAddress(const Poco::Net::StreamSocket& socket) {
  try {
    return socket.peerAddress().toString();
  } catch (...) {
    return std::string(1, '?');
  }
}
}  // namespace

void WsSessionHandler::OnBinary(WsConnection& connection, std::string_view) {
  connection.Close(ws_close::kUnsupportedData, "binary messages are not supported");
}

WsConnection::WsConnection(std::uint64_t id, Poco::Net::StreamSocket socket,
                           std::shared_ptr<WsSessionHandler> session, internal::WsLoop* loop,
                           internal::WsContext* ctx)
    : id_(id),
      fd_(socket.impl()->sockfd()),
      loop_(loop),
      ctx_(ctx),
      remote_(PeerAddress(socket)),
      socket_(std::move(socket)),
      session_(std::move(session)),
      parser_(ctx->limits) {}

WsConnection::~WsConnection() = default;

bool WsConnection::SendText(std::string_view text) {
  return SendShared(std::make_shared<const std::string>(EncodeWsFrame(WsOpcode::kText, text)));
}

bool WsConnection::SendBinary(std::string_view data) {
  return SendShared(std::make_shared<const std::string>(EncodeWsFrame(WsOpcode::kBinary, data)));
}

bool WsConnection::SendShared(std::shared_ptr<const std::string> encoded_frame) {
  if (!encoded_frame) return false;
  std::lock_guard lock(mu_);
  if (state_ != State::kOpen) return false;
  if (!EnqueueLocked(std::move(encoded_frame))) return false;
  ctx_->messages_out.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void WsConnection::Close(std::uint16_t code, std::string_view reason) {
  std::lock_guard lock(mu_);
  if (state_ != State::kOpen) return;
  if (code != ws_close::kNoStatus && !IsValidWireCloseCode(code)) code = ws_close::kNormal;
  StartCloseLocked(code, reason);
}

bool WsConnection::is_open() const {
  std::lock_guard lock(mu_);
  return state_ == State::kOpen;
}

std::size_t WsConnection::queued_bytes() const {
  std::lock_guard lock(mu_);
  return queued_bytes_;
}

void WsConnection::set_user_data(std::shared_ptr<void> data) {
  std::lock_guard lock(mu_);
  user_data_ = std::move(data);
}

std::shared_ptr<void> WsConnection::user_data() const {
  std::lock_guard lock(mu_);
  return user_data_;
}

bool WsConnection::EnqueueLocked(std::shared_ptr<const std::string> frame) {
  const std::size_t size = frame->size();
  if (size == 0) return true;
  std::size_t written = 0;
  if (QueueEmptyLocked()) {
    // Fast path: the socket is usually writable, so skip the queue and the loop hand-off.
    for (;;) {
      const ssize_t n = ::send(fd_, frame->data(), size, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n >= 0) {
        written = static_cast<std::size_t>(n);
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      DropLocked();  // peer reset or similar: the loop sees the shutdown and finalizes
      return false;
    }
    if (written == size) {
      AfterFlushLocked();
      return true;
    }
  }
  const std::size_t remaining = size - written;
  if (queued_bytes_ + remaining > ctx_->options.max_queue_bytes) {
    ctx_->dropped_slow_readers.fetch_add(1, std::memory_order_relaxed);
    DropLocked();
    return false;
  }
  if (QueueEmptyLocked()) head_offset_ = written;
  queue_.push_back(std::move(frame));
  queued_bytes_ += remaining;
  ArmWriteLocked(true);
  return true;
}

void WsConnection::FlushLocked() {
  while (!QueueEmptyLocked()) {
    iovec iov[kMaxIov];
    int count = 0;
    for (std::size_t i = head_; i < queue_.size() && count < kMaxIov; ++i, ++count) {
      const std::string& s = *queue_[i];
      const std::size_t off = i == head_ ? head_offset_ : 0;
      iov[count].iov_base = const_cast<char*>(s.data() + off);
      iov[count].iov_len = s.size() - off;
    }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<std::size_t>(count);
    const ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      DropLocked();
      return;
    }
    auto left = static_cast<std::size_t>(n);
    queued_bytes_ -= left;
    while (left > 0) {
      const std::size_t rest = queue_[head_]->size() - head_offset_;
      if (left >= rest) {
        left -= rest;
        queue_[head_].reset();
        ++head_;
        head_offset_ = 0;
      } else {
        head_offset_ += left;
        left = 0;
      }
    }
  }
  if (QueueEmptyLocked()) {
    queue_.clear();
    if (queue_.capacity() > 64) queue_.shrink_to_fit();
    head_ = 0;
    head_offset_ = 0;
    ArmWriteLocked(false);
    AfterFlushLocked();
  } else if (head_ >= 256 && head_ * 2 >= queue_.size()) {
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

void WsConnection::StartCloseLocked(std::uint16_t code, std::string_view reason) {
  state_ = State::kClosing;
  close_code_ = code;
  close_sent_ = true;
  close_deadline_ms_.store(ctx_->NowMs() + ctx_->options.close_timeout_ms, std::memory_order_relaxed);
  // The close frame is exempt from the queue limit: if it does not fit, the socket is dropped.
  EnqueueLocked(std::make_shared<const std::string>(EncodeWsClose(code, reason)));
}

void WsConnection::DropLocked() {
  if (dropped_) return;
  dropped_ = true;
  if (state_ == State::kOpen) close_code_ = ws_close::kAbnormal;
  state_ = State::kClosing;
  queue_.clear();
  queue_.shrink_to_fit();
  head_ = head_offset_ = queued_bytes_ = 0;
  // Wakes the loop (EPOLLHUP / EOF), which finalizes the connection on its own thread.
  ::shutdown(fd_, SHUT_RDWR);
  close_deadline_ms_.store(ctx_->NowMs(), std::memory_order_relaxed);
}

void WsConnection::AfterFlushLocked() {
  if (close_sent_ && !write_shut_ && !dropped_) {
    write_shut_ = true;
    ::shutdown(fd_, SHUT_WR);  // FIN after the close frame; keep reading for the peer's close
  }
}

void WsConnection::ArmWriteLocked(bool on) {
  if (want_write_ == on || dropped_) return;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
  ev.data.u64 = id_;
  if (::epoll_ctl(loop_->epoll_fd(), EPOLL_CTL_MOD, fd_, &ev) == 0) want_write_ = on;
}

}  // namespace clash::host
