// NewSmtpMailer: SMTP submission on Poco's SecureSMTPClientSession (STARTTLS, AUTH PLAIN/LOGIN).
#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <sstream>

#include "clash/transport.h"
#include "transport/mail_format.h"
#include "transport/tls_context.h"

namespace clash {
namespace {

// Removes every occurrence of `secret` from `text` (server replies and exception texts could echo it).
std::string Redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "***");
  }
  return text;
}

// Poco's SecureSMTPClientSession(socket) attaches TLS without a peer host name, which defeats host
// name verification; this session passes the configured host.
class Session final : public Poco::Net::SMTPClientSession {
 public:
  using SMTPClientSession::SMTPClientSession;

  // Sends STARTTLS and performs the handshake. Returns false if the relay refuses STARTTLS.
  bool StartTls(const std::string& host, Poco::Net::Context::Ptr tls) {
    std::string response;
    if (!isPositiveCompletion(sendCommand("STARTTLS", response))) return false;
    Poco::Net::SecureStreamSocket secure(Poco::Net::SecureStreamSocket::attach(socket(), host, std::move(tls)));
    socket() = secure;
    return true;
  }

  // Sends `command`; throws SMTPException unless the reply is 2xx (or 3xx if `intermediate_ok`).
  void Command(const std::string& command, bool intermediate_ok) {
    std::string response;
    const int status = sendCommand(command, response);
    if (isPositiveCompletion(status) || (intermediate_ok && isPositiveIntermediate(status))) return;
    throw Poco::Net::SMTPException("the relay refused the command", response, status);
  }
};

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(SmtpOptions options, Poco::Net::Context::Ptr tls) : options_(std::move(options)), tls_(std::move(tls)) {}

  Status Send(const MailMessage& message) override {
    const std::string& from = message.from.empty() ? options_.from : message.from;
    CLASH_RETURN_IF_ERROR(internal::ValidateMail(message, from));
    const std::string data =
        internal::RenderRfc5322(message, from, options_.clock->Now(), internal::NewMessageId(from));
    const std::string where = "smtp " + options_.host + ":" + std::to_string(options_.port);
    const char* stage = "connect";
    try {
      const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout).count());
      Poco::Net::StreamSocket socket;
      socket.connect(Poco::Net::SocketAddress(options_.host, static_cast<Poco::UInt16>(options_.port)), timeout);
      Session session(socket);
      session.setTimeout(timeout);
      stage = "EHLO";
      session.login();
      if (options_.starttls) {
        stage = "STARTTLS";
        if (!session.StartTls(options_.host, tls_)) return Status::Unavailable(where + ": the relay does not offer STARTTLS");
        session.setTimeout(timeout);
      }
      stage = "AUTH";
      if (options_.username.empty() || options_.auth == SmtpAuthMethod::kNone) {
        if (options_.starttls) session.login();  // EHLO again over TLS
      } else {
        const auto method = options_.auth == SmtpAuthMethod::kLogin ? Poco::Net::SMTPClientSession::AUTH_LOGIN
                                                                    : Poco::Net::SMTPClientSession::AUTH_PLAIN;
        session.login(method, options_.username, options_.password);
      }
      // RFC 5321 wants "MAIL FROM:<path>" without a space (Poco's sendAddresses adds one).
      stage = "MAIL FROM";
      session.Command("MAIL FROM:<" + internal::AddrSpec(from) + ">", /*intermediate_ok=*/false);
      stage = "RCPT TO";
      session.Command("RCPT TO:<" + internal::AddrSpec(message.to) + ">", false);
      stage = "DATA";
      session.Command("DATA", /*intermediate_ok=*/true);
      std::istringstream in(data);
      session.sendMessage(in);
      stage = "QUIT";
      try {
        session.close();
      } catch (...) {  // the message is accepted; a failed QUIT does not matter
      }
      return Status::Ok();
    } catch (const Poco::TimeoutException&) {
      return Status::DeadlineExceeded(where + ": timed out during " + stage);
    } catch (const Poco::Net::SSLException& e) {
      return Status::Unavailable(where + ": TLS failed during " + stage + ": " + Redact(e.displayText(), options_.password));
    } catch (...) {
      return Status::Unavailable(where + ": " + stage + " failed: " +
                                 Redact(internal::DescribeException(), options_.password));
    }
  }

 private:
  SmtpOptions options_;
  Poco::Net::Context::Ptr tls_;
};

}  // namespace

Result<std::unique_ptr<Mailer>> NewSmtpMailer(SmtpOptions options) {
  if (options.host.empty()) return Status::InvalidArgument("SmtpOptions.host is empty");
  if (options.port < 1 || options.port > 65535) return Status::InvalidArgument("SmtpOptions.port is out of range");
  if (options.clock == nullptr) options.clock = &Clock::Real();
  if (options.timeout <= std::chrono::milliseconds(0)) return Status::InvalidArgument("SmtpOptions.timeout must be positive");
  Poco::Net::Context::Ptr tls;
  if (options.starttls) {
    CLASH_ASSIGN_OR_RETURN(tls, internal::NewClientTlsContext(options.ca_file, options.use_system_ca));
  }
  return std::unique_ptr<Mailer>(std::make_unique<SmtpMailer>(std::move(options), std::move(tls)));
}

}  // namespace clash
