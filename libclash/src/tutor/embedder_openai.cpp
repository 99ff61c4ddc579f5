// The OpenAI-compatible `/v1/embeddings` client (clash/retrieval.h) on the library's HttpClient.
#include <cmath>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "clash/retrieval.h"
#include "clash/transport.h"

namespace clash {
namespace {

class OpenAiEmbedder final : public Embedder {
 public:
  OpenAiEmbedder(OpenAiEmbedderOptions options, HttpClient& http) : options_(std::move(options)), http_(http) {
    while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
    dims_ = options_.dimensions;
  }
  std::string Name() const override { return "openai:" + options_.model; }
  int Dimensions() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return dims_;
  }

  Result<std::vector<std::vector<float>>> Embed(const std::vector<std::string>& texts) override {
    std::vector<std::vector<float>> out;
    out.reserve(texts.size());
    const std::size_t batch = static_cast<std::size_t>(std::max(1, options_.batch_size));
    for (std::size_t i = 0; i < texts.size(); i += batch) {
      std::vector<std::string> part(texts.begin() + static_cast<std::ptrdiff_t>(i),
                                    texts.begin() + static_cast<std::ptrdiff_t>(std::min(texts.size(), i + batch)));
      CLASH_ASSIGN_OR_RETURN(std::vector<std::vector<float>> vectors, EmbedBatch(part));
      for (auto& v : vectors) out.push_back(std::move(v));
    }
    return out;
  }

 private:
  Result<std::vector<std::vector<float>>> EmbedBatch(const std::vector<std::string>& texts) {
    HttpClientRequest req;
    req.method = "POST";
    // A base URL that already ends in /v1 is accepted as well.
    std::string base = options_.base_url;
    if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/v1") == 0) base.resize(base.size() - 3);
    req.url = base + "/v1/embeddings";
    req.headers.emplace_back("Content-Type", "application/json");
    if (!options_.api_key.empty()) req.headers.emplace_back("Authorization", "Bearer " + options_.api_key);
    req.body = nlohmann::json{{"model", options_.model}, {"input", texts}, {"encoding_format", "float"}}.dump();
    req.timeout = options_.timeout;
    Result<HttpClientResponse> sent = http_.Send(req);
    if (!sent.ok()) {
      return Status(sent.status().code(), "embeddings request failed: " + std::string(sent.status().message()));
    }
    const HttpClientResponse& resp = *sent;
    if (resp.status == 401 || resp.status == 403) {
      return Status::Unauthenticated("embeddings server refused the API key (HTTP " + std::to_string(resp.status) + ")");
    }
    if (resp.status == 429 || resp.status >= 500) {
      return Status::Unavailable("embeddings server unavailable (HTTP " + std::to_string(resp.status) + ")");
    }
    if (resp.status != 200) {
      return Status::Internal("embeddings server answered HTTP " + std::to_string(resp.status) + ": " +
                              resp.body.substr(0, 200));
    }
    nlohmann::json doc = nlohmann::json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || !doc.contains("data") || !doc["data"].is_array()) {
      return Status::Internal("embeddings answer is not JSON with a data array");
    }
    const nlohmann::json& data = doc["data"];
    if (data.size() != texts.size()) {
      return Status::Internal("embeddings answer has " + std::to_string(data.size()) + " vectors for " +
                              std::to_string(texts.size()) + " texts");
    }
    std::vector<std::vector<float>> out(texts.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
      const nlohmann::json& item = data[i];
      std::size_t index = i;
      if (item.contains("index") && item["index"].is_number_unsigned()) index = item["index"].get<std::size_t>();
      if (index >= out.size() || !out[index].empty() || !item.contains("embedding") || !item["embedding"].is_array() ||
          item["embedding"].empty()) {
        return Status::Internal("embeddings answer has a malformed or repeated item");
      }
      std::vector<float> v;
      v.reserve(item["embedding"].size());
      double norm = 0;
      for (const nlohmann::json& x : item["embedding"]) {
        if (!x.is_number()) return Status::Internal("embeddings answer has a non-numeric component");
        float f = x.get<float>();
        if (!std::isfinite(f)) return Status::Internal("embeddings answer has a non-finite component");
        v.push_back(f);
        norm += static_cast<double>(f) * f;
      }
      if (norm <= 0) return Status::Internal("embeddings answer has a zero vector");
      CLASH_RETURN_IF_ERROR(CheckDimensions(static_cast<int>(v.size())));
      float inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (float& f : v) f *= inv;
      out[index] = std::move(v);
    }
    return out;
  }

  Status CheckDimensions(int got) {
    std::lock_guard<std::mutex> lock(mu_);
    if (dims_ == 0) dims_ = got;
    if (got != dims_) {
      return Status::Internal("embeddings answer has " + std::to_string(got) + " dimensions, expected " +
                              std::to_string(dims_));
    }
    return Status::Ok();
  }

  OpenAiEmbedderOptions options_;
  HttpClient& http_;
  mutable std::mutex mu_;
  int dims_ = 0;
};

}  // namespace

Result<std::unique_ptr<Embedder>> NewOpenAiEmbedder(OpenAiEmbedderOptions options, HttpClient& http) {
  if (options.base_url.empty()) return Status::InvalidArgument("embeddings base URL is empty");
  if (options.base_url.rfind("http://", 0) != 0 && options.base_url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("embeddings base URL must start with http:// or https://");
  }
  if (options.model.empty()) return Status::InvalidArgument("embeddings model is empty");
  if (options.timeout.count() <= 0) return Status::InvalidArgument("embeddings timeout must be positive");
  if (options.dimensions < 0) return Status::InvalidArgument("embeddings dimensions must be >= 0");
  return std::unique_ptr<Embedder>(std::make_unique<OpenAiEmbedder>(std::move(options), http));
}

}  // namespace clash
