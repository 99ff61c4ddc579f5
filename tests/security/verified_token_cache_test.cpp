// TokenVerifier's cache of accepted tokens: a cached token still gets every check that depends on
// the call (type, expiry, issued in the future); only accepted tokens are remembered; a token that
// differs in any byte is verified in full; the cache stays within its bound under concurrent use.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "clash/tokens.h"
#include "common/crypto.h"
#include "security_test_util.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

constexpr std::int64_t kNow = 1'700'000'000;

TokenClaims Claims(std::string type, std::string jti, std::int64_t lifetime = 3600) {
  TokenClaims c;
  c.type = std::move(type);
  c.user_id = 42;
  c.username = "ada";
  c.jti = std::move(jti);
  c.family = "fam-1";
  c.issued_at = Timestamp::FromUnixSeconds(kNow);
  c.expires_at = Timestamp::FromUnixSeconds(kNow + lifetime);
  return c;
}

class VerifiedTokenCacheTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_THAT(keys_.AddSigningKeyPem(testing::kTestKeyA, "key-a"), IsOk()); }
  Status Verify(const TokenVerifier& v, const std::string& jwt, std::string_view type, std::int64_t now) {
    return v.Verify(jwt, type, Timestamp::FromUnixSeconds(now)).status();
  }
  TokenKeys keys_;
};

TEST_F(VerifiedTokenCacheTest, CachedTokenIsCheckedForTypeAndTimeOnEveryCall) {
  TokenSigner signer(keys_);
  TokenVerifier verifier(keys_);
  std::string access = signer.Sign(Claims("access", "j1")).value();
  ASSERT_THAT(Verify(verifier, access, kAccessToken, kNow + 10), IsOk());
  EXPECT_EQ(verifier.cached_tokens(), 1u);

  Result<TokenClaims> again = verifier.Verify(access, kAccessToken, Timestamp::FromUnixSeconds(kNow + 20));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->user_id, 42);
  EXPECT_EQ(again->jti, "j1");
  EXPECT_EQ(again->family, "fam-1");

  Status wrong_type = Verify(verifier, access, kRefreshToken, kNow + 20);
  EXPECT_THAT(wrong_type, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(wrong_type.message(), "invalid token type");

  Status early = Verify(verifier, access, kAccessToken, kNow - 60);
  EXPECT_THAT(early, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(early.message(), "token issued in the future");

  Status expired = Verify(verifier, access, kAccessToken, kNow + 3600);
  EXPECT_THAT(expired, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(expired.message(), "token expired");
  EXPECT_EQ(verifier.cached_tokens(), 0u);  // the expired entry is gone
}

TEST_F(VerifiedTokenCacheTest, OnlyAcceptedTokensAreRememberedAndAnyChangedByteIsVerifiedInFull) {
  TokenSigner signer(keys_);
  TokenVerifier verifier(keys_);
  std::string good = signer.Sign(Claims("access", "j1")).value();
  // Rejected tokens are not cached: wrong type, expired.
  EXPECT_THAT(Verify(verifier, good, kRefreshToken, kNow), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(Verify(verifier, good, kAccessToken, kNow + 7200), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(verifier.cached_tokens(), 0u);

  ASSERT_THAT(Verify(verifier, good, kAccessToken, kNow), IsOk());
  ASSERT_EQ(verifier.cached_tokens(), 1u);
  // The same header and payload with one signature bit flipped is not the cached token.
  std::size_t dot = good.rfind('.');
  std::string sig = internal::Base64UrlDecode(good.substr(dot + 1)).value();
  sig[7] = static_cast<char>(sig[7] ^ 1);
  std::string forged = good.substr(0, dot + 1) + internal::Base64UrlEncode(sig);
  Status s = Verify(verifier, forged, kAccessToken, kNow);
  EXPECT_THAT(s, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(s.message(), "invalid token signature");
  EXPECT_EQ(verifier.cached_tokens(), 1u);

  // A verifier built on another key set does not share the cache: the token fails there.
  TokenKeys other;
  ASSERT_THAT(other.AddSigningKeyPem(testing::kTestKeyB, "key-b"), IsOk());
  EXPECT_THAT(Verify(TokenVerifier(other), good, kAccessToken, kNow), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(VerifiedTokenCacheTest, BoundedLeastRecentlyUsedFirst) {
  TokenSigner signer(keys_);
  TokenVerifier verifier(keys_, /*cache_entries=*/2);
  std::string a = signer.Sign(Claims("access", "a")).value();
  std::string b = signer.Sign(Claims("access", "b")).value();
  std::string c = signer.Sign(Claims("access", "c")).value();
  ASSERT_THAT(Verify(verifier, a, kAccessToken, kNow), IsOk());
  ASSERT_THAT(Verify(verifier, b, kAccessToken, kNow), IsOk());
  ASSERT_THAT(Verify(verifier, a, kAccessToken, kNow), IsOk());  // a is now the most recent
  ASSERT_THAT(Verify(verifier, c, kAccessToken, kNow), IsOk());  // evicts b
  EXPECT_EQ(verifier.cached_tokens(), 2u);
  // Every token still verifies (b in full again), and the bound holds.
  for (const std::string* t : {&a, &b, &c}) EXPECT_THAT(Verify(verifier, *t, kAccessToken, kNow), IsOk());
  EXPECT_EQ(verifier.cached_tokens(), 2u);

  TokenVerifier uncached(keys_, /*cache_entries=*/0);
  EXPECT_THAT(Verify(uncached, a, kAccessToken, kNow), IsOk());
  EXPECT_EQ(uncached.cached_tokens(), 0u);
}

TEST_F(VerifiedTokenCacheTest, ConcurrentVerificationsAgreeAndStayBounded) {
  TokenSigner signer(keys_);
  TokenVerifier verifier(keys_, /*cache_entries=*/8);
  std::vector<std::string> tokens;
  for (int i = 0; i < 20; ++i) tokens.push_back(signer.Sign(Claims("access", "t" + std::to_string(i))).value());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
          const std::string& jwt = tokens[(i + static_cast<std::size_t>(t) * 5) % tokens.size()];
          Result<TokenClaims> c = verifier.Verify(jwt, kAccessToken, Timestamp::FromUnixSeconds(kNow));
          if (!c.ok() || c->jti != "t" + std::to_string((i + static_cast<std::size_t>(t) * 5) % tokens.size())) {
            ++failures;
          }
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(verifier.cached_tokens(), 8u);
}

}  // namespace
}  // namespace clash
