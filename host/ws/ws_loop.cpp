#include "ws/ws_loop.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <future>
#include <system_error>
#include <utility>

namespace clash::host::internal {
namespace {

constexpr std::size_t kReadBufBytes = 64 * 1024;
constexpr int kMaxReadsPerEvent = 4;  // fairness: at most 256 KB per socket per wake-up

WsParserLimits LimitsFrom(const WsOptions& o) {
  WsParserLimits l;
  l.max_frame_bytes = o.max_frame_bytes;
  l.max_message_bytes = o.max_message_bytes;
  l.require_masked = true;
  l.validate_utf8 = o.validate_utf8;
  return l;
}

}  // namespace

WsContext::WsContext(WsOptions opts)
    : options(std::move(opts)),
      limits(LimitsFrom(options)),
      ping_frame(std::make_shared<const std::string>(EncodeWsFrame(WsOpcode::kPing, {}))) {}

std::int64_t WsContext::NowMs() const {
  const std::chrono::nanoseconds t =
      options.monotonic ? options.monotonic() : std::chrono::steady_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
}

WsLoop::WsLoop(WsContext& ctx, net::EventLoop& loop) : ctx_(ctx), loop_(loop) {}

WsLoop::~WsLoop() { Stop(); }

void WsLoop::Start() {
  {
    std::lock_guard lock(mu_);
    if (started_ || stopped_) return;
    started_ = true;
  }
  loop_.Post([this] {
    if (read_buf_.empty()) read_buf_.resize(kReadBufBytes);
    ticker_ = loop_.AddTicker(TickMs(), [this](std::int64_t) { Sweep(ctx_.NowMs()); });
  });
}

void WsLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  auto finish = [this] {
    if (ticker_ != 0) loop_.RemoveTicker(ticker_);
    ticker_ = 0;
    CloseAll();
  };
  if (loop_.InLoopThread() || !loop_.running()) return finish();  // no other thread touches them
  std::promise<void> done;
  if (loop_.Post([&] {
        finish();
        done.set_value();
      })) {
    done.get_future().wait();
  } else {
    finish();  // the loop's thread has ended: nothing else touches these sockets
  }
}

void WsLoop::Adopt(std::shared_ptr<WsConnection> connection, std::string initial) {
  bool posted = false;
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      posted = loop_.Post([this, c = connection, initial = std::move(initial)] { Register(c, initial); });
    }
  }
  if (!posted) {  // stopped: close without callbacks
    std::lock_guard lock(connection->mu_);
    connection->state_ = WsConnection::State::kClosed;
    connection->socket_.close();
  }
}

int WsLoop::TickMs() const {
  const auto& o = ctx_.options;
  const int shortest = std::min({o.ping_interval_ms, o.idle_timeout_ms, o.close_timeout_ms});
  return std::clamp(shortest / 4, 5, 1000);
}

template <typename F>
void WsLoop::CallSession(const std::shared_ptr<WsConnection>& c, F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const std::exception&) {
    c->Close(ws_close::kInternalError, "internal error");
  } catch (...) {
    c->Close(ws_close::kInternalError, "internal error");
  }
}

void WsLoop::OnEvents(std::uint64_t key, std::uint32_t ev) {
  auto it = conns_.find(key);
  if (it == conns_.end()) return;  // finalized earlier in this batch
  std::shared_ptr<WsConnection> c = it->second;
  if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) HandleReadable(c);
  if ((ev & EPOLLOUT) && conns_.count(key) != 0) HandleWritable(c);
}

void WsLoop::Register(const std::shared_ptr<WsConnection>& c, const std::string& initial) {
  bool stopped;
  {
    std::lock_guard lock(mu_);
    stopped = stopped_;
  }
  {
    std::lock_guard lock(c->mu_);
    if (c->state_ == WsConnection::State::kClosed) return;
    const bool want_write = !c->QueueEmptyLocked();
    const std::uint32_t events = EPOLLIN | EPOLLRDHUP | (want_write ? EPOLLOUT : 0u);
    if (stopped || !loop_.Register(c->id_, c->fd_, events, this)) {
      c->state_ = WsConnection::State::kClosed;
      c->socket_.close();
      return;
    }
    c->want_write_ = want_write;
  }
  if (read_buf_.empty()) read_buf_.resize(kReadBufBytes);
  const std::int64_t now = ctx_.NowMs();
  c->last_rx_ms_ = now;
  c->last_ping_ms_ = now;
  conns_.emplace(c->id_, c);
  ctx_.open.fetch_add(1, std::memory_order_relaxed);
  ctx_.opened_total.fetch_add(1, std::memory_order_relaxed);
  CallSession(c, [&] { c->session_->OnOpen(*c); });
  if (!initial.empty() && conns_.count(c->id_) != 0 && !c->parser_.finished()) {
    c->parser_.Feed(initial);
    ProcessMessages(c);
  }
}

