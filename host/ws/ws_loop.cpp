#include "ws/ws_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <system_error>
#include <utility>

namespace clash::host::internal {
namespace {

constexpr std::uint64_t kWakeKey = 0;
constexpr std::size_t kReadBufBytes = 64 * 1024;
constexpr int kMaxReadsPerEvent = 4;  // fairness: at most 256 KB per socket per wake-up
constexpr int kMaxEvents = 256;

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

WsLoop::WsLoop(WsContext& ctx) : ctx_(ctx) {
  epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epfd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  evfd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (evfd_ < 0) {
    const int err = errno;
    ::close(epfd_);
    throw std::system_error(err, std::generic_category(), "eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeKey;
  ::epoll_ctl(epfd_, EPOLL_CTL_ADD, evfd_, &ev);
}

WsLoop::~WsLoop() {
  Stop();
  ::close(evfd_);
  ::close(epfd_);
}

void WsLoop::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stop_requested_) return;
  thread_ = std::thread([this] { Run(); });
}

void WsLoop::Stop() {
  bool started;
  {
    std::lock_guard lock(mu_);
    stop_requested_ = true;
    started = thread_.joinable();
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t w = ::write(evfd_, &one, sizeof one);
  if (started && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  if (!started) CloseAll();  // never ran: close what was adopted meanwhile, without callbacks
}

void WsLoop::Adopt(std::shared_ptr<WsConnection> connection) {
  {
    std::lock_guard lock(mu_);
    if (!stop_requested_) {
      const bool was_empty = incoming_.empty();
      incoming_.push_back(std::move(connection));
      if (!was_empty) return;  // a wake-up is already pending
      connection = nullptr;
    }
  }
  if (connection) {  // stopped: close without callbacks
    std::lock_guard lock(connection->mu_);
    connection->state_ = WsConnection::State::kClosed;
    connection->socket_.close();
    return;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t w = ::write(evfd_, &one, sizeof one);
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

void WsLoop::Run() {
  read_buf_.resize(kReadBufBytes);
  epoll_event events[kMaxEvents];
  const int tick = TickMs();
  std::int64_t next_sweep = ctx_.NowMs() + tick;
  for (;;) {
    const std::int64_t before = ctx_.NowMs();
    const int timeout = static_cast<int>(std::clamp<std::int64_t>(next_sweep - before, 0, tick));
    const int n = ::epoll_wait(epfd_, events, kMaxEvents, timeout);
    if (n < 0 && errno != EINTR) break;
    bool stop = false;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t key = events[i].data.u64;
      if (key == kWakeKey) {
        std::uint64_t count;
        [[maybe_unused]] ssize_t r = ::read(evfd_, &count, sizeof count);
        {
          std::lock_guard lock(mu_);
          stop = stop_requested_;
        }
        TakeIncoming();
        continue;
      }
      auto it = conns_.find(key);
      if (it == conns_.end()) continue;  // finalized earlier in this batch
      std::shared_ptr<WsConnection> c = it->second;
      const std::uint32_t ev = events[i].events;
      if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) HandleReadable(c);
      if ((ev & EPOLLOUT) && conns_.count(key) != 0) HandleWritable(c);
    }
    if (stop) break;
    const std::int64_t now = ctx_.NowMs();
    if (now >= next_sweep) {
      Sweep(now);
      next_sweep = now + tick;
    }
  }
  CloseAll();
}

void WsLoop::TakeIncoming() {
  std::vector<std::shared_ptr<WsConnection>> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(incoming_);
  }
  const std::int64_t now = ctx_.NowMs();
  for (auto& c : batch) {
    {
      std::lock_guard lock(c->mu_);
      if (c->state_ == WsConnection::State::kClosed) continue;
      epoll_event ev{};
      const bool want_write = !c->QueueEmptyLocked();
      ev.events = EPOLLIN | EPOLLRDHUP | (want_write ? EPOLLOUT : 0u);
      ev.data.u64 = c->id_;
      if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, c->fd_, &ev) != 0) {
        c->state_ = WsConnection::State::kClosed;
        c->socket_.close();
        continue;
      }
      c->want_write_ = want_write;
    }
    c->last_rx_ms_ = now;
    c->last_ping_ms_ = now;
    conns_.emplace(c->id_, c);
    ctx_.open.fetch_add(1, std::memory_order_relaxed);
    ctx_.opened_total.fetch_add(1, std::memory_order_relaxed);
    CallSession(c, [&] { c->session_->OnOpen(*c); });
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
    ::epoll_ctl(epfd_, EPOLL_CTL_DEL, c->fd_, nullptr);
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
  std::vector<std::shared_ptr<WsConnection>> never_opened;
  {
    std::lock_guard lock(mu_);
    never_opened.swap(incoming_);
  }
  for (auto& c : never_opened) {  // adopted but never registered: no callbacks
    std::lock_guard lock(c->mu_);
    c->state_ = WsConnection::State::kClosed;
    c->socket_.close();
  }
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
