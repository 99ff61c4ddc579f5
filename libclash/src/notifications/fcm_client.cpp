// FCM HTTP v1 client. See fcm_client.h.
#include "notifications/fcm_client.h"

#include <algorithm>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/crypto.h"

namespace clash::internal {
namespace {

using nlohmann::json;

constexpr const char* kScope = "https://www.googleapis.com/auth/firebase.messaging";
constexpr std::chrono::seconds kAssertionLifetime{3600};
// A cached token is renewed this long before it expires.
constexpr std::chrono::seconds kRenewEarly{60};

std::string FormEncode(std::string_view v) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The FCM error code of a v1 error body ("UNREGISTERED", ...), or "".
std::string FcmErrorCode(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "";
  const json& err = j["error"];
  if (err.contains("details") && err["details"].is_array()) {
    for (const json& d : err["details"]) {
      if (d.is_object() && d.contains("errorCode") && d["errorCode"].is_string()) return d["errorCode"];
    }
  }
  if (err.contains("status") && err["status"].is_string()) return err["status"];
  return "";
}

std::optional<std::chrono::milliseconds> RetryAfter(const HttpClientResponse& r) {
  std::optional<std::string_view> v = r.Header("Retry-After");
  if (!v || v->empty() || v->size() > 6) return std::nullopt;
  int seconds = 0;
  for (char c : *v) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::milliseconds(seconds * 1000LL);
}

}  // namespace

Result<ServiceAccount> ParseServiceAccount(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Status::InvalidArgument("FCM service account: not a JSON object");
  ServiceAccount a;
  auto field = [&](const char* key, std::string* out, bool required) -> Status {
    if (j.contains(key) && j[key].is_string() && !j[key].get<std::string>().empty()) {
      *out = j[key].get<std::string>();
      return Status::Ok();
    }
    return required ? Status::InvalidArgument(std::string("FCM service account: missing \"") + key + "\"")
                    : Status::Ok();
  };
  CLASH_RETURN_IF_ERROR(field("project_id", &a.project_id, true));
  CLASH_RETURN_IF_ERROR(field("client_email", &a.client_email, true));
  CLASH_RETURN_IF_ERROR(field("private_key", &a.private_key_pem, true));
  CLASH_RETURN_IF_ERROR(field("private_key_id", &a.private_key_id, false));
  CLASH_RETURN_IF_ERROR(field("token_uri", &a.token_uri, false));
  for (char c : a.project_id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return Status::InvalidArgument("FCM service account: project_id holds characters a project id cannot");
    }
  }
  if (!SignRs256Pem(a.private_key_pem, "probe").ok()) {
    return Status::InvalidArgument("FCM service account: private_key is not an RSA private key");
  }
  return a;
}

FcmClient::FcmClient(HttpClient& http, Clock& clock, ServiceAccount account, FcmOptions options)
    : http_(http), clock_(clock), account_(std::move(account)), options_(std::move(options)) {
  while (!options_.api_base.empty() && options_.api_base.back() == '/') options_.api_base.pop_back();
}

void FcmClient::Sleep(std::chrono::milliseconds wait) {
  if (options_.sleep) {
    options_.sleep(wait);
  } else {
    std::this_thread::sleep_for(wait);
  }
}

Result<std::string> FcmClient::AccessToken() {
  std::lock_guard<std::mutex> lock(mu_);
  const Timestamp now = clock_.Now();
  if (!access_token_.empty() && now + kRenewEarly < access_expires_) return access_token_;
  json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!account_.private_key_id.empty()) header["kid"] = account_.private_key_id;
  json claims = {{"iss", account_.client_email},
                 {"scope", kScope},
                 {"aud", account_.token_uri},
                 {"iat", now.unix_seconds()},
                 {"exp", (now + kAssertionLifetime).unix_seconds()}};
  std::string signing_input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  CLASH_ASSIGN_OR_RETURN(std::string signature, SignRs256Pem(account_.private_key_pem, signing_input));
  HttpClientRequest req;
  req.method = "POST";
  req.url = account_.token_uri;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  req.body = "grant_type=" + FormEncode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
             "&assertion=" + FormEncode(signing_input + "." + Base64UrlEncode(signature));
  CLASH_ASSIGN_OR_RETURN(HttpClientResponse resp, http_.Send(req));
  if (resp.status != 200) {
    return Status::Unavailable("FCM token exchange answered HTTP " + std::to_string(resp.status));
  }
  json j = json::parse(resp.body, nullptr, false);
  if (!j.is_object() || !j.contains("access_token") || !j["access_token"].is_string()) {
    return Status::Unavailable("FCM token exchange answered without access_token");
  }
  std::int64_t expires_in = j.contains("expires_in") && j["expires_in"].is_number_integer() ? j["expires_in"].get<std::int64_t>() : 3600;
  access_token_ = j["access_token"];
  access_expires_ = now + std::chrono::seconds(std::clamp<std::int64_t>(expires_in, 0, 86'400));
  return access_token_;
}

PushResult FcmClient::Send(const std::string& token, const PushMessage& message, std::string* error) {
  json data = json::object();
  for (const auto& [k, v] : message.data) data[k] = v;
  data["title"] = message.title;
  data["body"] = message.body;
  data["icon"] = "/favicon.png";
  const std::string body = json{{"message", {{"token", token}, {"data", data}}}}.dump();
  std::chrono::milliseconds backoff = options_.initial_backoff;
  const int attempts = std::max(1, options_.max_attempts);
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    std::optional<std::chrono::milliseconds> wait;
    Result<std::string> access = AccessToken();
    if (!access.ok()) {
      *error = access.status().message();
    } else {
      HttpClientRequest req;
      req.method = "POST";
      req.url = options_.api_base + "/v1/projects/" + account_.project_id + "/messages:send";
      req.headers = {{"Authorization", "Bearer " + *access}, {"Content-Type", "application/json"}};
      req.body = body;
      Result<HttpClientResponse> resp = http_.Send(req);
      if (!resp.ok()) {
        *error = resp.status().message();
      } else if (resp->status == 200) {
        return PushResult::kSent;
      } else {
        const std::string code = FcmErrorCode(resp->body);
        *error = "FCM answered HTTP " + std::to_string(resp->status) + (code.empty() ? "" : " " + code);
        if (resp->status == 404 || code == "UNREGISTERED" || code == "SENDER_ID_MISMATCH") {
          return PushResult::kDeadToken;
        }
        if (resp->status == 401) {
          std::lock_guard<std::mutex> lock(mu_);
          access_token_.clear();  // expired or revoked: exchange again on the next attempt
        } else if (resp->status != 429 && resp->status < 500) {
          return PushResult::kFailed;  // a refusal that a retry cannot change
        }
        wait = RetryAfter(*resp);
      }
    }
    if (attempt == attempts) break;
    Sleep(std::min(options_.max_backoff, std::max(backoff, wait.value_or(std::chrono::milliseconds(0)))));
    backoff = std::min(options_.max_backoff, backoff * 2);
  }
  return PushResult::kFailed;
}

}  // namespace clash::internal
