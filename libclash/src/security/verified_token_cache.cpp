// The verified-token LRU. See verified_token_cache.h.
#include "security/verified_token_cache.h"

#include "common/crypto.h"

namespace clash::internal {

std::string VerifiedTokenCache::KeyOf(std::string_view jwt) { return Sha256(jwt); }

std::optional<TokenClaims> VerifiedTokenCache::Find(const std::string& key, Timestamp now) {
  std::lock_guard lock(mu_);
  auto it = by_key_.find(std::string_view(key));
  if (it == by_key_.end()) return std::nullopt;
  List::iterator entry = it->second;
  if (entry->claims.expires_at <= now) {
    by_key_.erase(it);
    lru_.erase(entry);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, entry);
  return entry->claims;
}

void VerifiedTokenCache::Insert(std::string key, const TokenClaims& claims) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  if (auto it = by_key_.find(std::string_view(key)); it != by_key_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Entry{std::move(key), claims});
  by_key_.emplace(std::string_view(lru_.front().key), lru_.begin());
  while (lru_.size() > capacity_) {
    by_key_.erase(std::string_view(lru_.back().key));
    lru_.pop_back();
  }
}

std::size_t VerifiedTokenCache::size() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

}  // namespace clash::internal
