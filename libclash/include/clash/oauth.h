// clash/oauth.h — login with GitHub or Google (the OAuth 2.0 authorization-code flow).
//
// OAuthLogin does the provider protocol only: it builds the authorize URL with a server-issued,
// signed and expiring state, and on the callback checks that state, exchanges the code for an access
// token, reads the profile and hands an ExternalIdentity to Auth::LoginWithIdentity, which does the
// account matching (linked identity, then provider-verified email, else a new account) and issues the
// session. Provider access tokens are used once and never stored.
//
// State: Begin returns the URL's `state` value (the client's own when it sent one, so a client that
// compares the callback's state with what it stored keeps working) and a signed `flow_token` binding
// provider, state, a random nonce, the redirect URI and a 10-minute expiry. The caller keeps the flow
// token where only the browser that started the flow has it (clash-host: an HttpOnly SameSite=Lax
// cookie) and passes it back to Complete; see docs/security.md, "OAuth".
//
// Thread-safety: OAuthLogin is safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(auto oauth, clash::OAuthLogin::Create(engine->auth(), *http, engine->clock(),
//                                                                engine->rng(), std::move(options)));
//   CLASH_ASSIGN_OR_RETURN(clash::OAuthStart start, oauth->Begin("github", client_state, redirect_uri));
//   // ... the browser visits start.url and comes back with ?code&state ...
//   CLASH_ASSIGN_OR_RETURN(clash::Session s, oauth->Complete("github", code, start.flow_token, state));
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "clash/auth.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/rng.h"
#include "clash/status.h"
#include "clash/transport.h"

namespace clash {

// One provider's client registration and endpoints. The endpoints default to the real provider's;
// tests point them at a fake server.
struct OAuthProviderConfig {
  std::string client_id;       // empty: the provider is not configured (Unavailable)
  std::string client_secret;
  std::string redirect_uri;    // empty: the redirect URI passed to Begin
  std::string authorize_url;
  std::string token_url;
  std::string user_url;        // GitHub: /user; Google: the OpenID Connect userinfo endpoint
  std::string emails_url;      // GitHub only: /user/emails (primary + verified flags)
  std::string scope;

  // github.com endpoints, scope "user:email".
  static OAuthProviderConfig GitHub();
  // accounts.google.com / googleapis.com endpoints, scope "openid email profile".
  static OAuthProviderConfig Google();
};

struct OAuthOptions {
  // Keys the HMAC-SHA256 of flow tokens: >= 32 bytes, secret. Hosts behind one load balancer share it.
  std::string state_secret;
  // Keyed by provider name: "github", "google". Other names are NotFound.
  std::map<std::string, OAuthProviderConfig, std::less<>> providers = {
      {"github", OAuthProviderConfig::GitHub()}, {"google", OAuthProviderConfig::Google()}};
  std::chrono::seconds state_ttl{600};
  // Timeout of each call to the provider (token exchange, profile, emails).
  std::chrono::milliseconds http_timeout{10000};
};

struct OAuthStart {
  std::string url;         // the provider's authorize URL; the browser goes there
  std::string state;       // the `state` in `url`: the client's own value, or a fresh random one
  std::string flow_token;  // signed; keep it bound to the browser and pass it to Complete
  Timestamp expires_at;
};

class CLASH_EXPORT OAuthLogin {
 public:
  // InvalidArgument if options.state_secret is shorter than 32 bytes. The references must outlive
  // the returned object.
  static Result<std::unique_ptr<OAuthLogin>> Create(Auth& auth, HttpClient& http, Clock& clock, Rng& rng,
                                                    OAuthOptions options);
  ~OAuthLogin();
  OAuthLogin(const OAuthLogin&) = delete;
  OAuthLogin& operator=(const OAuthLogin&) = delete;

  // Starts a flow. `client_state` is the state the client generated (16-128 characters of
  // [A-Za-z0-9_-]) or empty for a server-generated one; `redirect_uri` is used when the provider's
  // config has none. NotFound("Unknown OAuth provider.") for a provider not in the options;
  // Unavailable("GitHub login is not configured.") when it has no client id; InvalidArgument
  // ("Invalid OAuth state.") for a malformed client state or ("OAuth redirect URI is not
  // configured.") when there is no redirect URI at all.
  Result<OAuthStart> Begin(std::string_view provider, std::string_view client_state,
                           std::string_view redirect_uri = {});

  // Finishes a flow: `flow_token` from Begin, and `returned_state` (the callback's state, if the
  // client sent it; it must then equal the flow's state). Errors:
  //   NotFound / Unavailable as Begin;
  //   InvalidArgument("Invalid or expired OAuth state.") — missing, forged, expired or other-provider
  //     flow token, or a returned state that does not match it;
  //   InvalidArgument("Authorization code is required") — empty code;
  //   InvalidArgument(<provider error>) — the provider refused the code ("bad_verification_code",
  //     "invalid_grant", ...); InvalidArgument("Failed to fetch GitHub user") when the profile call is
  //     refused;
  //   Unavailable — the provider is unreachable or answered 5xx; DeadlineExceeded — it was too slow;
  //   and whatever Auth::LoginWithIdentity returns (AlreadyExists for an unverified email of an
  //     existing account, PermissionDenied("User account is disabled.") for a blocked user).
  Result<Session> Complete(std::string_view provider, std::string_view code, std::string_view flow_token,
                           std::string_view returned_state = {});

 private:
  struct Impl;
  explicit OAuthLogin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clash
