// clash/auth.h — identity and access: users, roles, sessions (email OTP, OAuth, admin password),
// RS256 access/refresh tokens with rotation, and the one permission helper every module uses.
//
// Accounts are keyed by a lower-cased email; the first successful OTP verification creates the
// account. Tokens: a short-lived access token and a refresh token that rotates on every use; using a
// rotated refresh token again revokes its whole family (theft detection); logout revokes the family;
// a blocked or deleted user is refused on the next request. Secrets (OTP codes, refresh tokens,
// passwords) are stored only as keyed hashes or Argon2id hashes and never logged.
//
// Thread-safety: Auth is safe for concurrent use.
//
// Example:
//   CLASH_RETURN_IF_ERROR(engine->auth().RequestOtp("ada@example.com"));   // mails a 6-digit code
//   CLASH_ASSIGN_OR_RETURN(clash::Session s, engine->auth().VerifyOtp("ada@example.com", code));
//   CLASH_ASSIGN_OR_RETURN(clash::User me, engine->auth().Authenticate(s.access_token));
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/log.h"
#include "clash/ratelimit.h"
#include "clash/rng.h"
#include "clash/status.h"

namespace clash {

enum class Role { kUser, kStaff, kSuperuser };

// "user", "staff" or "superuser" (the admin API's and the bindings' names).
CLASH_EXPORT std::string_view RoleName(Role role);
// InvalidArgument("role must be 'user', 'staff' or 'superuser'") for any other name.
CLASH_EXPORT Result<Role> ParseRole(std::string_view name);

struct UserProfile {
  std::string avatar_url;
  std::string banner_url;
  std::string bio;
  std::string provider = "email";      // how the account was created: email, github, google, local
  std::string referral_code;
  std::string active_theme = "vs-dark";
  std::string active_font = "Fira Code";
  std::optional<std::string> active_effect;
  std::string active_victory = "default";
  bool operator==(const UserProfile&) const = default;
};

struct User {
  std::int64_t id = 0;
  std::string username;                // unique; 1-150 chars
  std::string email;                   // lower-cased; may be empty for provider accounts without one
  std::string first_name;
  std::string last_name;
  bool is_active = true;               // false = blocked
  bool is_staff = false;
  bool is_superuser = false;
  UserProfile profile;
  Timestamp date_joined;
  bool operator==(const User&) const = default;

  Role role() const { return is_superuser ? Role::kSuperuser : is_staff ? Role::kStaff : Role::kUser; }
};

// The tokens a successful login, OTP verification or refresh hands out.
struct Session {
  User user;
  std::string access_token;
  std::string refresh_token;
  Timestamp issued_at;
  Timestamp access_expires_at;
  Timestamp refresh_expires_at;
  bool created = false;                // true when this login created the account
};

// What an access token grants (Auth::Grant): the user, the login it belongs to and when it expires.
// Long-lived connections (chat and notification sockets) keep the login and the expiry instead of
// the token.
struct AccessGrant {
  User user;
  std::string session_id;              // the login (refresh-token family) the token belongs to
  Timestamp expires_at;                // the token's "exp"
};

// A committed change that ended access for a user or for one of their logins (block, account
// deletion, logout, the end of a session, a reused refresh token).
struct AccessRevoked {
  std::int64_t user_id = 0;
  std::string session_id;              // the login that ended; empty: every login of the user
  bool account_disabled = false;       // the user was blocked or deleted
};
using AccessRevokedListener = std::function<void(const AccessRevoked&)>;

// The `reason` detail of the Unauthenticated error Authenticate() returns for a blocked user.
inline constexpr std::string_view kAccountDisabled = "account_disabled";

// Normalises an email (trim, lower-case) and checks its shape: one '@', a dot in the domain, at most
// 254 characters, no spaces or control characters. InvalidArgument("Enter a valid email address.").
CLASH_EXPORT Result<std::string> NormalizeEmail(std::string_view email);

// The permission helper. Returns OK or PermissionDenied with a message for the client.
//   kViewAdmin       staff or superuser
//   kManageUser      may act on `target`: superusers on anyone; staff only on plain users
//   kManageStaff     superuser only (grant/revoke staff, manage staff accounts)
enum class Permission { kViewAdmin, kManageUser, kManageStaff };
CLASH_EXPORT Status Require(const User& actor, Permission permission, const User* target = nullptr);

// What an identity provider (GitHub, Google) told us about the person logging in.
struct ExternalIdentity {
  std::string provider;                // "github", "google"
  std::string provider_uid;            // the provider's stable user id
  std::string email;                   // may be empty
  bool email_verified = false;         // the provider vouches for `email`
  std::string username_hint;           // login name or email local part
  std::string first_name;
  std::string last_name;
  std::string avatar_url;
};

class Storage;
class Mailer;
class TokenKeys;

struct AuthOptions {
  std::chrono::seconds access_ttl{3600};
  std::chrono::seconds refresh_ttl{7 * 24 * 3600};
  std::chrono::seconds otp_ttl{600};              // a code is valid this long
  // Codes mailed per mailbox per window (then ResourceExhausted). Engine::Open sets it from the
  // rate-limit policy's scope otp_email.
  RateLimit otp_per_mailbox = kOtpPerEmailRateLimit;
  int otp_max_failures = 5;                        // wrong codes before the email is locked
  std::chrono::seconds otp_lockout{900};
  std::string secret_key;                          // keys the OTP hashes: >= 32 bytes, secret
  std::string mail_from = "Clash <noreply@localhost>";
};

class CLASH_EXPORT Auth {
 public:
  // `keys` must hold a signing key. The references must outlive Auth.
  Auth(Storage& storage, Clock& clock, Rng& rng, const Logger& logger, Mailer& mailer, const TokenKeys& keys,
       AuthOptions options);
  ~Auth();
  Auth(const Auth&) = delete;
  Auth& operator=(const Auth&) = delete;

