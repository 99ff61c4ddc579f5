#include "tutor/fake_embeddings.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <condition_variable>
#include <mutex>

#include <nlohmann/json.hpp>

#include "clash/retrieval.h"

namespace clash::testing {

using nlohmann::json;

struct FakeEmbeddings::Impl {
  mutable std::mutex mu;
  std::condition_variable released_cv;
  bool released = false;
  Mode mode = Mode::kOk;
  std::vector<Request> requests;
  std::unique_ptr<Embedder> hash = NewHashEmbedder(64);
  int port = 0;
  Poco::ThreadPool pool{2, 8};
  std::unique_ptr<Poco::Net::HTTPServer> server;

  std::pair<int, std::string> Answer(const std::string& authorization, const std::string& body) {
    json j = json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("input") || !j["input"].is_array()) return {400, R"({"error":"bad request"})"};
    Request r{authorization, j.value("model", ""), j["input"].get<std::vector<std::string>>()};
    Mode m;
    {
      std::unique_lock<std::mutex> lock(mu);
      requests.push_back(r);
      m = mode;
      if (m == Mode::kHang) released_cv.wait(lock, [&] { return released; });
    }
    switch (m) {
      case Mode::kUnauthorized: return {401, R"({"error":{"message":"invalid api key"}})"};
      case Mode::kServerError: return {500, R"({"error":{"message":"boom"}})"};
      case Mode::kMalformed: return {200, R"({"data": [ {"embedding": [0.1, )"};
      case Mode::kHang: return {500, "{}"};
      default: break;
    }
    auto vectors = hash->Embed(r.input);
    json data = json::array();
    for (std::size_t i = 0; i < vectors->size(); ++i) {
      data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", (*vectors)[i]}});
    }
    if (m == Mode::kWrongCount && !data.empty()) data.erase(data.begin());
    return {200, json{{"object", "list"}, {"model", r.model}, {"data", data}}.dump()};
  }

  class Handler final : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(Impl& impl) : impl_(impl) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
      std::string body;
      Poco::StreamCopier::copyToString(req.stream(), body);
      std::pair<int, std::string> answer{404, "{}"};
      if (req.getMethod() == "POST" && req.getURI() == "/v1/embeddings") answer = impl_.Answer(req.get("Authorization", ""), body);
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

FakeEmbeddings::FakeEmbeddings() : impl_(std::make_unique<Impl>()) {
  auto* params = new Poco::Net::HTTPServerParams();
  params->setMaxThreads(8);
  params->setKeepAlive(false);
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  impl_->port = socket.address().port();
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Impl::Factory(*impl_), impl_->pool, socket, params);
  impl_->server->start();
}

FakeEmbeddings::~FakeEmbeddings() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->released = true;
  }
  impl_->released_cv.notify_all();
  impl_->server->stopAll(true);
  impl_->pool.joinAll();
}

std::string FakeEmbeddings::base() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

void FakeEmbeddings::set_mode(Mode mode) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->mode = mode;
}

std::vector<FakeEmbeddings::Request> FakeEmbeddings::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->requests;
}

}  // namespace clash::testing
