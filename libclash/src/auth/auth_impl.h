// Internal: Auth's state and the helpers its operations share.
#pragma once

#include <memory>
#include <mutex>

#include "clash/auth.h"
#include "clash/storage.h"
#include "clash/tokens.h"
#include "clash/transport.h"

namespace clash {

struct Auth::Impl {
  Impl(Storage& s, Clock& c, Rng& r, const Logger& l, Mailer& m, const TokenKeys& k, AuthOptions o)
      : storage(s), clock(c), rng(r), logger(l), mailer(m), signer(k), verifier(k), jwks(k.JwksJson()),
        options(std::move(o)) {}

  // Issues an access token and a refresh token of `family` (a new family if empty) for `user`,
  // recording the refresh token in `tx`.
  Result<Session> IssueSession(StorageTransaction& tx, const User& user, std::string family);
  // A username derived from `seed` (an email local part or a provider login) that is not taken.
  Result<std::string> FreeUsername(StorageTransaction& tx, std::string_view seed);
  std::string OtpHash(std::string_view email, std::string_view code) const;
  // Reports `revoked` to the listener once `tx` commits.
  void ReportRevoked(StorageTransaction& tx, AccessRevoked revoked);
  // The user of `user_id` if it is active and the login `family` is active (Authenticate's checks).
  Result<User> ActiveLogin(std::int64_t user_id, std::string_view family) const;

  Storage& storage;
  Clock& clock;
  Rng& rng;
  const Logger& logger;
  Mailer& mailer;
  TokenSigner signer;
  TokenVerifier verifier;
  std::string jwks;
  AuthOptions options;
  std::mutex listener_mu;
  std::shared_ptr<const AccessRevokedListener> revoked_listener;  // guarded by listener_mu
};

}  // namespace clash
