#include "clash/oauth.h"

#include "oauth/flow_token.h"
#include "oauth/provider_client.h"
#include "common/crypto.h"

namespace clash {
namespace {

constexpr std::size_t kMinSecretBytes = 32;

Status BadState() { return Status::InvalidArgument("Invalid or expired OAuth state."); }

std::string DisplayName(std::string_view provider) {
  if (provider == "github") return "GitHub";
  if (provider == "google") return "Google";
  return std::string(provider);
}

// 16-128 characters of [A-Za-z0-9_-]: the SPA's 48 hex characters, and nothing that needs escaping.
bool ValidClientState(std::string_view state) {
  if (state.size() < 16 || state.size() > 128) return false;
  for (char c : state) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool ValidRedirectUri(std::string_view uri) {
  if (uri.rfind("https://", 0) != 0 && uri.rfind("http://", 0) != 0) return false;
  if (uri.size() > 2048) return false;
  for (char c : uri) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

OAuthProviderConfig OAuthProviderConfig::GitHub() {
  OAuthProviderConfig c;
  c.authorize_url = "https://github.com/login/oauth/authorize";
  c.token_url = "https://github.com/login/oauth/access_token";
  c.user_url = "https://api.github.com/user";
  c.emails_url = "https://api.github.com/user/emails";
  c.scope = "user:email";
  return c;
}

OAuthProviderConfig OAuthProviderConfig::Google() {
  OAuthProviderConfig c;
  c.authorize_url = "https://accounts.google.com/o/oauth2/v2/auth";
  c.token_url = "https://oauth2.googleapis.com/token";
  c.user_url = "https://openidconnect.googleapis.com/v1/userinfo";
  c.scope = "openid email profile";
  return c;
}

struct OAuthLogin::Impl {
  Auth& auth;
  HttpClient& http;
  Clock& clock;
  Rng& rng;
  OAuthOptions options;

  // The provider's config, NotFound for an unknown name, Unavailable when it has no client id.
  Result<const OAuthProviderConfig*> Provider(std::string_view name) const {
    auto it = options.providers.find(name);
    if (it == options.providers.end() || (name != "github" && name != "google")) {
      return Status::NotFound("Unknown OAuth provider.");
    }
    if (it->second.client_id.empty()) return Status::Unavailable(DisplayName(name) + " login is not configured.");
    return &it->second;
  }
};

OAuthLogin::OAuthLogin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OAuthLogin::~OAuthLogin() = default;

Result<std::unique_ptr<OAuthLogin>> OAuthLogin::Create(Auth& auth, HttpClient& http, Clock& clock, Rng& rng,
                                                       OAuthOptions options) {
  if (options.state_secret.size() < kMinSecretBytes) {
    return Status::InvalidArgument("the OAuth state secret must be at least 32 bytes");
  }
  auto impl = std::make_unique<Impl>(Impl{auth, http, clock, rng, std::move(options)});
  return std::unique_ptr<OAuthLogin>(new OAuthLogin(std::move(impl)));
}

Result<OAuthStart> OAuthLogin::Begin(std::string_view provider, std::string_view client_state,
                                     std::string_view redirect_uri) {
  CLASH_ASSIGN_OR_RETURN(const OAuthProviderConfig* config, impl_->Provider(provider));
  if (!client_state.empty() && !ValidClientState(client_state)) {
    return Status::InvalidArgument("Invalid OAuth state.");
  }
  internal::FlowClaims claims;
  claims.provider = std::string(provider);
  claims.state = client_state.empty() ? impl_->rng.HexToken(24) : std::string(client_state);
  claims.nonce = impl_->rng.HexToken(16);
  claims.redirect_uri = config->redirect_uri.empty() ? std::string(redirect_uri) : config->redirect_uri;
  if (claims.redirect_uri.empty() || !ValidRedirectUri(claims.redirect_uri)) {
    return Status::InvalidArgument("OAuth redirect URI is not configured.");
  }
  Timestamp expires = impl_->clock.Now() + impl_->options.state_ttl;
  claims.expires_unix = expires.unix_seconds();

  using internal::FormEncode;
  std::string url = config->authorize_url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "client_id=" + FormEncode(config->client_id) + "&redirect_uri=" + FormEncode(claims.redirect_uri) +
         "&scope=" + FormEncode(config->scope) + "&state=" + FormEncode(claims.state);
  if (provider == "google") url += "&response_type=code&prompt=select_account";

  OAuthStart start;
  start.url = std::move(url);
  start.state = claims.state;
  start.flow_token = internal::SignFlowToken(impl_->options.state_secret, claims);
  start.expires_at = expires;
  return start;
}

Result<Session> OAuthLogin::Complete(std::string_view provider, std::string_view code, std::string_view flow_token,
                                     std::string_view returned_state) {
  CLASH_ASSIGN_OR_RETURN(const OAuthProviderConfig* config, impl_->Provider(provider));
  std::optional<internal::FlowClaims> claims = internal::VerifyFlowToken(impl_->options.state_secret, flow_token);
  if (!claims || claims->provider != provider) return BadState();
  if (impl_->clock.Now().unix_seconds() >= claims->expires_unix) return BadState();
  if (!returned_state.empty() && !internal::ConstantTimeEquals(returned_state, claims->state)) return BadState();
  if (code.empty()) return Status::InvalidArgument("Authorization code is required");

  std::string name = DisplayName(provider);
  internal::ProviderCall call{impl_->http, *config, name, impl_->options.http_timeout};
  CLASH_ASSIGN_OR_RETURN(std::string access_token, internal::ExchangeCode(call, code, claims->redirect_uri));
  Result<ExternalIdentity> identity = provider == "github" ? internal::FetchGitHubIdentity(call, access_token)
                                                           : internal::FetchGoogleIdentity(call, access_token);
  if (!identity.ok()) return identity.status();
  // The access token dies here: only the identity goes on (reference weakness 8).
  return impl_->auth.LoginWithIdentity(*identity);
}

}  // namespace clash
