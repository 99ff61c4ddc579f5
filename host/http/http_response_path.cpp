// The response half of HttpConnection (http_connection.h): building the response bytes, writing
// them (from a worker or the loop), files, completion, lingering close, the WebSocket hand-over.
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "http/http_connection.h"
#include "http/json_response.h"
#include "http/response_writer.h"
#include "http/server.h"
#include "ws/ws_loop_upgrade.h"

namespace clash::host::internal {
namespace {

constexpr std::uint64_t kInlineFileBytes = 64 * 1024;  // smaller files go out with the head
constexpr std::int64_t kLingerMs = 2'000;              // reading on after an error, before closing

void Release(std::string& s) { std::string().swap(s); }

}  // namespace

void PrepareWire(Exchange& ex, bool draining, std::optional<std::uint64_t> file_length) {
  HttpResponse& resp = ex.response;
  if (WantsClose(resp) || !ex.keep_alive || draining) ex.close = true;
  ResponseHeadOptions opts;
  opts.request_id = ex.request.request_id;
  opts.content_length = file_length.value_or(resp.shared_body ? resp.shared_body->size() : resp.body.size());
  opts.close = ex.close;
  opts.keep_alive_header = ex.http10_keep_alive && !ex.close;
  ex.wire_head.clear();
  AppendResponseHead(resp, opts, &ex.wire_head);
  if (!file_length && !ex.head_only && !BodylessStatus(resp.status)) {
    if (resp.shared_body) {
      ex.wire_shared = std::move(resp.shared_body);
    } else {
      ex.wire_body = std::move(resp.body);
    }
  }
  ex.prepared = true;
}

void SendWhatFits(int fd, Exchange& ex) {
  const std::string_view body = ex.body_view();
  const std::size_t total = ex.wire_head.size() + body.size();
  while (ex.written < total) {
    iovec iov[2];
    int count = 0;
    const std::size_t head = ex.wire_head.size();
    if (ex.written < head) iov[count++] = {ex.wire_head.data() + ex.written, head - ex.written};
    const std::size_t body_off = ex.written > head ? ex.written - head : 0;
    if (body_off < body.size()) iov[count++] = {const_cast<char*>(body.data()) + body_off, body.size() - body_off};
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<std::size_t>(count);
    const ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      ex.written += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return;  // full, or broken: the loop finishes (and sees the error) when the result comes back
    }
  }
}

