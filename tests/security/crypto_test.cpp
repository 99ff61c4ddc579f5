#include "common/crypto.h"

#include <string>

#include "support/test_support.h"

namespace clash::internal {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

TEST(CryptoTest, Sha256KnownVectors) {
  EXPECT_EQ(HexEncode(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, HmacSha256Rfc4231) {
  // RFC 4231 test case 1.
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // RFC 4231 test case 2: a key shorter than the block.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 4231 test case 6: a key longer than the block is hashed first.
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(HmacSha256("", "x").size(), 32u);
}

TEST(CryptoTest, HexRoundTripAndRejects) {
  std::string bytes("\x00\x01\xab\xff", 4);
  EXPECT_EQ(HexEncode(bytes), "0001abff");
  EXPECT_EQ(HexDecode("0001ABff"), bytes);
  EXPECT_EQ(HexDecode(""), std::string());
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("zz"), std::nullopt);
}

TEST(CryptoTest, Base64UrlRfc4648Vectors) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff\xbf"), "-_-_");  // the url-safe characters
}

TEST(CryptoTest, Base64UrlRoundTripsEveryLength) {
  std::string bytes;
  for (int n = 0; n < 300; ++n) {
    std::optional<std::string> back = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(back.has_value()) << n;
    EXPECT_EQ(*back, bytes) << n;
    bytes.push_back(static_cast<char>((n * 37 + 11) & 0xff));
  }
}

TEST(CryptoTest, Base64UrlDecodeIsStrict) {
  EXPECT_EQ(Base64UrlDecode("Zg=="), std::nullopt);   // padding
  EXPECT_EQ(Base64UrlDecode("+/+/"), std::nullopt);   // standard alphabet
  EXPECT_EQ(Base64UrlDecode("Zm 9v"), std::nullopt);  // whitespace
  EXPECT_EQ(Base64UrlDecode("Zm9vY"), std::nullopt);  // impossible length
  EXPECT_EQ(Base64UrlDecode("Zh"), std::nullopt);     // non-zero unused bits ("Zg" is canonical)
  EXPECT_EQ(Base64UrlDecode("Zg"), std::string("f"));
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret1"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(CryptoTest, KeyedHashIsHexHmacAndKeyDependent) {
  EXPECT_EQ(KeyedHash("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_NE(KeyedHash("key-a", "otp:a@b.c:123456"), KeyedHash("key-b", "otp:a@b.c:123456"));
  EXPECT_NE(KeyedHash("key-a", "otp:a@b.c:123456"), KeyedHash("key-a", "otp:a@b.c:123457"));
}

TEST(CryptoTest, Argon2idHashAndVerify) {
  Result<std::string> hash = HashPassword("correct horse battery staple");
  ASSERT_THAT(hash, IsOk());
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapl", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));

  // Salted: the same password hashes differently each time, and both verify.
  Result<std::string> again = HashPassword("correct horse battery staple");
  ASSERT_THAT(again, IsOk());
  EXPECT_NE(*hash, *again);
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *again));
}

TEST(CryptoTest, PasswordEdgeCases) {
  EXPECT_THAT(HashPassword(""), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(HashPassword(std::string(kMaxPasswordBytes + 1, 'a')), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_FALSE(VerifyPassword("pw", ""));
  EXPECT_FALSE(VerifyPassword("pw", "not a hash"));
  EXPECT_FALSE(VerifyPassword("pw", "$argon2id$v=19$m=65536,t=2,p=1$garbage"));
  EXPECT_FALSE(VerifyPassword(std::string(kMaxPasswordBytes + 1, 'a'), "$argon2id$"));
  EXPECT_TRUE(PasswordNeedsRehash("not a hash"));
}

}  // namespace
}  // namespace clash::internal
