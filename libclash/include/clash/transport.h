// clash/transport.h — outbound HTTP and mail: the two transports the identity and economy modules
// use (OAuth token exchange, Razorpay, LLM APIs and FCM over HTTP; OTP and notification mail).
//
// Implement HttpClient or Mailer to add a transport backend; modules take them by reference from
// their options struct and never construct one themselves. The library ships real implementations
// (HTTP/HTTPS, SMTP with STARTTLS) and a file outbox for development and tests.
//
// Thread-safety: every HttpClient and Mailer returned here is safe for concurrent use; each call
// opens its own connection (no shared keep-alive state). No call throws.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(auto http, clash::NewHttpClient({}));
//   clash::HttpClientRequest req{.method = "POST", .url = "https://oauth2.example.com/token",
//                                .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
//                                .body = "grant_type=authorization_code&code=..."};
//   CLASH_ASSIGN_OR_RETURN(clash::HttpClientResponse resp, http->Send(req));
//   if (resp.status != 200) return clash::Status::Unauthenticated("token exchange refused");
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpClientRequest {
  std::string method{};  // "GET", "POST", ... (an HTTP token; anything else is InvalidArgument)
  std::string url{};     // absolute http:// or https:// URL, query string included
  HttpHeaders headers{};  // sent in order; names and values must not contain CR, LF or NUL
  std::string body{};    // sent with Content-Length when non-empty or when the method is POST/PUT/PATCH
  // The whole exchange (connect, send, receive the full body) must finish within this time.
  std::chrono::milliseconds timeout{10000};
};

struct HttpClientResponse {
  int status = 0;       // any status the server sent: 3xx, 4xx and 5xx are returned, not errors
  HttpHeaders headers{};  // in the order received; names as the server spelled them
  std::string body{};     // decoded from chunked transfer encoding if needed

  // The first header named `name` (case-insensitive), if any.
  std::optional<std::string_view> Header(std::string_view name) const;
};

// Implement this to add an outbound HTTP backend; application code receives one through options.
class CLASH_EXPORT HttpClient {
 public:
  HttpClient() = default;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  virtual ~HttpClient() = default;

  // Sends `request` and returns the response, whatever its HTTP status. Redirects are not followed.
  // Errors:
  //   InvalidArgument  — bad method, URL (not http/https, no host), or CR/LF in a header;
  //   DeadlineExceeded — connect, send or receive did not finish within request.timeout;
  //   Unavailable      — name resolution or connection failed, TLS handshake or certificate
  //                      verification failed, the connection broke, or the response body is larger
  //                      than the client's max_response_bytes.
  virtual Result<HttpClientResponse> Send(const HttpClientRequest& request) = 0;
};

struct HttpClientOptions {
  // PEM file of extra trusted CA certificates, used in addition to the system store (tests trust a
  // self-signed certificate this way). Empty: the system store only.
  std::string ca_file{};
  // Also trust the system CA store (/etc/ssl/certs). Turn off to trust ca_file alone.
  bool use_system_ca = true;
  // Upper bound for the TCP connect (the request's own timeout still applies).
  std::chrono::milliseconds connect_timeout{5000};
  // A response whose body is longer than this fails with Unavailable.
  std::size_t max_response_bytes = 8 * 1024 * 1024;
  // Sent as User-Agent unless the request sets one.
  std::string user_agent = "clash/0.1";
  // Measures the request deadline; tests may pass a clock they control.
  Clock* clock = &Clock::Real();
};

// The real client on Poco (HTTP/1.1; TLS with peer certificate and host name verification always
// on). Returns InvalidArgument if ca_file cannot be loaded.
CLASH_EXPORT Result<std::unique_ptr<HttpClient>> NewHttpClient(HttpClientOptions options = {});

// ---------------------------------------------------------------------------------------------
// Mail

struct MailMessage {
  // "user@example.com" or "Name <user@example.com>". Empty: the mailer's default sender.
  std::string from{};
  std::string to{};  // one recipient, same forms as `from`
  std::string subject{};  // UTF-8; encoded (RFC 2047) when not plain ASCII
  std::string text_body{};  // UTF-8 plain text; line endings are normalised to CRLF
};

// Implement this to add a mail backend; application code receives one through options.
class CLASH_EXPORT Mailer {
 public:
  Mailer() = default;
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;
  virtual ~Mailer() = default;

  // Delivers `message` (hands it to the relay or writes it to the outbox). Errors:
  //   InvalidArgument — CR, LF or NUL in from/to/subject (header injection), an address without
  //                     '@', or no sender at all;
  //   Unavailable     — the relay or the outbox directory failed. The message never contains the
  //                     SMTP password.
  //   DeadlineExceeded — the SMTP relay did not answer in time.
  virtual Status Send(const MailMessage& message) = 0;
};

struct FileOutboxOptions {
  std::string default_from = "Clash <noreply@localhost>";
  // Used for the Date header and the file names.
  Clock* clock = &Clock::Real();
};

// Writes each message as an RFC 5322 file `<dir>/<unix-micros>-<pid>-<seq>.eml` (CRLF line
// endings), atomically: a hidden temporary file in `dir` is renamed into place, so a reader that
// lists `*.eml` never sees a partial message. Creates `dir` (and parents) on first use if missing.
CLASH_EXPORT std::unique_ptr<Mailer> NewFileOutboxMailer(std::string dir, FileOutboxOptions options = {});

enum class SmtpAuthMethod { kNone, kPlain, kLogin };

struct SmtpOptions {
  std::string host{};
  int port = 587;
  std::string username{};  // empty: no AUTH
  std::string password{};
  SmtpAuthMethod auth = SmtpAuthMethod::kPlain;  // ignored when username is empty
  // Require STARTTLS: if the relay does not offer it, Send fails with Unavailable before any
  // credentials are sent. Turn off only for a relay on localhost.
  bool starttls = true;
  // PEM file of extra trusted CAs for STARTTLS (tests trust a self-signed certificate this way).
  std::string ca_file{};
  bool use_system_ca = true;
  // Connect timeout and the timeout of every reply from the relay.
  std::chrono::milliseconds timeout{10000};
  // Default sender for messages whose `from` is empty.
  std::string from{};
  // Used for the Date header.
  Clock* clock = &Clock::Real();
};

// The real SMTP mailer on Poco (one connection per message: EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT,
// DATA, QUIT). Returns InvalidArgument if host is empty or port is out of range.
CLASH_EXPORT Result<std::unique_ptr<Mailer>> NewSmtpMailer(SmtpOptions options);

}  // namespace clash
