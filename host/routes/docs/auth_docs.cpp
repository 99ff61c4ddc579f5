#include "routes/docs/route_docs.h"

namespace clash::host::docs {

void AddAuthDocs(std::vector<RouteDoc>& out) {
  const std::vector<RouteDoc> docs = {
      {"POST", "/api/auth/otp/request/", "auth", "public", "Mail a one-time sign-in code", "{email: string}",
       "@Message"},
      {"POST", "/api/auth/otp/verify/", "auth", "public",
       "Sign in with the code (creates the account on first success); sets the session cookies",
       "{email: string, otp: string}", "{user: @User, access_token?: string, refresh_token?: string}"},
      {"POST", "/api/auth/refresh/", "auth", "public", "Rotate the session (refresh cookie or body token)",
       "{refresh_token?: string}", "{user: @User, access_token?: string, refresh_token?: string}"},
      {"POST", "/api/auth/logout/", "auth", "optional", "End this login (its tokens stop working)", "", "@Message"},
      {"POST", "/api/auth/admin/login/", "auth", "public", "Staff sign-in with username and password",
       "{username: string, password: string}", "{user: @User, access_token?: string, refresh_token?: string}"},
      {"DELETE", "/api/auth/user/delete/", "auth", "user", "Delete the caller's account", "", "@Message"},
      {"GET", "/api/auth/jwks.json", "auth", "public", "The access tokens' public keys (RS256)", "",
       "{keys: [{kty: string, use: string, alg: string, kid: string, n: string, e: string}]}"},
      {"GET", "/api/auth/github/", "auth", "public", "Start a GitHub login: the provider URL to visit", "",
       "{url: string}"},
      {"POST", "/api/auth/github/callback/", "auth", "public", "Finish a GitHub login with the provider's code",
       "{code: string, state?: string}", "{user: @User, access_token?: string, refresh_token?: string}"},
      {"GET", "/api/auth/google/", "auth", "public", "Start a Google login: the provider URL to visit", "",
       "{url: string}"},
      {"POST", "/api/auth/google/callback/", "auth", "public", "Finish a Google login with the provider's code",
       "{code: string, state?: string}", "{user: @User, access_token?: string, refresh_token?: string}"},
      {"GET", "/api/profiles/user/", "profiles", "user", "The caller's account and profile", "", "@User"},
      {"PATCH", "/api/profiles/user/update/", "profiles", "user",
       "Edit the caller's profile (JSON, or multipart with avatar/banner files)",
       "{username?: string, first_name?: string, last_name?: string, bio?: string}", "@User"},
  };
  out.insert(out.end(), docs.begin(), docs.end());
}

}  // namespace clash::host::docs
