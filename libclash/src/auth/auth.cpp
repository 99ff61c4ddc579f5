// Auth: construction, sessions (refresh, logout, authenticate) and accounts.
#include "clash/auth.h"

#include "auth/auth_impl.h"
#include "common/crypto.h"

namespace clash {

Auth::Auth(Storage& storage, Clock& clock, Rng& rng, const Logger& logger, Mailer& mailer, const TokenKeys& keys,
           AuthOptions options)
    : impl_(std::make_unique<Impl>(storage, clock, rng, logger, mailer, keys, std::move(options))) {}

Auth::~Auth() = default;

std::string Auth::JwksJson() const { return impl_->jwks; }

Result<Session> Auth::Impl::IssueSession(StorageTransaction& tx, const User& user, std::string family) {
  Timestamp now = clock.Now();
  if (family.empty()) family = rng.HexToken(16);
  TokenClaims access;
  access.type = std::string(kAccessToken);
  access.user_id = user.id;
  access.username = user.username;
  if (!user.profile.avatar_url.empty()) access.avatar_url = user.profile.avatar_url;
  access.jti = rng.HexToken(16);
  access.family = family;
  access.issued_at = now;
  access.expires_at = now + options.access_ttl;
  TokenClaims refresh = access;
  refresh.type = std::string(kRefreshToken);
  refresh.jti = rng.HexToken(16);
  refresh.family = family;
  refresh.expires_at = now + options.refresh_ttl;

  Session session;
  session.user = user;
  CLASH_ASSIGN_OR_RETURN(session.access_token, signer.Sign(access));
  CLASH_ASSIGN_OR_RETURN(session.refresh_token, signer.Sign(refresh));
  session.issued_at = now;
  session.access_expires_at = access.expires_at;
  session.refresh_expires_at = refresh.expires_at;
  CLASH_RETURN_IF_ERROR(tx.sessions().Insert({refresh.jti, family, user.id, now, refresh.expires_at, false, false}));
  return session;
}

Result<std::string> Auth::Impl::FreeUsername(StorageTransaction& tx, std::string_view seed) {
  std::string base;
  for (char c : seed) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '.' || l == '-') base.push_back(l);
    if (base.size() >= 30) break;
  }
  if (base.empty()) base = "player";
  for (int i = 0; i < 1000; ++i) {
    std::string candidate = i == 0 ? base : base + "_" + std::to_string(i);
    // Usernames are unique ignoring case (migration 14): "Ada" takes "ada" too.
    CLASH_ASSIGN_OR_RETURN(bool taken, tx.social().UsernameTakenFolded(candidate, /*except_id=*/0));
    if (!taken) return candidate;
  }
  return base + "_" + rng.HexToken(4);
}

std::string Auth::Impl::OtpHash(std::string_view email, std::string_view code) const {
  std::string message(email);
  message += ':';
  message += code;
  return internal::KeyedHash(options.secret_key, message);
}

Result<Session> Auth::Refresh(std::string_view refresh_token) {
  Result<TokenClaims> claims = impl_->verifier.Verify(refresh_token, kRefreshToken, impl_->clock.Now());
  if (!claims.ok()) return Status::Unauthenticated("Invalid or expired refresh token");
  enum class Outcome { kIssued, kUnknown, kReused, kDisabled } outcome = Outcome::kUnknown;
  Session session;
  Status s = impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    outcome = Outcome::kUnknown;
    Result<RefreshRecord> rec = tx.sessions().Get(claims->jti);
    if (rec.status().code() == StatusCode::kNotFound) return Status::Ok();
    if (!rec.ok()) return rec.status();
    if (rec->revoked || rec->user_id != claims->user_id) return Status::Ok();
    CLASH_ASSIGN_OR_RETURN(bool fresh, tx.sessions().MarkRotated(claims->jti));
    if (!fresh) {
      outcome = Outcome::kReused;
      impl_->ReportRevoked(tx, {rec->user_id, rec->family, false});
      return tx.sessions().RevokeFamily(rec->family);
    }
    Result<User> user = tx.users().GetById(rec->user_id);
    if (user.status().code() == StatusCode::kNotFound) return Status::Ok();
    if (!user.ok()) return user.status();
    if (!user->is_active) {
      outcome = Outcome::kDisabled;
      return tx.sessions().RevokeFamily(rec->family);
    }
    CLASH_ASSIGN_OR_RETURN(session, impl_->IssueSession(tx, *user, rec->family));
    outcome = Outcome::kIssued;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  switch (outcome) {
    case Outcome::kIssued: return session;
    case Outcome::kReused:
      impl_->logger.Warn("refresh token reuse: family revoked", {{"user_id", claims->user_id}});
      return Status::Unauthenticated("Refresh token was already used; please log in again");
    case Outcome::kDisabled: return Status::PermissionDenied("User account is disabled.");
    case Outcome::kUnknown: break;
  }
  return Status::Unauthenticated("Invalid or expired refresh token");
}

