// clash/tokens.h — RS256 JSON Web Tokens: key sets with rotation, JWKS, signing and verification.
//
// This header provides:
//   TokenKeys      a set of RSA key pairs (or public keys), each named by a `kid`; at most one signs,
//                  the others only verify, so keys rotate without logging anyone out. Publishes JWKS.
//   TokenClaims    what an access or refresh token says.
//   TokenSigner    claims -> compact JWT (header {"alg":"RS256","typ":"JWT","kid":...}).
//   TokenVerifier  compact JWT -> claims, or Unauthenticated for every bad token (see Verify).
// docs/security.md describes the token format and the rotation procedure.
//
// Thread-safety: TokenKeys is a value type (copies share the immutable keys); mutating one object from
// several threads needs external locking. TokenSigner and TokenVerifier are immutable after
// construction (apart from the verifier's internal cache of accepted tokens, which locks) and safe
// for concurrent use. To rotate keys in a running process, build a new
// signer/verifier from the new TokenKeys and swap a std::shared_ptr to it.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(clash::TokenKeys keys, clash::TokenKeys::LoadOrCreate(data_dir, rng));
//   clash::TokenSigner signer(keys);
//   clash::TokenVerifier verifier(keys);
//   CLASH_ASSIGN_OR_RETURN(std::string jwt, signer.Sign(claims));
//   CLASH_ASSIGN_OR_RETURN(clash::TokenClaims c, verifier.Verify(jwt, clash::kAccessToken, clock.Now()));
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/rng.h"
#include "clash/status.h"

namespace clash {

namespace internal {
struct TokenKey;
class VerifiedTokenCache;
}  // namespace internal

// The two token types (the `type` claim).
inline constexpr std::string_view kAccessToken = "access";
inline constexpr std::string_view kRefreshToken = "refresh";

// Tokens longer than this are rejected before any parsing.
inline constexpr std::size_t kMaxTokenBytes = 8 * 1024;
// How far in the future `iat` may lie (clock skew between hosts). `exp` gets no leeway.
inline constexpr std::chrono::seconds kTokenIatLeeway{5};
// How many verified tokens a TokenVerifier remembers by default (see TokenVerifier).
inline constexpr std::size_t kVerifiedTokenCacheEntries = 8192;
// The size of keys made by TokenKeys::Rotate and LoadOrCreate. Loaded keys must have >= 2048 bits.
inline constexpr int kGeneratedKeyBits = 2048;

class CLASH_EXPORT TokenKeys {
 public:
  // An empty set: no key signs, nothing verifies.
  TokenKeys();
  ~TokenKeys();
  TokenKeys(const TokenKeys&);
  TokenKeys& operator=(const TokenKeys&);
  TokenKeys(TokenKeys&&) noexcept;
  TokenKeys& operator=(TokenKeys&&) noexcept;

  // The embedded default. Loads `dir`/token-signing-key.pem (the signing key) and every
  // `dir`/token-retired-*.pem (verify only). If there is no signing key yet, generates a
  // kGeneratedKeyBits RSA key and writes it with mode 0600 (creating `dir` with mode 0700 if
  // needed), so later runs reuse it. `rng` names temporary files; key material comes from OpenSSL's
  // CSPRNG. Key ids are RFC 7638 thumbprints. Returns FailedPrecondition if a key file is readable
  // by group or others or is not a regular file, InvalidArgument if a file is not an RSA PEM key of
  // >= 2048 bits, Internal on an I/O error.
  static Result<TokenKeys> LoadOrCreate(const std::filesystem::path& dir, Rng& rng);

  // Rotation of the embedded default: keeps the current signing key of `dir` as
  // token-retired-<kid>.pem, writes a new signing key, and returns the resulting set (as
  // LoadOrCreate would load it). Delete a retired file once every token it signed has expired
  // (the refresh lifetime). Errors as LoadOrCreate.
  static Result<TokenKeys> RotateInDir(const std::filesystem::path& dir, Rng& rng);

  // Adds a private key (PKCS#1 or PKCS#8 PEM, unencrypted) and makes it the signing key; the
  // previous signing key stays in the set for verification only. `pem` may use literal "\n"
  // escapes instead of line breaks (keys passed through environment variables). An empty `kid`
  // means the RFC 7638 thumbprint. Returns InvalidArgument for anything but an RSA key of >= 2048
  // bits or for a kid outside [A-Za-z0-9._-]{1,128}, AlreadyExists if `kid` is already in the set.
  Status AddSigningKeyPem(std::string_view pem, std::string_view kid = {});
  // As AddSigningKeyPem, reading the PEM from `path`: NotFound if it does not exist,
  // FailedPrecondition if it is not a regular file (symlinks are followed, so mounted secrets work;
  // the file mode is not checked here, unlike LoadOrCreate), Internal on an I/O error.
  Status AddSigningKeyFile(const std::filesystem::path& path, std::string_view kid = {});

