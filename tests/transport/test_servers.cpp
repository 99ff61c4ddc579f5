#include "transport/test_servers.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>

#include "support/test_support.h"

namespace clash::testing {

// ---------------------------------------------------------------------------------------------
// Certificates

const TestCert& SelfSignedCert(const std::string& dns_name) {
  static std::mutex mu;
  static TempDir* dir = new TempDir();  // leaked on purpose: lives until exit
  static std::map<std::string, TestCert> certs;
  std::lock_guard<std::mutex> lock(mu);
  auto it = certs.find(dns_name);
  if (it != certs.end()) return it->second;
  TestCert c;
  c.cert_file = (dir->path() / (dns_name + ".crt")).string();
  c.key_file = (dir->path() / (dns_name + ".key")).string();
  const std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=" + dns_name +
      " -addext subjectAltName=DNS:" + dns_name + " -keyout " + c.key_file + " -out " + c.cert_file +
      " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl req failed: " + cmd);
  return certs.emplace(dns_name, c).first->second;
}

namespace {

Poco::Net::Context::Ptr ServerContext(const TestCert& cert) {
  Poco::Net::initializeSSL();
  Poco::Net::Context::Params p;
  p.privateKeyFile = cert.key_file;
  p.certificateFile = cert.cert_file;
  p.verificationMode = Poco::Net::Context::VERIFY_NONE;
  return new Poco::Net::Context(Poco::Net::Context::SERVER_USE, p);
}

}  // namespace

int ClosedPort() {
  Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = s.address().port();
  s.close();
  return port;
}

// ---------------------------------------------------------------------------------------------
// HTTP

struct TestHttpServer::Impl {
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  Poco::ThreadPool pool{2, 16};
  std::unique_ptr<Poco::Net::HTTPServer> server;
};

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(TestHttpServer::Impl& impl) : impl_(impl) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
    std::string body;
    Poco::StreamCopier::copyToString(req.stream(), body);
    const std::string uri = req.getURI();
    if (uri == "/echo" || uri.rfind("/echo?", 0) == 0) {
      resp.set("X-Reply", "yes");
      const std::string out = req.getMethod() + "\n" + req.get("X-Test", "") + "\n" + req.get("User-Agent", "") +
                              "\n" + uri + "\n" + body;
      resp.sendBuffer(out.data(), out.size());
    } else if (uri.rfind("/status/", 0) == 0) {
      const int code = std::stoi(uri.substr(8));
      resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(code));
      const std::string out = "status " + std::to_string(code);
      resp.sendBuffer(out.data(), out.size());
    } else if (uri == "/slow") {
      std::unique_lock<std::mutex> lock(impl_.mu);
      impl_.cv.wait_for(lock, std::chrono::seconds(5), [&] { return impl_.stopping; });
      lock.unlock();
      resp.sendBuffer("late", 4);
    } else if (uri == "/big") {
      const std::string out(64 * 1024, 'x');
      resp.sendBuffer(out.data(), out.size());
    } else if (uri == "/big-chunked") {
      resp.setChunkedTransferEncoding(true);
      std::ostream& os = resp.send();
      const std::string piece(1024, 'y');
      for (int i = 0; i < 64; ++i) os << piece;
    } else {
      resp.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      resp.send();
    }
  }

 private:
  TestHttpServer::Impl& impl_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(TestHttpServer::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(impl_);
  }

 private:
  TestHttpServer::Impl& impl_;
};

}  // namespace

TestHttpServer::TestHttpServer(const TestCert* cert) : impl_(std::make_unique<Impl>()), tls_(cert != nullptr) {
  auto* params = new Poco::Net::HTTPServerParams();
  params->setMaxThreads(16);
  params->setKeepAlive(false);
  const Poco::Net::SocketAddress addr("127.0.0.1", 0);
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  if (cert != nullptr) {
    socket = std::make_unique<Poco::Net::SecureServerSocket>(addr, 64, ServerContext(*cert));
  } else {
    socket = std::make_unique<Poco::Net::ServerSocket>(addr);
  }
  port_ = socket->address().port();
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), impl_->pool, *socket, params);
  impl_->server->start();
}

TestHttpServer::~TestHttpServer() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->server->stopAll(true);
  impl_->pool.joinAll();
}

std::string TestHttpServer::Url(const std::string& path) const {
  return std::string(tls_ ? "https" : "http") + "://localhost:" + std::to_string(port_) + path;
}

// ---------------------------------------------------------------------------------------------
// SMTP

struct FakeSmtpServer::Impl {
  Poco::Net::ServerSocket listener{Poco::Net::SocketAddress("127.0.0.1", 0)};
  std::atomic<bool> stop{false};
  std::thread thread;
  std::mutex mu;
  std::condition_variable cv;
  int sessions_done = 0;
  SmtpCapture last;
};

