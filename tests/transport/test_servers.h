// In-test servers on 127.0.0.1 for the transport tests: an HTTP/HTTPS server (Poco HTTPServer), a
// fake SMTP relay (EHLO, STARTTLS, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT) and self-signed
// certificates made with the openssl CLI.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace clash::testing {

struct TestCert {
  std::string cert_file;  // PEM certificate (also usable as the CA file: it is self-signed)
  std::string key_file;
};

// A self-signed EC certificate for `dns_name` (SAN DNS:<dns_name>), made once per name per process.
const TestCert& SelfSignedCert(const std::string& dns_name);

// A port on 127.0.0.1 where nothing listens (bound, then closed).
int ClosedPort();

// Routes: /echo (200; body "<method>\n<X-Test>\n<User-Agent>\n<body>", header X-Reply: yes),
// /status/<code> (that status, body "status <code>"), /slow (answers after 5 s or at shutdown),
// /big (64 KiB with Content-Length), /big-chunked (64 KiB chunked).
class TestHttpServer {
 public:
  // Plain HTTP, or HTTPS with `cert` when non-null.
  explicit TestHttpServer(const TestCert* cert = nullptr);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const { return port_; }
  // "http://localhost:<port><path>" (https when serving TLS).
  std::string Url(const std::string& path) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  bool tls_ = false;
};

struct SmtpCapture {
  int ehlo_count = 0;
  bool starttls_done = false;
  std::string auth_method;  // "PLAIN", "LOGIN" or empty
  bool auth_over_tls = false;
  std::string user, password;
  std::string mail_from, rcpt_to;
  std::string data;  // the message as received, dot-unstuffed, CRLF line endings
  bool quit = false;
};

class FakeSmtpServer {
 public:
  struct Options {
    bool offer_starttls = false;
    const TestCert* cert = nullptr;  // required when offer_starttls
    std::string user = "mailer";
    std::string password = "s3cret-pw";
  };
  explicit FakeSmtpServer(Options options);
  ~FakeSmtpServer();
  FakeSmtpServer(const FakeSmtpServer&) = delete;
  FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;

  int port() const { return port_; }
  // The capture of the most recent connection once it has ended (waits up to 5 s).
  SmtpCapture LastSession();

 private:
  void Serve();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Options options_;
  int port_ = 0;
};

}  // namespace clash::testing
