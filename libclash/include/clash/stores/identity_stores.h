// clash/stores/identity_stores.h — storage of users and provider identities, email one-time codes, refresh-token families (used by clash::Auth).
//
// For backend authors: implement these interfaces (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls them directly. Every method runs inside the
// transaction that handed the store out and documents its success and failure results; the contract
// suite (tests/storage/) checks them on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/auth.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/shop.h"
#include "clash/status.h"

namespace clash {

// Users, their provider identities and password hashes. Used by Auth.
struct NewUser {
  std::string username;
  std::string email;                   // already normalised; empty allowed
  std::string first_name;
  std::string last_name;
  std::string password_hash;           // Argon2id string, or empty (no password login)
  bool is_staff = false;
  bool is_superuser = false;
  UserProfile profile;
  Timestamp created_at;
};

class CLASH_EXPORT UserStore {
 public:
  virtual ~UserStore() = default;
  // Inserts a user. AlreadyExists if the username or a non-empty email is taken.
  virtual Result<User> Create(const NewUser& user) = 0;
  // NotFound if there is no such user.
  virtual Result<User> GetById(std::int64_t id) = 0;
  // GetById together with SessionStore::FamilyActive(family), in one read: the login check every
  // authenticated request makes. NotFound if there is no such user.
  virtual Result<std::pair<User, bool>> GetWithLoginState(std::int64_t id, std::string_view family) = 0;
  virtual Result<User> GetByEmail(std::string_view email) = 0;
  virtual Result<User> GetByUsername(std::string_view username) = 0;
  // The stored password hash ("" if none); NotFound for an unknown user.
  virtual Result<std::string> PasswordHash(std::int64_t id) = 0;
  // Writes names, flags and profile of `user` (by id), except the referral code (set only through
  // WalletStore::SetReferralCode) and the equipped cosmetics (SetEquipped), so writing back a User
  // read earlier never undoes a concurrent change of those. NotFound if it does not exist;
  // AlreadyExists if the new username or email is taken.
  virtual Status Update(const User& user) = 0;
  // Sets the one profile field of `category` (active_theme, active_font, active_effect,
  // active_victory) and nothing else. `value` nullopt clears it, which only the effect allows
  // (InvalidArgument otherwise). NotFound if the user does not exist.
  virtual Status SetEquipped(std::int64_t user_id, ShopCategory category, std::optional<std::string> value) = 0;
  // Deletes the user and everything that belongs to them. NotFound if absent.
  virtual Status Delete(std::int64_t id) = 0;
  virtual Result<std::int64_t> CountActiveSuperusers() = 0;
  // The user linked to (provider, provider_uid), if any.
  virtual Result<std::optional<std::int64_t>> FindIdentity(std::string_view provider, std::string_view provider_uid) = 0;
  // Links (provider, provider_uid) to `user_id`. AlreadyExists if it is linked to anyone.
  virtual Status LinkIdentity(std::int64_t user_id, std::string_view provider, std::string_view provider_uid,
                              Timestamp now) = 0;
};

// Email one-time codes: only keyed hashes are stored.
struct OtpGuard {
  int requests = 0;                    // codes requested since window_start
  Timestamp window_start;
  int failures = 0;                    // wrong codes since the last success or lock
  Timestamp locked_until;              // verification refused before this time
};

class CLASH_EXPORT OtpStore {
 public:
  virtual ~OtpStore() = default;
  // The guard of `email` (a zero guard if none), locked until the transaction ends so concurrent
  // requests for one email count correctly. Save it back in the same transaction.
  virtual Result<OtpGuard> LockGuard(std::string_view email) = 0;
  virtual Status SaveGuard(std::string_view email, const OtpGuard& guard) = 0;
  // Invalidates every earlier code of `email` and stores `code_hash`, valid until `expires_at`.
  virtual Status ReplaceCode(std::string_view email, std::string_view code_hash, Timestamp created_at,
                             Timestamp expires_at) = 0;
  // Marks the unused code of `email` with `code_hash`, valid at `now`, used. Returns true if there
  // was one: of two concurrent calls with the same code exactly one gets true.
  virtual Result<bool> ConsumeCode(std::string_view email, std::string_view code_hash, Timestamp now) = 0;
};

// Refresh tokens, by their `jti`, grouped in families (one login = one family).
struct RefreshRecord {
  std::string jti;
  std::string family;
  std::int64_t user_id = 0;
  Timestamp issued_at;
  Timestamp expires_at;
  bool rotated = false;                // a newer token of the family replaced it
  bool revoked = false;                // the family was revoked (logout, reuse, block)
};

class CLASH_EXPORT SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Status Insert(const RefreshRecord& record) = 0;
  // NotFound if `jti` is unknown.
  virtual Result<RefreshRecord> Get(std::string_view jti) = 0;
  // Marks `jti` rotated if it is neither rotated nor revoked; returns false if it already was
  // (the caller then treats the use as a reuse). Atomic under concurrent calls.
  virtual Result<bool> MarkRotated(std::string_view jti) = 0;
  virtual Status RevokeFamily(std::string_view family) = 0;
  // True if `family` (one login: its refresh tokens and the access tokens issued with them) has a
  // token on record and was not revoked; false for a revoked or unknown family. Access tokens are
  // checked with it on every request, so it must be one indexed read.
  virtual Result<bool> FamilyActive(std::string_view family) = 0;
  virtual Status RevokeUser(std::int64_t user_id) = 0;
};

}  // namespace clash
