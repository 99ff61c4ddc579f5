#include "judge/process_io.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace clash::internal {
namespace {

void SetNonBlocking(int fd) {
  if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// A stream we write: advances `pending` and shuts the socket down when done or broken.
void Feed(UniqueFd& fd, std::string_view& pending) {
  while (!pending.empty()) {
    ssize_t n = send(fd.get(), pending.data(), pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      pending.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    pending = {};  // the reader is gone (EPIPE, ECONNRESET)
  }
  shutdown(fd.get(), SHUT_WR);
}

// Reads what is available. Returns false at EOF (or on error). Sets `over` if `buf` would exceed
// `cap` (counting `shared`, the bytes already used by sibling streams).
bool Drain(int fd, std::string& buf, std::int64_t cap, std::int64_t& shared, bool& over) {
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n > 0) {
      std::int64_t room = cap - shared;
      if (n > room) {
        if (room > 0) buf.append(chunk, static_cast<size_t>(room));
        shared = cap;
        over = true;
        return true;
      }
      buf.append(chunk, static_cast<size_t>(n));
      shared += n;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;
  }
}

}  // namespace

DriveResult Drive(SandboxProcess& proc, const DriveSpec& spec, const Clock& clock) {
  DriveResult r;
  const auto start = clock.Monotonic();
  const auto deadline = start + spec.wall;
  std::string_view in = spec.input;
  std::string_view ctl_in = spec.control_input;
  for (UniqueFd* fd : {&proc.stdin_fd, &proc.stdout_fd, &proc.stderr_fd, &proc.control_fd}) {
    SetNonBlocking(fd->get());
  }
  bool in_open = proc.stdin_fd.valid(), ctl_out_open = proc.control_fd.valid();
  bool out_open = proc.stdout_fd.valid(), err_open = proc.stderr_fd.valid();
  bool ctl_in_open = proc.control_fd.valid();
  std::int64_t output_used = 0, control_used = 0;
  if (in_open) {
    Feed(proc.stdin_fd, in);
    in_open = !in.empty();
  }
  if (ctl_out_open) {
    Feed(proc.control_fd, ctl_in);
    ctl_out_open = !ctl_in.empty();
  }

  bool exited = false;
  while (!exited) {
    auto now = clock.Monotonic();
    if (now >= deadline) {
      r.timed_out = true;
      break;
    }
    auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    struct pollfd pfds[5];
    int n = 0;
    int i_pid = n;
    pfds[n++] = {proc.pidfd.get(), POLLIN, 0};
    int i_in = -1, i_out = -1, i_err = -1, i_ctl = -1;
    if (in_open) { i_in = n; pfds[n++] = {proc.stdin_fd.get(), POLLOUT, 0}; }
    if (out_open) { i_out = n; pfds[n++] = {proc.stdout_fd.get(), POLLIN, 0}; }
    if (err_open) { i_err = n; pfds[n++] = {proc.stderr_fd.get(), POLLIN, 0}; }
    if (ctl_in_open || ctl_out_open) {
      i_ctl = n;
      short ev = static_cast<short>((ctl_in_open ? POLLIN : 0) | (ctl_out_open ? POLLOUT : 0));
      pfds[n++] = {proc.control_fd.get(), ev, 0};
    }
    int rc = poll(pfds, static_cast<nfds_t>(n), static_cast<int>(left_ms));
    if (rc < 0 && errno != EINTR) break;
    if (rc <= 0) continue;
    if (i_in >= 0 && pfds[i_in].revents != 0) {
      Feed(proc.stdin_fd, in);
      in_open = !in.empty();
    }
    if (i_out >= 0 && pfds[i_out].revents != 0) {
      out_open = Drain(proc.stdout_fd.get(), r.out, spec.output_cap, output_used, r.output_exceeded);
    }
    if (i_err >= 0 && pfds[i_err].revents != 0) {
      err_open = Drain(proc.stderr_fd.get(), r.err, spec.output_cap, output_used, r.output_exceeded);
    }
    if (i_ctl >= 0 && pfds[i_ctl].revents != 0) {
      if (ctl_out_open && (pfds[i_ctl].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
        Feed(proc.control_fd, ctl_in);
        ctl_out_open = !ctl_in.empty();
      }
      if (ctl_in_open && (pfds[i_ctl].revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
        ctl_in_open = Drain(proc.control_fd.get(), r.control, spec.control_cap, control_used,
                            r.control_exceeded);
      }
    }
    if (r.output_exceeded || r.control_exceeded) break;
    if (pfds[i_pid].revents != 0) exited = true;
  }
  if (!exited) proc.Kill();
  r.exit = proc.Reap();
  r.wall = clock.Monotonic() - start;
  // Whatever the program wrote before it exited is still in the pipes; take it without waiting.
  bool over = false;
  if (out_open && !r.output_exceeded) Drain(proc.stdout_fd.get(), r.out, spec.output_cap, output_used, over);
  if (err_open && !r.output_exceeded) Drain(proc.stderr_fd.get(), r.err, spec.output_cap, output_used, over);
  if (over) r.output_exceeded = true;
  if (proc.usage_fd.valid()) {
    std::string line;
    std::int64_t used = 0;
    bool over2 = false;
    Drain(proc.usage_fd.get(), line, 256, used, over2);
    long long st = 0, cpu = 0, rss = 0;
    if (!line.empty() && line.back() == '\n' &&
        std::sscanf(line.c_str(), "%lld %lld %lld", &st, &cpu, &rss) == 3) {
      r.command = {true, static_cast<int>(st), cpu, rss};
    }
  }
  if (ctl_in_open && !r.control_exceeded) {
    Drain(proc.control_fd.get(), r.control, spec.control_cap, control_used, r.control_exceeded);
  }
  return r;
}

}  // namespace clash::internal
