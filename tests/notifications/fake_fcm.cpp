#include "notifications/fake_fcm.h"

#include <Poco/Net/HTMLForm.h>
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

#include <nlohmann/json.hpp>

#include "common/crypto.h"
#include "security/token_key.h"

namespace clash::testing {

using nlohmann::json;

struct FakeFcm::Impl {
  std::shared_ptr<const internal::TokenKey> key;
  std::string project_id;
  std::string client_email;
  mutable std::mutex mu;
  std::map<std::string, std::vector<Reply>> script;
  std::vector<Send> sends;
  int exchanges = 0;
  int refused = 0;
  std::vector<std::string> issued;  // access tokens handed out
  int port = 0;
  Poco::ThreadPool pool{2, 8};
  std::unique_ptr<Poco::Net::HTTPServer> server;

  // The token endpoint: a form with grant_type and a signed assertion.
  std::pair<int, std::string> Token(const std::string& body) {
    Poco::Net::HTMLForm form;
    std::istringstream in(body);
    form.read(in);
    if (form.get("grant_type", "") != "urn:ietf:params:oauth:grant-type:jwt-bearer") return {400, "{}"};
    const std::string jwt = form.get("assertion", "");
    std::size_t dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
    if (dot1 == std::string::npos || dot2 == dot1) return {400, "{}"};
    std::optional<std::string> sig = internal::Base64UrlDecode(jwt.substr(dot2 + 1));
    std::optional<std::string> claims_text = internal::Base64UrlDecode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
    if (!sig || !claims_text || !internal::VerifyRs256(*key, jwt.substr(0, dot2), *sig)) return {401, "{}"};
    json claims = json::parse(*claims_text, nullptr, false);
    if (!claims.is_object() || claims.value("iss", "") != client_email ||
        claims.value("scope", "") != "https://www.googleapis.com/auth/firebase.messaging" ||
        claims.value("aud", "").find("/token") == std::string::npos ||
        claims.value("exp", 0LL) - claims.value("iat", 0LL) != 3600) {
      return {401, "{}"};
    }
    std::lock_guard<std::mutex> lock(mu);
    issued.push_back("ya29.fake-" + std::to_string(++exchanges));
    return {200, json{{"access_token", issued.back()}, {"expires_in", 3600}, {"token_type", "Bearer"}}.dump()};
  }

  std::pair<int, std::string> SendMessage(const std::string& authorization, const std::string& body,
                                          std::string* retry_after) {
    json j = json::parse(body, nullptr, false);
    std::lock_guard<std::mutex> lock(mu);
    bool known = false;
    for (const std::string& t : issued) known = known || authorization == "Bearer " + t;
    if (!known) {
      ++refused;
      return {401, R"({"error":{"code":401,"status":"UNAUTHENTICATED"}})"};
    }
    if (!j.is_object() || !j.contains("message") || !j["message"].contains("token")) return {400, "{}"};
    Send s;
    s.token = j["message"]["token"];
    for (const auto& [k, v] : j["message"]["data"].items()) {
      if (!v.is_string()) return {400, R"({"error":{"status":"INVALID_ARGUMENT"}})"};
      s.data[k] = v;
    }
    s.title = s.data["title"];
    s.body = s.data["body"];
    sends.push_back(s);
    auto& replies = script[s.token];
    if (replies.empty()) return {200, json{{"name", "projects/" + project_id + "/messages/1"}}.dump()};
    Reply r = replies.front();
    replies.erase(replies.begin());
    *retry_after = r.retry_after;
    json err = {{"error", {{"code", r.status}, {"status", "ERROR"}}}};
    if (!r.error_code.empty()) {
      err["error"]["details"] = json::array(
          {{{"@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError"}, {"errorCode", r.error_code}}});
    }
    return {r.status, r.status == 200 ? "{}" : err.dump()};
  }

  class Handler final : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(Impl& impl) : impl_(impl) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
      std::string body;
      Poco::StreamCopier::copyToString(req.stream(), body);
      const std::string path = Poco::URI(req.getURI()).getPath();
      std::pair<int, std::string> answer{404, "{}"};
      std::string retry_after;
      if (req.getMethod() == "POST" && path == "/token") {
        answer = impl_.Token(body);
      } else if (req.getMethod() == "POST" && path == "/v1/projects/" + impl_.project_id + "/messages:send") {
        answer = impl_.SendMessage(req.get("Authorization", ""), body, &retry_after);
      }
      if (!retry_after.empty()) resp.set("Retry-After", retry_after);
      resp.setContentType("application/json");
      resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.first));
      resp.sendBuffer(answer.second.data(), answer.second.size());
    }

   private:
    Impl& impl_;
  };
  class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(Impl& impl) : impl_(impl) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(impl_);
    }

   private:
    Impl& impl_;
  };
};

FakeFcm::FakeFcm(std::string public_key_pem, std::string project_id, std::string client_email)
    : impl_(std::make_unique<Impl>()) {
  auto key = internal::ParseTokenKeyPem(public_key_pem, false, "");
  if (!key.ok()) std::abort();
  impl_->key = *key;
  impl_->project_id = std::move(project_id);
  impl_->client_email = std::move(client_email);
  auto* params = new Poco::Net::HTTPServerParams();
  params->setMaxThreads(8);
  params->setKeepAlive(false);
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  impl_->port = socket.address().port();
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Impl::Factory(*impl_), impl_->pool, socket, params);
  impl_->server->start();
}

FakeFcm::~FakeFcm() {
  impl_->server->stopAll(true);
  impl_->pool.joinAll();
}

std::string FakeFcm::base() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

void FakeFcm::Script(const std::string& token, std::vector<Reply> replies) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->script[token] = std::move(replies);
}

std::vector<FakeFcm::Send> FakeFcm::sends() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->sends;
}

int FakeFcm::token_exchanges() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->exchanges;
}

int FakeFcm::refused() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->refused;
}

}  // namespace clash::testing