void WsLoop::HandleReadable(const std::shared_ptr<WsConnection>& c) {
  for (int round = 0; round < kMaxReadsPerEvent; ++round) {
    const ssize_t n = ::recv(c->fd_, read_buf_.data(), read_buf_.size(), MSG_DONTWAIT);
    if (n > 0) {
      c->last_rx_ms_ = ctx_.NowMs();
      if (!c->parser_.finished()) {
        c->parser_.Feed(std::string_view(read_buf_.data(), static_cast<std::size_t>(n)));
        if (!ProcessMessages(c)) return;
      }
      if (static_cast<std::size_t>(n) < read_buf_.size()) break;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    Finalize(c);  // EOF, reset, or our own shutdown after a drop
    return;
  }
  if (c->parser_.buffered_bytes() == 0) c->parser_.ReleaseMemory();
}

bool WsLoop::ProcessMessages(const std::shared_ptr<WsConnection>& c) {
  while (auto m = c->parser_.Next()) {
    switch (m->kind) {
      case WsMessage::Kind::kText:
      case WsMessage::Kind::kBinary: {
        if (!c->is_open()) break;  // data after our close frame is discarded
        ctx_.messages_in.fetch_add(1, std::memory_order_relaxed);
        const bool text = m->kind == WsMessage::Kind::kText;
        CallSession(c, [&] {
          if (text) {
            c->session_->OnText(*c, m->payload);
          } else {
            c->session_->OnBinary(*c, m->payload);
          }
        });
        break;
      }
      case WsMessage::Kind::kPing: {
        std::lock_guard lock(c->mu_);
        if (c->state_ == WsConnection::State::kOpen) {
          c->EnqueueLocked(std::make_shared<const std::string>(EncodeWsFrame(WsOpcode::kPong, m->payload)));
        }
        break;
      }
      case WsMessage::Kind::kPong:
        break;  // last_rx_ms_ is already updated
      case WsMessage::Kind::kClose: {
        bool flushed;
        {
          std::lock_guard lock(c->mu_);
          c->close_received_ = true;
          if (c->state_ == WsConnection::State::kOpen) {
            c->StartCloseLocked(m->code, {});  // echo the peer's code
          }
          flushed = c->QueueEmptyLocked() || c->dropped_;
        }
        if (flushed) {
          Finalize(c);
          return false;
        }
        return true;  // HandleWritable finalizes once our close frame is out
      }
      case WsMessage::Kind::kError: {
        ctx_.protocol_errors.fetch_add(1, std::memory_order_relaxed);
        std::lock_guard lock(c->mu_);
        if (c->state_ == WsConnection::State::kOpen) c->StartCloseLocked(m->code, m->payload);
        // Keep reading (and discarding) until the peer closes or the close deadline passes, so
        // the kernel does not answer unread data with a RST that would destroy our close frame.
        return true;
      }
    }
  }
  return true;
}

void WsLoop::HandleWritable(const std::shared_ptr<WsConnection>& c) {
  bool finalize;
  {
    std::lock_guard lock(c->mu_);
    if (c->state_ == WsConnection::State::kClosed) return;
    c->FlushLocked();
    finalize = c->dropped_ || (c->close_received_ && c->QueueEmptyLocked());
  }
  if (finalize) Finalize(c);
}

void WsLoop::Sweep(std::int64_t now) {
  const auto& o = ctx_.options;
  std::vector<std::shared_ptr<WsConnection>> expired;
  for (auto& [id, c] : conns_) {
    const std::int64_t deadline = c->close_deadline_ms_.load(std::memory_order_relaxed);
    if (deadline != 0) {
      if (now >= deadline) expired.push_back(c);
      continue;
    }
    const std::int64_t silent = now - c->last_rx_ms_;
    if (silent >= o.idle_timeout_ms) {
      std::lock_guard lock(c->mu_);
      if (c->state_ == WsConnection::State::kOpen) {
        ctx_.idle_timeouts.fetch_add(1, std::memory_order_relaxed);
        c->StartCloseLocked(ws_close::kGoingAway, "idle timeout");
      }
    } else if (silent >= o.ping_interval_ms && now - c->last_ping_ms_ >= o.ping_interval_ms) {
      c->last_ping_ms_ = now;
      std::lock_guard lock(c->mu_);
      if (c->state_ == WsConnection::State::kOpen) c->EnqueueLocked(ctx_.ping_frame);
    }
  }
  for (auto& c : expired) Finalize(c);
}

void WsLoop::Finalize(const std::shared_ptr<WsConnection>& c) {
  std::uint16_t code;
  {
    std::lock_guard lock(c->mu_);
    if (c->state_ == WsConnection::State::kClosed) return;
    code = c->state_ == WsConnection::State::kOpen || c->close_code_ == 0 ? ws_close::kAbnormal
                                                                          : c->close_code_;
    c->state_ = WsConnection::State::kClosed;
    loop_.Unregister(c->id_, c->fd_);
    try {
      c->socket_.close();
    } catch (...) {
    }
    c->queue_.clear();
    c->queue_.shrink_to_fit();
    c->head_ = c->head_offset_ = c->queued_bytes_ = 0;
  }
  conns_.erase(c->id_);
  ctx_.open.fetch_sub(1, std::memory_order_relaxed);
  ctx_.closed_total.fetch_add(1, std::memory_order_relaxed);
  CallSession(c, [&] { c->session_->OnClose(*c, code); });
  c->session_.reset();  // breaks session <-> connection cycles
  c->parser_ = WsFrameParser(ctx_.limits);
  c->set_user_data(nullptr);
}

void WsLoop::CloseAll() {
  std::vector<std::shared_ptr<WsConnection>> all;
  all.reserve(conns_.size());
  for (auto& [id, c] : conns_) all.push_back(c);
  for (auto& c : all) {
    {
      std::lock_guard lock(c->mu_);
      if (c->state_ == WsConnection::State::kOpen) {
        c->StartCloseLocked(ws_close::kGoingAway, "server shutting down");  // best effort
      }
    }
    Finalize(c);
  }
}

}  // namespace clash::host::internal
