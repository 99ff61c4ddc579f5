// Small helpers for the judge's channels: socket pairs and pipes as owned pairs, and one message
// with file descriptors attached (SCM_RIGHTS). Header-only: the fork server's C helper
// (tools/zygote_helper.cpp, a separate shared object) uses them too.
#pragma once

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "judge/unique_fd.h"

namespace clash::internal {

// `parent` is the judge's end; `child` the end a sandboxed process gets (for a pipe: parent reads).
struct FdPair {
  UniqueFd parent;
  UniqueFd child;
};

inline bool MakeSocketPair(int type, FdPair& pair) {
  int fds[2];
  if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds) != 0) return false;
  pair.parent.Reset(fds[0]);
  pair.child.Reset(fds[1]);
  return true;
}

inline bool MakePipe(FdPair& pair) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  pair.parent.Reset(fds[0]);
  pair.child.Reset(fds[1]);
  return true;
}

inline constexpr int kMaxPassedFds = 8;

// Sends one message (a SEQPACKET record) with `nfds` (<= kMaxPassedFds) descriptors attached.
inline bool SendFds(int sock, const char* msg, size_t len, const int* fds, int nfds) {
  struct iovec iov = {const_cast<char*>(msg), len};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedFds)];
  struct msghdr mh {};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  if (nfds > 0) {
    mh.msg_control = control;
    mh.msg_controllen = CMSG_SPACE(sizeof(int) * static_cast<size_t>(nfds));
    struct cmsghdr* c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * static_cast<size_t>(nfds));
    std::memcpy(CMSG_DATA(c), fds, sizeof(int) * static_cast<size_t>(nfds));
  }
  ssize_t n;
  do {
    n = sendmsg(sock, &mh, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(len);
}

// Receives one message into `buf` (`size` bytes) and up to `max_fds` descriptors (close-on-exec;
// more are closed) into `fds`, their count into `nfds`. Returns the message length, 0 at EOF, -1
// on error. `flags` are recvmsg's (e.g. MSG_DONTWAIT).
inline ssize_t ReceiveFds(int sock, char* buf, size_t size, int* fds, int max_fds, int* nfds, int flags = 0) {
  struct iovec iov = {buf, size};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedFds)];
  struct msghdr mh {};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = control;
  mh.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | flags);
  } while (n < 0 && errno == EINTR);
  *nfds = 0;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&mh); c != nullptr; c = CMSG_NXTHDR(&mh, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      if (*nfds < max_fds) {
        fds[(*nfds)++] = fd;
      } else {
        close(fd);
      }
    }
  }
  return n;
}

}  // namespace clash::internal