namespace {

std::string B64Decode(const std::string& in) {
  std::istringstream is(in);
  Poco::Base64Decoder dec(is);
  std::string out;
  Poco::StreamCopier::copyToString(dec, out);
  return out;
}

// Line-oriented I/O over a socket that may be upgraded to TLS.
class LineSocket {
 public:
  explicit LineSocket(Poco::Net::StreamSocket s) : sock_(std::move(s)) {}
  bool ReadLine(std::string& line) {
    while (true) {
      const auto eol = buf_.find("\r\n");
      if (eol != std::string::npos) {
        line = buf_.substr(0, eol);
        buf_.erase(0, eol + 2);
        return true;
      }
      char tmp[4096];
      const int n = sock_.receiveBytes(tmp, sizeof tmp);
      if (n <= 0) return false;
      buf_.append(tmp, static_cast<std::size_t>(n));
    }
  }
  void Send(const std::string& text) { sock_.sendBytes(text.data(), static_cast<int>(text.size())); }
  void UpgradeToTls(Poco::Net::Context::Ptr ctx) {
    buf_.clear();
    sock_ = Poco::Net::SecureStreamSocket::attach(sock_, std::move(ctx));
  }

 private:
  Poco::Net::StreamSocket sock_;
  std::string buf_;
};

}  // namespace

FakeSmtpServer::FakeSmtpServer(Options options) : impl_(std::make_unique<Impl>()), options_(std::move(options)) {
  port_ = impl_->listener.address().port();
  impl_->thread = std::thread([this] { Serve(); });
}

FakeSmtpServer::~FakeSmtpServer() {
  impl_->stop = true;
  impl_->thread.join();
}

SmtpCapture FakeSmtpServer::LastSession() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->cv.wait_for(lock, std::chrono::seconds(5), [&] { return impl_->sessions_done > 0; });
  return impl_->last;
}

void FakeSmtpServer::Serve() {
  Poco::Net::Context::Ptr tls;
  if (options_.offer_starttls) tls = ServerContext(*options_.cert);
  while (!impl_->stop) {
    if (!impl_->listener.poll(Poco::Timespan(50'000), Poco::Net::Socket::SELECT_READ)) continue;
    SmtpCapture cap;
    try {
      Poco::Net::StreamSocket s = impl_->listener.acceptConnection();
      s.setReceiveTimeout(Poco::Timespan(5, 0));
      LineSocket io(s);
      auto check_auth = [&](const std::string& user, const std::string& pass) {
        cap.user = user;
        cap.password = pass;
        cap.auth_over_tls = cap.starttls_done;
        if (user == options_.user && pass == options_.password) {
          io.Send("235 2.7.0 Authentication successful\r\n");
        } else {
          io.Send("535 5.7.8 bad credentials " + user + "/" + pass + "\r\n");  // echoes on purpose
        }
      };
      io.Send("220 fake.test ESMTP\r\n");
      std::string line;
      while (io.ReadLine(line)) {
        std::string upper = line;
        for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (upper.rfind("EHLO", 0) == 0) {
          ++cap.ehlo_count;
          std::string r = "250-fake.test\r\n";
          if (options_.offer_starttls && !cap.starttls_done) r += "250-STARTTLS\r\n";
          r += "250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n";
          io.Send(r);
        } else if (upper.rfind("HELO", 0) == 0) {
          io.Send("250 fake.test\r\n");
        } else if (upper == "STARTTLS" && options_.offer_starttls && !cap.starttls_done) {
          io.Send("220 2.0.0 Ready to start TLS\r\n");
          io.UpgradeToTls(tls);
          cap.starttls_done = true;
        } else if (upper.rfind("AUTH PLAIN", 0) == 0) {
          cap.auth_method = "PLAIN";
          std::string b64 = line.size() > 11 ? line.substr(11) : "";
          if (b64.empty()) {
            io.Send("334 \r\n");
            if (!io.ReadLine(b64)) break;
          }
          const std::string raw = B64Decode(b64);  // authzid \0 user \0 password
          const auto a = raw.find('\0');
          const auto b = raw.find('\0', a + 1);
          check_auth(raw.substr(a + 1, b - a - 1), raw.substr(b + 1));
        } else if (upper.rfind("AUTH LOGIN", 0) == 0) {
          cap.auth_method = "LOGIN";
          std::string u, p;
          io.Send("334 VXNlcm5hbWU6\r\n");
          if (!io.ReadLine(u)) break;
          io.Send("334 UGFzc3dvcmQ6\r\n");
          if (!io.ReadLine(p)) break;
          check_auth(B64Decode(u), B64Decode(p));
        } else if (upper.rfind("MAIL FROM:", 0) == 0) {
          cap.mail_from = line.substr(10);
          io.Send("250 2.1.0 Ok\r\n");
        } else if (upper.rfind("RCPT TO:", 0) == 0) {
          cap.rcpt_to = line.substr(8);
          io.Send("250 2.1.5 Ok\r\n");
        } else if (upper == "DATA") {
          io.Send("354 End data with <CR><LF>.<CR><LF>\r\n");
          std::string d;
          while (io.ReadLine(d) && d != ".") {
            if (!d.empty() && d[0] == '.') d.erase(0, 1);
            cap.data += d + "\r\n";
          }
          io.Send("250 2.0.0 Ok: queued\r\n");
        } else if (upper == "QUIT") {
          cap.quit = true;
          io.Send("221 2.0.0 Bye\r\n");
          break;
        } else if (upper == "RSET" || upper == "NOOP") {
          io.Send("250 Ok\r\n");
        } else {
          io.Send("502 5.5.2 Command not recognized\r\n");
        }
      }
    } catch (...) {  // a client that fails TLS or disconnects ends the session
    }
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->last = cap;
    ++impl_->sessions_done;
    impl_->cv.notify_all();
  }
}

}  // namespace clash::testing
