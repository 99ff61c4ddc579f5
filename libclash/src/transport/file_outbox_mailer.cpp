// NewFileOutboxMailer: one RFC 5322 .eml file per message, written atomically (temp + rename).
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "clash/transport.h"
#include "transport/mail_format.h"

namespace clash {
namespace {

std::atomic<std::uint64_t> g_outbox_seq{0};

Status WriteFileAtomically(const std::filesystem::path& dir, const std::string& name, const std::string& data) {
  const std::filesystem::path tmp = dir / (".tmp-" + name);
  const std::filesystem::path dst = dir / name;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Status::Unavailable("outbox: cannot create " + tmp.string() + ": " + std::strerror(errno));
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string err = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::Unavailable("outbox: cannot write " + tmp.string() + ": " + err);
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string err = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::Unavailable("outbox: cannot flush " + tmp.string() + ": " + err);
  }
  if (::rename(tmp.c_str(), dst.c_str()) != 0) {
    const std::string err = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::Unavailable("outbox: cannot rename into " + dst.string() + ": " + err);
  }
  return Status::Ok();
}

class FileOutboxMailer final : public Mailer {
 public:
  FileOutboxMailer(std::string dir, FileOutboxOptions options) : dir_(std::move(dir)), options_(std::move(options)) {}

  Status Send(const MailMessage& message) override {
    const std::string& from = message.from.empty() ? options_.default_from : message.from;
    CLASH_RETURN_IF_ERROR(internal::ValidateMail(message, from));
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return Status::Unavailable("outbox: cannot create directory " + dir_.string() + ": " + ec.message());
    const Timestamp now = options_.clock->Now();
    const std::string name = std::to_string(now.unix_micros()) + "-" + std::to_string(::getpid()) + "-" +
                             std::to_string(g_outbox_seq.fetch_add(1)) + ".eml";
    return WriteFileAtomically(dir_, name, internal::RenderRfc5322(message, from, now, internal::NewMessageId(from)));
  }

 private:
  std::filesystem::path dir_;
  FileOutboxOptions options_;
};

}  // namespace

std::unique_ptr<Mailer> NewFileOutboxMailer(std::string dir, FileOutboxOptions options) {
  if (options.clock == nullptr) options.clock = &Clock::Real();
  return std::make_unique<FileOutboxMailer>(std::move(dir), std::move(options));
}

}  // namespace clash