  // Mails a new six-digit code to `email`, invalidating earlier ones. InvalidArgument for a malformed
  // email; ResourceExhausted (with retry-after) past options.otp_per_mailbox for the mailbox
  // (plus-addresses of one mailbox share it, see MailboxKey in clash/ratelimit.h); Unavailable if the
  // mail cannot be delivered (the code is then useless).
  Status RequestOtp(std::string_view email);
  // Checks the code; the first success for an email creates the account. InvalidArgument("Invalid or
  // expired OTP.") for a wrong, used or expired code; ResourceExhausted while the email is locked
  // after otp_max_failures wrong codes; PermissionDenied("User account is disabled.") for a blocked
  // user.
  Result<Session> VerifyOtp(std::string_view email, std::string_view code);
  // Exchanges a refresh token for a new pair (rotation). Unauthenticated for a bad, expired, revoked
  // or unknown token; using an already rotated token revokes its whole family and is Unauthenticated;
  // PermissionDenied for a blocked user (the family is revoked).
  Result<Session> Refresh(std::string_view refresh_token);
  // Logs in through a provider identity: the user already linked to (provider, provider_uid); else
  // the user whose email equals a provider-verified email (the identity is linked to them); else a
  // new user. A user may hold several provider identities. AlreadyExists when an unverified email
  // matches an existing account (never linked: that is how accounts get taken over);
  // PermissionDenied for a blocked user; InvalidArgument for an empty provider or uid.
  Result<Session> LoginWithIdentity(const ExternalIdentity& identity);
  // Revokes the refresh token's family. Unauthenticated if the token does not verify.
  Status Logout(std::string_view refresh_token);
  // Revokes the login (family) an access token belongs to: its refresh tokens stop refreshing and
  // every access token of that login stops authenticating at once. Unauthenticated if the token
  // does not verify (expired included).
  Status EndSession(std::string_view access_token);
  // The user behind an access token. Unauthenticated for a bad/expired token, a deleted user, a
  // login that has ended (logout, refresh-token reuse, block: checked on every call with one
  // indexed read), or a blocked user: "User account is disabled." with detail reason =
  // kAccountDisabled, which transports use to tell a blocked user from an anonymous one.
  Result<User> Authenticate(std::string_view access_token) const;
  // As Authenticate, with the login the token belongs to and its expiry.
  Result<AccessGrant> Grant(std::string_view access_token) const;
  // The user, if `user_id` exists, is active and its login `session_id` has not ended (one indexed
  // read); Unauthenticated as Authenticate otherwise (a blocked user with reason kAccountDisabled).
  // Long-lived connections re-check their login with it.
  Result<User> CheckLogin(std::int64_t user_id, std::string_view session_id) const;
  // Called after the commit of every change that ends access (see AccessRevoked), on the thread
  // that made it; must not block. The engine publishes it to every host (clash/chat.h). Set it
  // before the Auth is used; a later call replaces the listener.
  void SetAccessRevokedListener(AccessRevokedListener listener);
  // Staff login with username and password. InvalidArgument("Unable to log in with provided
  // credentials.") for a wrong pair; PermissionDenied for a non-staff or blocked account.
  Result<Session> AdminLogin(std::string_view username, std::string_view password);
  // Creates a staff superuser with a password (>= 10 characters). AlreadyExists for a taken name or
  // email; InvalidArgument for bad input.
  Result<User> CreateSuperuser(std::string_view username, std::string_view email, std::string_view password);
  // Deletes the account and everything it owns. FailedPrecondition for the last active superuser.
  Status DeleteAccount(std::int64_t user_id);
  // Blocks or unblocks `target_id` (blocking revokes its sessions). PermissionDenied per Require();
  // FailedPrecondition for blocking the last active superuser or oneself.
  Status SetActive(const User& actor, std::int64_t target_id, bool active);
  // Grants or removes staff/superuser. Superusers only; FailedPrecondition for demoting the last
  // active superuser.
  Status SetRole(const User& actor, std::int64_t target_id, Role role);
  // NotFound if absent.
  Result<User> GetUser(std::int64_t id) const;
  // NotFound("User not found") if no user has exactly this username.
  Result<User> GetUserByUsername(std::string_view username) const;
  // The public keys (GET /api/auth/jwks.json).
  std::string JwksJson() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clash
