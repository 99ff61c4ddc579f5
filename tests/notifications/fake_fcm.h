// A fake Firebase on 127.0.0.1 (Poco HTTPServer): the OAuth token endpoint of a service account
// (checks the RS256 assertion with the account's public key and its claims) and FCM HTTP v1
// messages:send (checks the bearer token; answers per device token as scripted).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace clash::testing {

class FakeFcm {
 public:
  struct Send {
    std::string token;
    std::string title;
    std::string body;
    std::map<std::string, std::string> data;
  };
  struct Reply {
    int status = 200;
    std::string error_code;    // FCM errorCode in the body ("UNREGISTERED"), or ""
    std::string retry_after;   // Retry-After header, or ""
  };

  // `public_key_pem` verifies assertions; `project_id` is the only project served.
  FakeFcm(std::string public_key_pem, std::string project_id, std::string client_email);
  ~FakeFcm();
  FakeFcm(const FakeFcm&) = delete;
  FakeFcm& operator=(const FakeFcm&) = delete;

  std::string base() const;
  // Replies for `token`, used in order; once used up, 200.
  void Script(const std::string& token, std::vector<Reply> replies);
  // Every accepted messages:send request (whatever the scripted answer).
  std::vector<Send> sends() const;
  int token_exchanges() const;
  // Requests refused for a bad assertion or bearer token.
  int refused() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace clash::testing
