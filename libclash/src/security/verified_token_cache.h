// security/verified_token_cache.h — the claims of tokens whose signature was already checked.
//
// Internal to TokenVerifier. RS256 verification is the largest CPU cost of an authenticated
// request, and a client sends the same access token with every request until it expires, so the
// verifier remembers the claims of tokens it accepted: an LRU of at most `capacity` entries keyed by
// the SHA-256 of the token's bytes (a different byte anywhere is a different key, and a key never
// holds the token itself). An entry is dropped once its token expires; the type and time checks
// still run on every hit (TokenVerifier::Verify). Revocation is not the verifier's business: the
// login check after it (auth) runs on every request, cached or not.
//
// Thread-safety: every method is safe from any thread (one mutex; the critical sections are a hash
// lookup and a list splice).
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "clash/clock.h"
#include "clash/tokens.h"

namespace clash::internal {

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t capacity) : capacity_(capacity) {}
  VerifiedTokenCache(const VerifiedTokenCache&) = delete;
  VerifiedTokenCache& operator=(const VerifiedTokenCache&) = delete;

  // The key of `jwt`: its SHA-256 digest.
  static std::string KeyOf(std::string_view jwt);

  // The claims stored under `key` if they have not expired at `now`; an expired entry is removed.
  std::optional<TokenClaims> Find(const std::string& key, Timestamp now);
  // Stores `claims` under `key` as the most recently used entry, evicting the least recently used
  // one beyond the capacity. No-op with capacity 0.
  void Insert(std::string key, const TokenClaims& claims);
  std::size_t size() const;

 private:
  struct Entry {
    std::string key;
    TokenClaims claims;
  };
  using List = std::list<Entry>;

  const std::size_t capacity_;
  mutable std::mutex mu_;
  List lru_;                                                // guarded by mu_; most recent first
  std::unordered_map<std::string_view, List::iterator> by_key_;  // guarded by mu_; views into lru_
};

}  // namespace clash::internal