void HttpConnection::Respond(std::shared_ptr<Exchange> ex) {
  if (state_ == State::kClosed) return shard_.server.Finish(*ex);
  ex_ = std::move(ex);
  if (aborted_) return Close();
  std::size_t head_size = ex_->wire_head.size();
  if (!ex_->prepared) {
    ex_->keep_alive = keep_alive_;
    ex_->http10_keep_alive = http10_keep_alive_;
    HttpResponse& resp = ex_->response;
    std::optional<std::uint64_t> file_length;
    if (resp.file_path) {
      int fd = ::open(resp.file_path->c_str(), O_RDONLY | O_CLOEXEC);
      struct stat st {};
      if (fd < 0 || ::fstat(fd, &st) != 0) {
        if (fd >= 0) ::close(fd);
        resp = HttpResponse();
        WriteError(resp, 404, "Not found");
      } else {
        file_fd_ = fd;
        file_off_ = 0;
        file_length = static_cast<std::uint64_t>(st.st_size);
      }
    }
    PrepareWire(*ex_, shard_.server.draining(), file_length);
    head_size = ex_->wire_head.size();
    if (file_fd_ >= 0) {
      file_left_ = !ex_->head_only && !BodylessStatus(resp.status) ? *file_length : 0;
      if (file_left_ > 0 && file_left_ <= kInlineFileBytes) {  // small: one write with the head
        std::string& head = ex_->wire_head;
        std::size_t at = head.size();
        head.resize(at + file_left_);
        ssize_t n = ::pread(file_fd_, head.data() + at, file_left_, 0);
        head.resize(at + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
        file_left_ = 0;
      }
      if (file_left_ == 0) {
        ::close(file_fd_);
        file_fd_ = -1;
      }
    }
  }
  if (shard_.server.draining()) ex_->close = true;
  shard_.server.Observe(*ex_);
  out_ = std::move(ex_->wire_head);
  body_ = std::move(ex_->wire_body);
  body_shared_ = std::move(ex_->wire_shared);
  body_view_ = body_shared_ ? std::string_view(*body_shared_) : std::string_view(body_);
  head_len_ = head_size;
  out_off_ = ex_->written;
  state_ = State::kWriting;
  deadline_ms_ = Now() + kWriteStallMs;
}

bool HttpConnection::Flush() {
  for (;;) {
    ssize_t n;
    const bool from_file = out_off_ >= out_.size() + body_view_.size();
    if (!from_file) {
      iovec iov[2];
      int count = 0;
      if (out_off_ < out_.size()) iov[count++] = {out_.data() + out_off_, out_.size() - out_off_};
      const std::size_t body_off = out_off_ > out_.size() ? out_off_ - out_.size() : 0;
      if (body_off < body_view_.size()) {
        iov[count++] = {const_cast<char*>(body_view_.data()) + body_off, body_view_.size() - body_off};
      }
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = static_cast<std::size_t>(count);
      n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    } else if (file_left_ > 0) {
      off_t off = static_cast<off_t>(file_off_);
      n = ::sendfile(fd_, file_fd_, &off, static_cast<std::size_t>(std::min<std::uint64_t>(file_left_, 1 << 20)));
    } else {
      break;
    }
    if (n > 0) {
      if (from_file) {
        file_off_ += n;
        file_left_ -= static_cast<std::uint64_t>(n);
        ex_->body_bytes += static_cast<std::uint64_t>(n);
      } else {
        out_off_ += static_cast<std::size_t>(n);
      }
      deadline_ms_ = Now() + kWriteStallMs;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    Close();
    return false;
  }
  Complete();
  return true;
}

void HttpConnection::Complete() {
  ex_->body_bytes += out_off_ - head_len_;
  shard_.server.Finish(*ex_);
  const bool close = ex_->close || peer_eof_;
  ex_.reset();
  if (file_fd_ >= 0) ::close(file_fd_);
  file_fd_ = -1;
  Release(out_);
  Release(body_);
  body_shared_.reset();
  body_view_ = {};
  out_off_ = head_len_ = 0;
  if (close) return StartLinger();
  state_ = State::kHead;
  head_started_ = !in_.empty();  // a pipelined request is already arriving
  deadline_ms_ = Now() + (head_started_ ? shard_.server.options().head_timeout_ms
                                        : shard_.server.options().keep_alive_timeout_seconds * 1000LL);
}

void HttpConnection::StartLinger() {
  // Closing with unread input makes the kernel send a RST that can destroy the response before
  // the client reads it: send our FIN, then read and drop what comes until EOF or kLingerMs.
  ::shutdown(fd_, SHUT_WR);
  Release(in_);
  chunked_.reset();
  state_ = State::kLinger;
  deadline_ms_ = Now() + kLingerMs;
}

void HttpConnection::FinishUpgrade(std::shared_ptr<Exchange> ex, bool accepted, const std::string& accept_key,
                                   std::shared_ptr<WsSessionHandler> session) {
  if (state_ == State::kClosed) return shard_.server.Finish(*ex);
  if (!accepted) {
    Respond(std::move(ex));
    return Drive();
  }
  const std::string wire = Switching101Response(accept_key);
  if (::send(fd_, wire.data(), wire.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(wire.size())) {
    ex->response.status = 101;
    shard_.server.Finish(*ex);
    return Close();
  }
  ex->response.status = 101;
  shard_.server.Finish(*ex);
  shard_.loop.Unregister(key_, fd_);
  state_ = State::kClosed;
  shard_.server.hub_.Adopt(std::move(socket_), std::move(session), &shard_.loop, std::move(in_));
  socket_ = Poco::Net::StreamSocket();
  shard_.Retire(key_);
}

}  // namespace clash::host::internal
