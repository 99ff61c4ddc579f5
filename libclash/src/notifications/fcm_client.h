// Internal: sending one push through FCM HTTP v1 — the service account's OAuth token (a JWT
// assertion signed RS256 with the account's key, exchanged at its token_uri and cached until shortly
// before it expires) and messages:send with retries and backoff.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "clash/clock.h"
#include "clash/notifications.h"
#include "clash/status.h"
#include "clash/transport.h"

namespace clash::internal {

struct ServiceAccount {
  std::string project_id;
  std::string client_email;
  std::string private_key_pem;
  std::string private_key_id;
  std::string token_uri = "https://oauth2.googleapis.com/token";
};

// Reads a service account file's JSON. InvalidArgument naming what is missing or wrong (the private
// key is test-signed once).
Result<ServiceAccount> ParseServiceAccount(std::string_view json_text);

struct PushMessage {
  std::string title;
  std::string body;
  std::map<std::string, std::string> data;
};

enum class PushResult {
  kSent,
  kDeadToken,  // FCM says the token is unregistered or belongs to another project: delete it
  kFailed,     // gave up (attempts used, or a refusal a retry cannot fix)
};

class FcmClient {
 public:
  FcmClient(HttpClient& http, Clock& clock, ServiceAccount account, FcmOptions options);

  // Sends `message` to one device token, retrying as FcmOptions says. `error` gets a short reason
  // when the result is not kSent.
  PushResult Send(const std::string& token, const PushMessage& message, std::string* error);

 private:
  // A valid access token, from the cache or a new exchange.
  Result<std::string> AccessToken();
  void Sleep(std::chrono::milliseconds wait);

  HttpClient& http_;
  Clock& clock_;
  ServiceAccount account_;
  FcmOptions options_;
  std::mutex mu_;
  std::string access_token_;
  Timestamp access_expires_;
};

}  // namespace clash::internal
