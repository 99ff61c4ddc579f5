// A fake OpenAI-compatible embeddings server on 127.0.0.1 (Poco HTTPServer): POST /v1/embeddings
// answers with the hash-v1 vectors of the inputs (so retrieval through it behaves), or as scripted:
// an HTTP error, malformed JSON, the wrong number of vectors, or no answer until released.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace clash::testing {

class FakeEmbeddings {
 public:
  enum class Mode { kOk, kUnauthorized, kServerError, kMalformed, kWrongCount, kHang };
  struct Request {
    std::string authorization;
    std::string model;
    std::vector<std::string> input;
  };

  FakeEmbeddings();
  ~FakeEmbeddings();  // releases hung requests, then stops
  FakeEmbeddings(const FakeEmbeddings&) = delete;
  FakeEmbeddings& operator=(const FakeEmbeddings&) = delete;

  std::string base() const;  // "http://127.0.0.1:<port>"
  void set_mode(Mode mode);
  std::vector<Request> requests() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace clash::testing
