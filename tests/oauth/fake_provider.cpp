#include "oauth/fake_provider.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <condition_variable>
#include <mutex>

namespace clash::testing {

struct FakeProvider::Impl {
  struct Grant {
    std::string profile, emails;
  };
  mutable std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  bool slow = false;
  std::map<std::string, Grant> codes;    // code -> grant
  std::map<std::string, Grant> tokens;   // access token -> grant
  std::vector<TokenRequest> token_requests;
  int token_seq = 0;
  Poco::ThreadPool pool{2, 16};
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
};

namespace {

std::map<std::string, std::string> ParseForm(const std::string& body) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t amp = body.find('&', start);
    std::string pair = body.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    std::size_t eq = pair.find('=');
    std::string key, value;
    Poco::URI::decode(pair.substr(0, eq), key, /*plusAsSpace=*/true);
    if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value, true);
    out[key] = value;
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeProvider::Impl& impl) : impl_(impl) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
    std::string body;
    Poco::StreamCopier::copyToString(req.stream(), body);
    std::unique_lock<std::mutex> lock(impl_.mu);
    if (impl_.slow) impl_.cv.wait_for(lock, std::chrono::seconds(3), [&] { return impl_.stopping; });
    const std::string path = Poco::URI(req.getURI()).getPath();
    resp.setContentType("application/json");
    if (req.getMethod() == "POST" && (path == "/login/oauth/access_token" || path == "/token")) {
      auto form = ParseForm(body);
      impl_.token_requests.push_back({path, req.get("Accept", ""), form});
      auto it = impl_.codes.find(form["code"]);
      if (it == impl_.codes.end()) {
        if (path == "/token") {
          return Send(resp, 400, R"({"error":"invalid_grant","error_description":"Bad Request"})");
        }
        return Send(resp, 200,
                    R"({"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."})");
      }
      std::string token = "tok-" + std::to_string(++impl_.token_seq);
      impl_.tokens[token] = it->second;
      impl_.codes.erase(it);  // codes are single-use, as at the real providers
      return Send(resp, 200, R"({"access_token":")" + token + R"(","token_type":"bearer","scope":"user:email"})");
    }
    std::string auth = req.get("Authorization", "");
    auto grant = auth.rfind("Bearer ", 0) == 0 ? impl_.tokens.find(auth.substr(7)) : impl_.tokens.end();
    if (grant == impl_.tokens.end()) return Send(resp, 401, R"({"message":"Bad credentials"})");
    if (path == "/user" || path == "/v1/userinfo") return Send(resp, 200, grant->second.profile);
    if (path == "/user/emails") return Send(resp, 200, grant->second.emails);
    Send(resp, 404, R"({"message":"Not Found"})");
  }

 private:
  static void Send(Poco::Net::HTTPServerResponse& resp, int status, const std::string& body) {
    resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    resp.sendBuffer(body.data(), body.size());
  }
  FakeProvider::Impl& impl_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeProvider::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(impl_);
  }

 private:
  FakeProvider::Impl& impl_;
};

}  // namespace

FakeProvider::FakeProvider() : impl_(std::make_unique<Impl>()) {
  auto* params = new Poco::Net::HTTPServerParams();
  params->setMaxThreads(16);
  params->setKeepAlive(false);
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  impl_->port = socket.address().port();
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), impl_->pool, socket, params);
  impl_->server->start();
}

FakeProvider::~FakeProvider() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->server->stopAll(true);
  impl_->pool.joinAll();
}

std::string FakeProvider::base() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

void FakeProvider::AddCode(const std::string& code, const std::string& profile_json, const std::string& emails_json) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->codes[code] = {profile_json, emails_json};
}

void FakeProvider::SetSlow(bool slow) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->slow = slow;
}

std::vector<FakeProvider::TokenRequest> FakeProvider::token_requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->token_requests;
}

int ClosedLocalPort() {
  Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = s.address().port();
  s.close();
  return port;
}

}  // namespace clash::testing