  // Adds a key that verifies only: a public key ("BEGIN PUBLIC KEY") or a private key, of which only
  // the public half is used. Errors as AddSigningKeyPem.
  Status AddVerificationKeyPem(std::string_view pem, std::string_view kid = {});
  Status AddVerificationKeyFile(const std::filesystem::path& path, std::string_view kid = {});

  // Generates a new kGeneratedKeyBits key (in memory only) and makes it the signing key; the
  // previous signing key keeps verifying. Returns the new kid. Internal if key generation fails.
  Result<std::string> Rotate();

  // Removes the key `kid`: tokens it signed stop verifying. Removing the signing key leaves the set
  // without one (Sign then fails). Returns NotFound if `kid` is not in the set.
  Status Remove(std::string_view kid);

  // The kid of the signing key, or empty if no key signs.
  const std::string& signing_kid() const { return signing_kid_; }
  // Every kid in the set, in insertion order.
  std::vector<std::string> kids() const;
  bool empty() const { return keys_.empty(); }

  // The public keys as a JWKS document:
  //   {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"...","n":"...","e":"..."}, ...]}
  // with n and e in unpadded base64url, the signing key first. Never contains private material.
  std::string JwksJson() const;

 private:
  friend class TokenSigner;
  friend class TokenVerifier;
  Status Add(std::shared_ptr<const internal::TokenKey> key, bool signing);
  const internal::TokenKey* Find(std::string_view kid) const;

  std::vector<std::shared_ptr<const internal::TokenKey>> keys_;
  std::string signing_kid_;
};

// The claims of an access or refresh token. Times are whole seconds on the wire: sub-second parts
// are dropped when signing.
struct TokenClaims {
  std::string type;                        // kAccessToken or kRefreshToken
  std::int64_t user_id = 0;
  std::string username;
  std::optional<std::string> avatar_url;  // absolute URL, or nullopt (null on the wire)
  std::string jti;                         // unique token id: use rng.HexToken(16)
  std::string family;                      // the login's session id ("fam"): the refresh-token family
                                           // both tokens belong to; revoking it ends both
  Timestamp issued_at;                     // "iat"
  Timestamp expires_at;                    // "exp"
};

class CLASH_EXPORT TokenSigner {
 public:
  // Signs with the signing key of `keys` as it is now (later changes to `keys` do not apply).
  explicit TokenSigner(const TokenKeys& keys);
  ~TokenSigner();

  // Returns the compact JWT: base64url(header).base64url(claims).base64url(RSA-SHA256 signature),
  // claims {"user_id","username","avatar_url","jti","type","iat","exp","fam"}. Returns
  // FailedPrecondition if the key set has no signing key; InvalidArgument if `type` is neither
  // "access" nor "refresh", `jti` or `family` is empty, `expires_at` <= `issued_at`, a string is not
  // valid UTF-8, or the token would exceed kMaxTokenBytes.
  Result<std::string> Sign(const TokenClaims& claims) const;

  const std::string& kid() const;

 private:
  std::shared_ptr<const internal::TokenKey> key_;
};

class CLASH_EXPORT TokenVerifier {
 public:
  // Verifies against every key of `keys` as it is now (later changes to `keys` do not apply).
  // Remembers the claims of up to `cache_entries` accepted tokens (least recently used dropped
  // first, each until its `exp`), keyed by the SHA-256 of the token's bytes, so a client's repeated
  // token skips the RSA check; the type and time checks below still run on every call. 0: no cache.
  // Copies share the cache.
  explicit TokenVerifier(const TokenKeys& keys, std::size_t cache_entries = kVerifiedTokenCacheEntries);
  ~TokenVerifier();

  // Returns the claims of `jwt` if it is an RS256 token signed by a key of the set, of type
  // `expected_type`, not expired at `now` (exp <= now is expired; no leeway) and not issued more
  // than kTokenIatLeeway after `now`. Every bad token gives Unauthenticated with a short message:
  // longer than kMaxTokenBytes, not three base64url parts, a header or payload that is not a JSON
  // object, `alg` other than "RS256" (including "none" and HS256), `typ` other than "JWT", a
  // `crit` header, a missing or unknown `kid`, a bad signature, a missing or mistyped claim
  // (user_id, username, jti, type, iat, exp, fam), exp <= iat, the wrong type,
  // expired, issued in the future. Returns InvalidArgument only if `expected_type` is neither
  // kAccessToken nor kRefreshToken (a programming error).
  Result<TokenClaims> Verify(std::string_view jwt, std::string_view expected_type, Timestamp now) const;

  // How many accepted tokens the cache holds now (for tests and metrics).
  std::size_t cached_tokens() const;

 private:
  Result<TokenClaims> VerifyUncached(std::string_view jwt, std::string_view expected_type, Timestamp now) const;

  std::vector<std::shared_ptr<const internal::TokenKey>> keys_;
  std::shared_ptr<internal::VerifiedTokenCache> cache_;  // null: no cache
};

}  // namespace clash
