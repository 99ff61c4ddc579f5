#include "net/event_loop.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <system_error>
#include <utility>

namespace clash::host::net {
namespace {

constexpr std::uint64_t kWakeKey = 0;
constexpr int kMaxEvents = 256;

}  // namespace

std::uint64_t NewLoopKey() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

EventLoop::EventLoop() {
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

EventLoop::~EventLoop() {
  Stop();
  ::close(evfd_);
  ::close(epfd_);
}

void EventLoop::Start() {
  std::lock_guard lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "clash-loop");
    thread_id_ = std::this_thread::get_id();
    Run();
  });
}

void EventLoop::Stop() {
  bool started;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    started = started_;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t w = ::write(evfd_, &one, sizeof one);
  if (started) {
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  } else {
    RunTasks();  // never ran: what was posted runs here
  }
}

bool EventLoop::running() {
  std::lock_guard lock(mu_);
  return started_ && !stopping_;
}

bool EventLoop::Post(std::function<void()> task, bool wake) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    tasks_.push_back(std::move(task));
    if (!wake || wake_pending_) return true;
    wake_pending_ = true;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t w = ::write(evfd_, &one, sizeof one);
  return true;
}

void EventLoop::Wake() {
  {
    std::lock_guard lock(mu_);
    if (wake_pending_) return;
    wake_pending_ = true;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t w = ::write(evfd_, &one, sizeof one);
}

bool EventLoop::Register(std::uint64_t key, int fd, std::uint32_t events, LoopHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = key;
  if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) return false;
  handlers_[key] = handler;
  return true;
}

void EventLoop::Unregister(std::uint64_t key, int fd) {
  ::epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
  handlers_.erase(key);
}

bool EventLoop::Modify(std::uint64_t key, int fd, std::uint32_t events) const {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = key;
  return ::epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) == 0;
}

std::uint64_t EventLoop::AddTicker(int period_ms, std::function<void(std::int64_t)> fn) {
  period_ms = std::max(period_ms, 5);
  const std::uint64_t id = next_ticker_++;
  tickers_.push_back(Ticker{id, period_ms, MonotonicMs() + period_ms, std::move(fn)});
  return id;
}

void EventLoop::RemoveTicker(std::uint64_t id) {
  std::erase_if(tickers_, [id](const Ticker& t) { return t.id == id; });
}

void EventLoop::RunTasks() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(tasks_);
    wake_pending_ = false;
  }
  for (auto& task : batch) task();
}

void EventLoop::RunTickers(std::int64_t now) {
  for (std::size_t i = 0; i < tickers_.size(); ++i) {  // a ticker may add another
    if (now < tickers_[i].next_ms) continue;
    tickers_[i].next_ms = now + tickers_[i].period_ms;
    auto fn = tickers_[i].fn;
    fn(now);
  }
}

void EventLoop::Run() {
  epoll_event events[kMaxEvents];
  for (;;) {
    std::int64_t now = MonotonicMs();
    std::int64_t timeout = 1000;
    for (const Ticker& t : tickers_) timeout = std::min(timeout, t.next_ms - now);
    const int n = ::epoll_wait(epfd_, events, kMaxEvents, static_cast<int>(std::max<std::int64_t>(timeout, 0)));
    if (n < 0 && errno != EINTR) break;
    bool woken = false;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t key = events[i].data.u64;
      if (key == kWakeKey) {
        woken = true;
        continue;
      }
      auto it = handlers_.find(key);
      if (it == handlers_.end()) continue;  // unregistered earlier in this batch
      it->second->OnEvents(key, events[i].events);
    }
    if (woken) {
      std::uint64_t count;
      [[maybe_unused]] ssize_t r = ::read(evfd_, &count, sizeof count);
    }
    RunTasks();
    RunTickers(MonotonicMs());
    bool stop;
    {
      std::lock_guard lock(mu_);
      stop = stopping_;
    }
    if (stop) break;
  }
  RunTasks();  // whatever was posted before Stop()
}

LoopGroup::LoopGroup(int threads) {
  int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) loops_.push_back(std::make_unique<EventLoop>());
}

LoopGroup::~LoopGroup() { Stop(); }

void LoopGroup::Start() {
  for (auto& l : loops_) l->Start();
}

void LoopGroup::Stop() {
  for (auto& l : loops_) l->Stop();
}

EventLoop& LoopGroup::Next() { return *loops_[next_.fetch_add(1, std::memory_order_relaxed) % loops_.size()]; }

std::size_t LoopGroup::IndexOf(const EventLoop& loop) const {
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    if (loops_[i].get() == &loop) return i;
  }
  return loops_.size();
}

}  // namespace clash::host::net