Status Auth::Logout(std::string_view refresh_token) {
  Result<TokenClaims> claims = impl_->verifier.Verify(refresh_token, kRefreshToken, impl_->clock.Now());
  if (!claims.ok()) return Status::Unauthenticated("Invalid or expired refresh token");
  return impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.sessions().RevokeFamily(claims->family));
    impl_->ReportRevoked(tx, {claims->user_id, claims->family, false});
    return Status::Ok();
  });
}

Status Auth::EndSession(std::string_view access_token) {
  Result<TokenClaims> claims = impl_->verifier.Verify(access_token, kAccessToken, impl_->clock.Now());
  if (!claims.ok()) return Status::Unauthenticated("Invalid or expired token");
  return impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.sessions().RevokeFamily(claims->family));
    impl_->ReportRevoked(tx, {claims->user_id, claims->family, false});
    return Status::Ok();
  });
}

Result<User> Auth::Impl::ActiveLogin(std::int64_t user_id, std::string_view family) const {
  Result<User> user = Status::Unauthenticated("User not found");
  bool session_active = false;
  CLASH_RETURN_IF_ERROR(storage.Read([&](StorageTransaction& tx) -> Status {
    // One statement: this runs on every authenticated request.
    Result<std::pair<User, bool>> found = tx.users().GetWithLoginState(user_id, family);
    if (!found.ok()) return found.status().code() == StatusCode::kNotFound ? Status::Ok() : found.status();
    user = std::move(found->first);
    session_active = found->second;
    return Status::Ok();
  }));
  if (!user.ok()) return Status::Unauthenticated("User not found");
  if (!user->is_active) {
    return Status::Unauthenticated("User account is disabled.").WithDetail("reason", std::string(kAccountDisabled));
  }
  if (!session_active) return Status::Unauthenticated("Session has ended; please log in again");
  return user;
}

void Auth::Impl::ReportRevoked(StorageTransaction& tx, AccessRevoked revoked) {
  std::shared_ptr<const AccessRevokedListener> listener;
  {
    std::lock_guard<std::mutex> lock(listener_mu);
    listener = revoked_listener;
  }
  if (!listener) return;
  tx.OnCommit([listener, revoked = std::move(revoked)] { (*listener)(revoked); });
}

Result<User> Auth::Authenticate(std::string_view access_token) const {
  CLASH_ASSIGN_OR_RETURN(AccessGrant grant, Grant(access_token));
  return std::move(grant.user);
}

Result<AccessGrant> Auth::Grant(std::string_view access_token) const {
  Result<TokenClaims> claims = impl_->verifier.Verify(access_token, kAccessToken, impl_->clock.Now());
  if (!claims.ok()) return Status::Unauthenticated("Invalid or expired token");
  CLASH_ASSIGN_OR_RETURN(User user, impl_->ActiveLogin(claims->user_id, claims->family));
  return AccessGrant{std::move(user), claims->family, claims->expires_at};
}

Result<User> Auth::CheckLogin(std::int64_t user_id, std::string_view session_id) const {
  return impl_->ActiveLogin(user_id, session_id);
}

void Auth::SetAccessRevokedListener(AccessRevokedListener listener) {
  std::lock_guard<std::mutex> lock(impl_->listener_mu);
  impl_->revoked_listener = listener ? std::make_shared<const AccessRevokedListener>(std::move(listener)) : nullptr;
}

Result<User> Auth::GetUser(std::int64_t id) const {
  User out;
  CLASH_RETURN_IF_ERROR(impl_->storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.users().GetById(id));
    return Status::Ok();
  }));
  return out;
}

Result<User> Auth::GetUserByUsername(std::string_view username) const {
  Result<User> out = Status::NotFound("User not found");
  CLASH_RETURN_IF_ERROR(impl_->storage.Read([&](StorageTransaction& tx) -> Status {
    out = tx.users().GetByUsername(username);
    return Status::Ok();
  }));
  if (!out.ok() && out.status().code() == StatusCode::kNotFound) return Status::NotFound("User not found");
  return out;
}

}  // namespace clash
