// net/event_loop.h — one epoll thread, and a group of them (one per core) that HTTP connections and
// WebSockets share.
//
// Level- or edge-triggered registration is the caller's choice (the events mask). Every registered
// file descriptor has a key from NewLoopKey(): keys are unique in the process and never reused, so a
// stale event after a close, or a reused fd number, can never reach the wrong owner. Key 0 is the
// loop's own eventfd, which wakes it for posted tasks and for Stop().
//
// Thread-safety: Post(), Modify() and InLoopThread() are safe from any thread. Register(),
// Unregister() and AddTicker() are for the loop thread (or before Start()).
//
// Example:
//   LoopGroup loops(2);
//   loops.Start();
//   loops.loop(0).Post([&] { key = loops.loop(0).Register(fd, EPOLLIN, &handler); });
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace clash::host::net {

// A process-wide unique key for a registered descriptor; never 0.
std::uint64_t NewLoopKey();

// Milliseconds of the monotonic clock.
std::int64_t MonotonicMs();

// The owner of one or more registered descriptors: called on the loop thread with the key and the
// epoll event mask.
class LoopHandler {
 public:
  virtual ~LoopHandler() = default;
  virtual void OnEvents(std::uint64_t key, std::uint32_t events) = 0;
};

class EventLoop {
 public:
  // Creates the epoll and eventfd descriptors; throws std::system_error if the kernel refuses.
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Starts the thread. Idempotent; a stopped loop does not start again.
  void Start();
  // Runs every task already posted, then ends the thread and joins it. Idempotent. If the thread
  // never started, the queued tasks run on the caller's thread.
  void Stop();

  // Queues `task` for the loop thread (FIFO). Returns false (and drops the task) once Stop() began.
  // With `wake` false the loop is not woken for it: the task runs at the loop's next wake-up (an
  // event, a woken post, Wake(), or at the latest the next ticker).
  bool Post(std::function<void()> task, bool wake = true);
  // Wakes the loop (for tasks posted without a wake-up).
  void Wake();
  // True between Start() and Stop().
  bool running();
  bool InLoopThread() const { return std::this_thread::get_id() == thread_id_.load(); }

  // Loop thread: adds `fd` with `events` under `key` (from NewLoopKey). False if epoll refuses.
  bool Register(std::uint64_t key, int fd, std::uint32_t events, LoopHandler* handler);
  // Loop thread: removes the registration (the caller closes the fd).
  void Unregister(std::uint64_t key, int fd);
  // Any thread: changes the event mask of a registered descriptor.
  bool Modify(std::uint64_t key, int fd, std::uint32_t events) const;
  // Loop thread (or before Start): `fn(now_ms)` runs about every `period_ms` (>= 5 ms) until removed.
  // Returns an id for RemoveTicker.
  std::uint64_t AddTicker(int period_ms, std::function<void(std::int64_t)> fn);
  // Loop thread (or after the thread ended).
  void RemoveTicker(std::uint64_t id);

  int epoll_fd() const { return epfd_; }

 private:
  void Run();
  void RunTasks();
  void RunTickers(std::int64_t now);

  struct Ticker {
    std::uint64_t id;
    int period_ms;
    std::int64_t next_ms;
    std::function<void(std::int64_t)> fn;
  };

  int epfd_ = -1;
  int evfd_ = -1;
  std::thread thread_;
  std::atomic<std::thread::id> thread_id_{};

  std::mutex mu_;
  std::vector<std::function<void()>> tasks_;  // guarded by mu_
  bool wake_pending_ = false;                 // guarded by mu_: the eventfd was written since the last run
  bool stopping_ = false;                     // guarded by mu_
  bool started_ = false;                      // guarded by mu_

  // Loop thread only:
  std::unordered_map<std::uint64_t, LoopHandler*> handlers_;
  std::vector<Ticker> tickers_;
  std::uint64_t next_ticker_ = 1;
};

// N loops, one thread each; connections are spread over them.
class LoopGroup {
 public:
  // `threads` <= 0 means one per core.
  explicit LoopGroup(int threads);
  ~LoopGroup();
  LoopGroup(const LoopGroup&) = delete;
  LoopGroup& operator=(const LoopGroup&) = delete;

  void Start();
  void Stop();
  std::size_t size() const { return loops_.size(); }
  EventLoop& loop(std::size_t i) { return *loops_[i]; }
  // The loops in turn.
  EventLoop& Next();
  // The index of `loop` in this group, or size() if it is not one of ours.
  std::size_t IndexOf(const EventLoop& loop) const;

 private:
  std::vector<std::unique_ptr<EventLoop>> loops_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace clash::host::net
