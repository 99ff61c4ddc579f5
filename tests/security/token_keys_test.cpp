// TokenKeys: loading, rotation, JWKS, and the embedded-default key directory.
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "clash/tokens.h"
#include "security_test_util.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::clash::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::int64_t kNow = 1'700'000'000;

TokenClaims Claims(std::string jti = "jti-1") {
  TokenClaims c;
  c.type = "access";
  c.user_id = 7;
  c.username = "grace";
  c.jti = std::move(jti);
  c.family = "login-1";
  c.issued_at = Timestamp::FromUnixSeconds(kNow);
  c.expires_at = Timestamp::FromUnixSeconds(kNow + 3600);
  return c;
}

Status Check(const TokenKeys& keys, const std::string& jwt) {
  return TokenVerifier(keys).Verify(jwt, kAccessToken, Timestamp::FromUnixSeconds(kNow)).status();
}

unsigned Mode(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

void WriteFile(const fs::path& p, const std::string& data, fs::perms perms) {
  std::ofstream(p) << data;
  fs::permissions(p, perms);
}

std::string EscapeNewlines(std::string pem) {
  std::string out;
  for (char c : pem) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

TEST(TokenKeysTest, LoadsPemFormatsWithThumbprintKid) {
  TokenKeys pkcs8;
  ASSERT_THAT(pkcs8.AddSigningKeyPem(testing::kTestKeyA), IsOk());
  TokenKeys pkcs1;
  ASSERT_THAT(pkcs1.AddSigningKeyPem(testing::kTestKeyAPkcs1), IsOk());
  TokenKeys escaped;  // a key passed through an environment variable with literal \n escapes
  std::string env_value = EscapeNewlines(testing::kTestKeyA);
  ASSERT_EQ(env_value.find('\n'), std::string::npos);
  ASSERT_THAT(escaped.AddSigningKeyPem(env_value), IsOk());

  EXPECT_EQ(pkcs8.signing_kid().size(), 43u);  // base64url(SHA-256)
  EXPECT_EQ(pkcs8.signing_kid(), pkcs1.signing_kid());
  EXPECT_EQ(pkcs8.signing_kid(), escaped.signing_kid());
  // The same key yields the same kid on every host, so tokens verify across hosts.
  std::string jwt = TokenSigner(pkcs1).Sign(Claims()).value();
  EXPECT_THAT(Check(escaped, jwt), IsOk());
}

TEST(TokenKeysTest, RejectsUnusableKeys) {
  TokenKeys keys;
  EXPECT_THAT(keys.AddSigningKeyPem(testing::kTestKey1024), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(keys.AddSigningKeyPem(testing::kTestKeyEc), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(keys.AddSigningKeyPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(keys.AddSigningKeyPem(""), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(keys.AddVerificationKeyPem("garbage"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(keys.AddSigningKeyPem(testing::kTestKeyA, "bad kid"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(keys.AddSigningKeyPem(testing::kTestKeyA, "a\"b"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_TRUE(keys.empty());

  ASSERT_THAT(keys.AddSigningKeyPem(testing::kTestKeyA, "k1"), IsOk());
  EXPECT_THAT(keys.AddVerificationKeyPem(testing::kTestKeyB, "k1"), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(keys.AddSigningKeyPem(testing::kTestKeyA), IsOk());  // same key, other kid: allowed
}

TEST(TokenKeysTest, PublicKeyVerifiesButCannotSign) {
  TokenKeys full;
  ASSERT_THAT(full.AddSigningKeyPem(testing::kTestKeyA, "k"), IsOk());
  json jwks = json::parse(full.JwksJson());
  std::string public_pem =
      testing::PublicPemFromJwk(jwks["keys"][0]["n"].get<std::string>(), jwks["keys"][0]["e"].get<std::string>());
  ASSERT_THAT(public_pem, HasSubstr("BEGIN PUBLIC KEY"));

  TokenKeys pub;
  EXPECT_THAT(pub.AddSigningKeyPem(public_pem), StatusIs(StatusCode::kInvalidArgument));
  ASSERT_THAT(pub.AddVerificationKeyPem(EscapeNewlines(public_pem), "k"), IsOk());
  EXPECT_EQ(pub.signing_kid(), "");
  EXPECT_THAT(TokenSigner(pub).Sign(Claims()), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Check(pub, TokenSigner(full).Sign(Claims()).value()), IsOk());
}

TEST(TokenKeysTest, LoadsFromFiles) {
  TempDir dir;
  WriteFile(dir.path() / "a.pem", testing::kTestKeyA, fs::perms::owner_read | fs::perms::owner_write);
  TokenKeys keys;
  ASSERT_THAT(keys.AddSigningKeyFile(dir.path() / "a.pem", "file-key"), IsOk());
  EXPECT_EQ(keys.signing_kid(), "file-key");
  EXPECT_THAT(keys.AddVerificationKeyFile(dir.path() / "missing.pem"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(keys.AddVerificationKeyFile(dir.path()), StatusIs(StatusCode::kFailedPrecondition));
}

TEST(TokenKeysTest, RotationKeepsOldKeysVerifyingUntilRemoved) {
  TokenKeys keys;
  ASSERT_THAT(keys.AddSigningKeyPem(testing::kTestKeyA, "old"), IsOk());
  std::string old_token = TokenSigner(keys).Sign(Claims("old")).value();

  ASSERT_THAT(keys.AddSigningKeyPem(testing::kTestKeyB, "new"), IsOk());
  EXPECT_EQ(keys.signing_kid(), "new");
  EXPECT_THAT(keys.kids(), ElementsAre("old", "new"));
  TokenSigner signer(keys);
  EXPECT_EQ(signer.kid(), "new");
  std::string new_token = signer.Sign(Claims("new")).value();
  EXPECT_THAT(Check(keys, old_token), IsOk());
  EXPECT_THAT(Check(keys, new_token), IsOk());

  TokenVerifier before_removal(keys);  // built earlier: unaffected by later changes
  ASSERT_THAT(keys.Remove("old"), IsOk());
  EXPECT_THAT(keys.Remove("old"), StatusIs(StatusCode::kNotFound));
  Status gone = Check(keys, old_token);
  EXPECT_THAT(gone, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(gone.message(), "unknown token key id");
  EXPECT_THAT(Check(keys, new_token), IsOk());
  EXPECT_THAT(before_removal.Verify(old_token, kAccessToken, Timestamp::FromUnixSeconds(kNow)), IsOk());

  ASSERT_THAT(keys.Remove("new"), IsOk());
  EXPECT_EQ(keys.signing_kid(), "");
  EXPECT_THAT(TokenSigner(keys).Sign(Claims()), StatusIs(StatusCode::kFailedPrecondition));
}

TEST(TokenKeysTest, RotateGeneratesANewSigningKey) {
  TokenKeys keys;
  ASSERT_THAT(keys.AddSigningKeyPem(testing::kTestKeyA, "old"), IsOk());
  std::string old_token = TokenSigner(keys).Sign(Claims()).value();
  Result<std::string> kid = keys.Rotate();
  ASSERT_THAT(kid, IsOk());
  EXPECT_EQ(keys.signing_kid(), *kid);
  EXPECT_NE(*kid, "old");
  std::string new_token = TokenSigner(keys).Sign(Claims()).value();
  EXPECT_THAT(Check(keys, old_token), IsOk());
  EXPECT_THAT(Check(keys, new_token), IsOk());
  ASSERT_THAT(keys.Remove("old"), IsOk());
  EXPECT_THAT(Check(keys, old_token), StatusIs(StatusCode::kUnauthenticated));
}

TEST(TokenKeysTest, JwksPublishesPublicKeysThatVerifyTokens) {
  TokenKeys keys;
  ASSERT_THAT(keys.AddSigningKeyPem(testing::kTestKeyA, "old"), IsOk());
  ASSERT_THAT(keys.AddSigningKeyPem(testing::kTestKeyB, "new"), IsOk());
  std::string old_token = TokenSigner(keys).Sign(Claims()).value();  // signed by "new"

  std::string text = keys.JwksJson();
  EXPECT_EQ(text.find("PRIVATE"), std::string::npos);
  json jwks = json::parse(text);
  ASSERT_EQ(jwks.size(), 1u);
  ASSERT_EQ(jwks["keys"].size(), 2u);
  EXPECT_EQ(jwks["keys"][0]["kid"], "new");  // the signing key first
  EXPECT_EQ(jwks["keys"][1]["kid"], "old");
  for (const json& k : jwks["keys"]) {
    EXPECT_EQ(k["kty"], "RSA");
    EXPECT_EQ(k["use"], "sig");
    EXPECT_EQ(k["alg"], "RS256");
    EXPECT_EQ(k["e"], "AQAB");
    EXPECT_EQ(k.size(), 6u) << k.dump();  // kty use alg kid n e: no d, p, q, ...
    std::string n = k["n"].get<std::string>();
    EXPECT_EQ(n.find('='), std::string::npos);
    EXPECT_EQ(n.size(), 342u);  // 256 bytes, unpadded base64url
  }

  // A verifier that only knows the JWKS accepts the token.
  TokenKeys from_jwks;
  for (const json& k : jwks["keys"]) {
    std::string pem = testing::PublicPemFromJwk(k["n"].get<std::string>(), k["e"].get<std::string>());
    ASSERT_THAT(from_jwks.AddVerificationKeyPem(pem, k["kid"].get<std::string>()), IsOk());
  }
  EXPECT_THAT(Check(from_jwks, old_token), IsOk());
  EXPECT_EQ(json::parse(TokenKeys().JwksJson()), (json{{"keys", json::array()}}));
}

TEST(TokenKeysTest, LoadOrCreateGeneratesOncePersistsWithMode0600AndReuses) {
  TempDir tmp;
  fs::path dir = tmp.path() / "state" / "keys";
  SeededRng rng(1);
  Result<TokenKeys> first = TokenKeys::LoadOrCreate(dir, rng);
  ASSERT_THAT(first, IsOk());
  fs::path file = dir / "token-signing-key.pem";
  ASSERT_TRUE(fs::is_regular_file(file));
  EXPECT_EQ(Mode(file), 0600u);
  EXPECT_EQ(Mode(dir), 0700u);
  EXPECT_FALSE(first->signing_kid().empty());
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1);  // no temporary file left behind

  std::string jwt = TokenSigner(*first).Sign(Claims()).value();
  Result<TokenKeys> second = TokenKeys::LoadOrCreate(dir, rng);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->signing_kid(), first->signing_kid());
  EXPECT_THAT(Check(*second, jwt), IsOk());
}

TEST(TokenKeysTest, LoadOrCreateRefusesUnsafeOrBrokenKeyFiles) {
  TempDir tmp;
  SeededRng rng(2);
  fs::path file = tmp.path() / "token-signing-key.pem";
  WriteFile(file, testing::kTestKeyA, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  Result<TokenKeys> loose = TokenKeys::LoadOrCreate(tmp.path(), rng);
  EXPECT_THAT(loose, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(loose.status().message(), HasSubstr("chmod 600"));

  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  Result<TokenKeys> ok = TokenKeys::LoadOrCreate(tmp.path(), rng);
  ASSERT_THAT(ok, IsOk());
  TokenKeys expected;
  ASSERT_THAT(expected.AddSigningKeyPem(testing::kTestKeyA), IsOk());
  EXPECT_EQ(ok->signing_kid(), expected.signing_kid());

  WriteFile(file, "not a key", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_THAT(TokenKeys::LoadOrCreate(tmp.path(), rng), StatusIs(StatusCode::kInvalidArgument));

  fs::remove(file);
  WriteFile(tmp.path() / "elsewhere.pem", testing::kTestKeyA, fs::perms::owner_read | fs::perms::owner_write);
  fs::create_symlink(tmp.path() / "elsewhere.pem", file);
  EXPECT_THAT(TokenKeys::LoadOrCreate(tmp.path(), rng), StatusIs(StatusCode::kFailedPrecondition));
}

TEST(TokenKeysTest, RotateInDirRetiresTheOldKeyAsPublicOnly) {
  TempDir tmp;
  SeededRng rng(3);
  WriteFile(tmp.path() / "token-signing-key.pem", testing::kTestKeyA,
            fs::perms::owner_read | fs::perms::owner_write);
  Result<TokenKeys> before = TokenKeys::LoadOrCreate(tmp.path(), rng);
  ASSERT_THAT(before, IsOk());
  std::string old_kid = before->signing_kid();
  std::string old_token = TokenSigner(*before).Sign(Claims()).value();

  Result<TokenKeys> after = TokenKeys::RotateInDir(tmp.path(), rng);
  ASSERT_THAT(after, IsOk());
  EXPECT_NE(after->signing_kid(), old_kid);
  EXPECT_THAT(after->kids(), ElementsAre(after->signing_kid(), old_kid));
  fs::path retired = tmp.path() / ("token-retired-" + old_kid + ".pem");
  ASSERT_TRUE(fs::is_regular_file(retired));
  EXPECT_EQ(Mode(retired), 0600u);
  EXPECT_EQ(Mode(tmp.path() / "token-signing-key.pem"), 0600u);
  std::ifstream in(retired);
  std::string retired_text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(retired_text, HasSubstr("BEGIN PUBLIC KEY"));
  EXPECT_EQ(retired_text.find("PRIVATE"), std::string::npos);

  // Old tokens keep verifying after a restart; new tokens use the new key.
  Result<TokenKeys> reloaded = TokenKeys::LoadOrCreate(tmp.path(), rng);
  ASSERT_THAT(reloaded, IsOk());
  EXPECT_EQ(reloaded->signing_kid(), after->signing_kid());
  EXPECT_THAT(Check(*reloaded, old_token), IsOk());
  EXPECT_THAT(Check(*reloaded, TokenSigner(*reloaded).Sign(Claims()).value()), IsOk());

  // Deleting the retired file retires the key for good.
  fs::remove(retired);
  Result<TokenKeys> pruned = TokenKeys::LoadOrCreate(tmp.path(), rng);
  ASSERT_THAT(pruned, IsOk());
  EXPECT_THAT(Check(*pruned, old_token), StatusIs(StatusCode::kUnauthenticated));
}

}  // namespace
}  // namespace clash
