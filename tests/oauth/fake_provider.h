// A fake GitHub + Google on 127.0.0.1 (Poco HTTPServer) for the OAuth tests.
//
//   POST /login/oauth/access_token  GitHub token exchange: 200 {access_token} for a registered code,
//                                   200 {"error":"bad_verification_code",...} otherwise
//   POST /token                     Google token exchange: 200 {access_token} or 400 invalid_grant
//   GET  /user, /user/emails        GitHub profile and emails for the Bearer token
//   GET  /v1/userinfo               Google userinfo for the Bearer token
// In slow mode every answer waits 3 s (or until shutdown).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clash::testing {

class FakeProvider {
 public:
  FakeProvider();
  ~FakeProvider();
  FakeProvider(const FakeProvider&) = delete;
  FakeProvider& operator=(const FakeProvider&) = delete;

  // "http://127.0.0.1:<port>".
  std::string base() const;

  // Exchanging `code` yields a token for which /user (or /v1/userinfo) answers `profile_json` and
  // /user/emails answers `emails_json`.
  void AddCode(const std::string& code, const std::string& profile_json, const std::string& emails_json = "[]");
  void SetSlow(bool slow);

  struct TokenRequest {
    std::string path;
    std::string accept;
    std::map<std::string, std::string> form;
  };
  std::vector<TokenRequest> token_requests() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// A port on 127.0.0.1 where nothing listens.
int ClosedLocalPort();

}  // namespace clash::testing
