#include "oauth/provider_client.h"

#include <cctype>

#include <nlohmann/json.hpp>

namespace clash::internal {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxProviderText = 200;

// Provider-supplied text shown to clients: printable ASCII only, bounded.
std::string Sanitize(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxProviderText)) {
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  return out;
}

Result<HttpClientResponse> Call(const ProviderCall& call, HttpClientRequest request) {
  request.timeout = call.timeout;
  Result<HttpClientResponse> resp = call.http.Send(request);
  if (!resp.ok()) {
    if (resp.status().code() == StatusCode::kDeadlineExceeded) {
      return Status::DeadlineExceeded(std::string(call.display_name) + " did not answer in time.");
    }
    return Status::Unavailable(std::string(call.display_name) + " is unavailable. Please try again.");
  }
  if (resp->status >= 500) {
    return Status::Unavailable(std::string(call.display_name) + " is unavailable. Please try again.");
  }
  return resp;
}

json ParseObject(const std::string& body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : json::object();
}

std::string StringOr(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool BoolOr(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

// A provider id: a JSON string or integer.
std::string IdOf(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return "";
}

void SplitName(const std::string& name, ExternalIdentity* id) {
  std::size_t space = name.find(' ');
  id->first_name = name.substr(0, space);
  id->last_name = space == std::string::npos ? "" : name.substr(space + 1);
}

Result<json> GetJson(const ProviderCall& call, const std::string& url, std::string_view access_token,
                     const char* accept, bool* refused) {
  HttpClientRequest req{.method = "GET",
                        .url = url,
                        .headers = {{"Authorization", "Bearer " + std::string(access_token)}, {"Accept", accept}}};
  CLASH_ASSIGN_OR_RETURN(HttpClientResponse resp, Call(call, std::move(req)));
  *refused = resp.status != 200;
  if (*refused) return json();
  json j = json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
  *refused = j.is_discarded();
  return j;
}

}  // namespace

std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

Result<std::string> ExchangeCode(const ProviderCall& call, std::string_view code, std::string_view redirect_uri) {
  std::string body = "grant_type=authorization_code&code=" + FormEncode(code) +
                     "&client_id=" + FormEncode(call.config.client_id) +
                     "&client_secret=" + FormEncode(call.config.client_secret) +
                     "&redirect_uri=" + FormEncode(redirect_uri);
  HttpClientRequest req{.method = "POST",
                        .url = call.config.token_url,
                        .headers = {{"Accept", "application/json"},
                                    {"Content-Type", "application/x-www-form-urlencoded"}},
                        .body = std::move(body)};
  CLASH_ASSIGN_OR_RETURN(HttpClientResponse resp, Call(call, std::move(req)));
  json j = ParseObject(resp.body);
  if (std::string error = StringOr(j, "error"); !error.empty()) {
    Status s = Status::InvalidArgument(Sanitize(error));
    if (std::string desc = StringOr(j, "error_description"); !desc.empty()) {
      s = s.WithDetail("error_description", Sanitize(desc));
    }
    return s;
  }
  std::string token = StringOr(j, "access_token");
  if (resp.status != 200 || token.empty()) {
    return Status::InvalidArgument(std::string(call.display_name) + " token exchange failed.");
  }
  return token;
}

Result<ExternalIdentity> FetchGitHubIdentity(const ProviderCall& call, std::string_view access_token) {
  const Status refused = Status::InvalidArgument("Failed to fetch GitHub user");
  bool user_refused = false;
  CLASH_ASSIGN_OR_RETURN(json user, GetJson(call, call.config.user_url, access_token,
                                            "application/vnd.github+json", &user_refused));
  if (user_refused || !user.is_object()) return refused;
  ExternalIdentity id;
  id.provider = "github";
  id.provider_uid = IdOf(user, "id");
  if (id.provider_uid.empty()) return refused;
  id.username_hint = StringOr(user, "login");
  SplitName(StringOr(user, "name"), &id);
  id.avatar_url = StringOr(user, "avatar_url");
  // The public profile email is never trusted; only the primary entry of /user/emails can be verified.
  id.email = StringOr(user, "email");

  bool emails_refused = false;
  CLASH_ASSIGN_OR_RETURN(json emails, GetJson(call, call.config.emails_url, access_token,
                                              "application/vnd.github+json", &emails_refused));
  if (!emails_refused && emails.is_array()) {
    for (const json& entry : emails) {
      if (!entry.is_object() || !BoolOr(entry, "primary")) continue;
      std::string email = StringOr(entry, "email");
      if (email.empty()) continue;
      id.email = email;
      id.email_verified = BoolOr(entry, "verified");
      break;
    }
  }
  return id;
}

Result<ExternalIdentity> FetchGoogleIdentity(const ProviderCall& call, std::string_view access_token) {
  const Status refused = Status::InvalidArgument("Failed to fetch Google user");
  bool user_refused = false;
  CLASH_ASSIGN_OR_RETURN(json info, GetJson(call, call.config.user_url, access_token, "application/json",
                                            &user_refused));
  if (user_refused || !info.is_object()) return refused;
  ExternalIdentity id;
  id.provider = "google";
  id.provider_uid = IdOf(info, "sub");
  if (id.provider_uid.empty()) return refused;
  id.email = StringOr(info, "email");
  auto verified = info.find("email_verified");
  id.email_verified = verified != info.end() && ((verified->is_boolean() && verified->get<bool>()) ||
                                                 (verified->is_string() && verified->get<std::string>() == "true"));
  id.username_hint = id.email.substr(0, id.email.find('@'));
  id.first_name = StringOr(info, "given_name");
  id.last_name = StringOr(info, "family_name");
  if (id.first_name.empty() && id.last_name.empty()) SplitName(StringOr(info, "name"), &id);
  id.avatar_url = StringOr(info, "picture");
  return id;
}

}  // namespace clash::internal
