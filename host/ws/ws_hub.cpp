#include "ws/ws_hub.h"

#include <algorithm>
#include <utility>

#include <Poco/Exception.h>

#include "ws/ws_loop.h"

namespace clash::host {

WsHub::WsHub(WsOptions options) : ctx_(std::make_unique<internal::WsContext>(std::move(options))) {
  own_loops_ = std::make_unique<net::LoopGroup>(std::max(1, ctx_->options.loop_threads));
  group_ = own_loops_.get();
  for (std::size_t i = 0; i < group_->size(); ++i) {
    loops_.push_back(std::make_unique<internal::WsLoop>(*ctx_, group_->loop(i)));
  }
}

WsHub::WsHub(WsOptions options, net::LoopGroup& loops)
    : ctx_(std::make_unique<internal::WsContext>(std::move(options))), group_(&loops) {
  for (std::size_t i = 0; i < group_->size(); ++i) {
    loops_.push_back(std::make_unique<internal::WsLoop>(*ctx_, group_->loop(i)));
  }
}

WsHub::~WsHub() { Stop(); }

void WsHub::Start() {
  std::lock_guard lock(lifecycle_mu_);
  if (stopped_ || accepting_) return;
  if (own_loops_) own_loops_->Start();
  for (auto& loop : loops_) loop->Start();
  accepting_ = true;
}

void WsHub::Stop() {
  std::lock_guard lock(lifecycle_mu_);
  if (stopped_) return;
  stopped_ = true;
  accepting_ = false;
  for (auto& loop : loops_) loop->Stop();
  if (own_loops_) own_loops_->Stop();
}

std::shared_ptr<WsConnection> WsHub::Adopt(Poco::Net::StreamSocket socket,
                                           std::shared_ptr<WsSessionHandler> session) {
  return Adopt(std::move(socket), std::move(session), nullptr, {});
}

std::shared_ptr<WsConnection> WsHub::Adopt(Poco::Net::StreamSocket socket, std::shared_ptr<WsSessionHandler> session,
                                           const net::EventLoop* on, std::string initial) {
  if (!session || !accepting_) {
    socket.close();
    return nullptr;
  }
  try {
    socket.setBlocking(false);
    if (ctx_->options.send_buffer_bytes > 0) socket.setSendBufferSize(ctx_->options.send_buffer_bytes);
  } catch (const Poco::Exception&) {
    socket.close();  // the peer is already gone
    return nullptr;
  }
  std::size_t index = on != nullptr ? group_->IndexOf(*on) : loops_.size();
  if (index >= loops_.size()) index = next_loop_.fetch_add(1, std::memory_order_relaxed) % loops_.size();
  internal::WsLoop* loop = loops_[index].get();
  std::shared_ptr<WsConnection> c(
      new WsConnection(net::NewLoopKey(), std::move(socket), std::move(session), loop, ctx_.get()));
  loop->Adopt(c, std::move(initial));
  return c;
}

std::size_t WsHub::open_count() const { return ctx_->open.load(std::memory_order_relaxed); }

WsStats WsHub::stats() const {
  WsStats s;
  s.open = ctx_->open.load(std::memory_order_relaxed);
  s.opened_total = ctx_->opened_total.load(std::memory_order_relaxed);
  s.closed_total = ctx_->closed_total.load(std::memory_order_relaxed);
  s.dropped_slow_readers = ctx_->dropped_slow_readers.load(std::memory_order_relaxed);
  s.idle_timeouts = ctx_->idle_timeouts.load(std::memory_order_relaxed);
  s.protocol_errors = ctx_->protocol_errors.load(std::memory_order_relaxed);
  s.messages_in = ctx_->messages_in.load(std::memory_order_relaxed);
  s.messages_out = ctx_->messages_out.load(std::memory_order_relaxed);
  return s;
}

const WsOptions& WsHub::options() const { return ctx_->options; }

std::shared_ptr<const std::string> WsHub::EncodeText(std::string_view text) {
  return std::make_shared<const std::string>(EncodeWsFrame(WsOpcode::kText, text));
}

std::shared_ptr<const std::string> WsHub::EncodeBinary(std::string_view data) {
  return std::make_shared<const std::string>(EncodeWsFrame(WsOpcode::kBinary, data));
}

}  // namespace clash::host
