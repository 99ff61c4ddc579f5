// oauth/provider_client.h — the HTTP half of the OAuth flow: code exchange and profile fetch for
// GitHub and Google over clash::HttpClient. Internal to libclash.
//
// Error mapping for every call: the HttpClient's DeadlineExceeded stays DeadlineExceeded ("<Name> did
// not answer in time."); any other transport failure and any 5xx is Unavailable ("<Name> is
// unavailable. Please try again."). The access token returned by ExchangeCode is for the fetch that
// follows only: nothing here stores it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "clash/auth.h"
#include "clash/oauth.h"
#include "clash/status.h"
#include "clash/transport.h"

namespace clash::internal {

struct ProviderCall {
  HttpClient& http;
  const OAuthProviderConfig& config;
  std::string_view display_name;  // "GitHub", "Google"
  std::chrono::milliseconds timeout;
};

// application/x-www-form-urlencoded / query-string encoding (RFC 3986 unreserved kept as is).
std::string FormEncode(std::string_view text);

// POSTs the code to the token endpoint; returns the access token. InvalidArgument(<error>) with an
// `error_description` detail when the provider answers {"error": ...}; InvalidArgument("<Name> token
// exchange failed.") for any other refusal.
Result<std::string> ExchangeCode(const ProviderCall& call, std::string_view code, std::string_view redirect_uri);

// GitHub: /user for id, login, name and avatar; /user/emails for the email, verified only when the
// PRIMARY entry says verified. InvalidArgument("Failed to fetch GitHub user") when /user refuses.
Result<ExternalIdentity> FetchGitHubIdentity(const ProviderCall& call, std::string_view access_token);

// Google: the userinfo endpoint's sub, email, email_verified, names and picture.
// InvalidArgument("Failed to fetch Google user") when it refuses.
Result<ExternalIdentity> FetchGoogleIdentity(const ProviderCall& call, std::string_view access_token);

}  // namespace clash::internal
