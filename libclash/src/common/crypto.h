// common/crypto.h — small cryptographic helpers shared by every module (auth, oauth, security, economy).
//
// Internal to libclash (namespace clash::internal); nothing here is part of the public API.
// Digests and MACs are returned as raw bytes in a std::string; use HexEncode or Base64UrlEncode to
// render them. All functions are safe for concurrent use.
//
// Example:
//   std::string stored = internal::KeyedHash(otp_key, "otp:" + email + ":" + code);
//   if (internal::ConstantTimeEquals(stored, row.code_hash)) { ... }
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "clash/status.h"

namespace clash::internal {

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(std::string_view data);

// RSASSA-PKCS1-v1_5 with SHA-256 (JWT "RS256") of `data` with the RSA private key in `pem`
// (PKCS#8 or PKCS#1; literal "\n" sequences are read as line breaks, as service-account files and
// environment variables carry them): the raw signature. InvalidArgument if `pem` holds no RSA
// private key.
Result<std::string> SignRs256Pem(std::string_view pem, std::string_view data);

// HMAC-SHA256(key, message): 32 raw bytes. Any key length is accepted (RFC 2104).
std::string HmacSha256(std::string_view key, std::string_view message);

// Lowercase hex of `bytes` ("\x01\xab" -> "01ab").
std::string HexEncode(std::string_view bytes);
// Decodes hex (either case). Returns nullopt on an odd length or a non-hex character.
std::optional<std::string> HexDecode(std::string_view hex);

// Base64url (RFC 4648 section 5) without padding, as JWTs use it.
std::string Base64UrlEncode(std::string_view bytes);
// Strict decoder: the unpadded url-safe alphabet only. Returns nullopt on '=', '+', '/', whitespace,
// any other character, an impossible length (4n+1) or non-zero unused bits in the last character
// (so every byte string has exactly one accepted encoding).
std::optional<std::string> Base64UrlDecode(std::string_view text);

// True if `a` and `b` are equal. The time taken depends on the lengths only, never on the contents,
// so use it for every comparison of a MAC, a keyed hash or a secret.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Lowercase hex of HMAC-SHA256(key, message): 64 characters. Use it to store values that must be
// compared later but never recovered (OTP codes, refresh tokens): a database leak then reveals
// nothing without `key`. Put a purpose prefix in `message` ("otp:", "refresh:") so one key never
// produces interchangeable hashes for two uses. Compare with ConstantTimeEquals.
std::string KeyedHash(std::string_view key, std::string_view message);

// Argon2id password hashing through libsodium (crypto_pwhash_str, interactive limits: 2 passes,
// 64 MiB). Returns the self-describing "$argon2id$v=19$m=65536,t=2,p=1$..." string, salt included.
// Returns InvalidArgument for an empty password or one longer than kMaxPasswordBytes, and
// ResourceExhausted if the memory for the hash cannot be allocated.
inline constexpr std::size_t kMaxPasswordBytes = 1024;
Result<std::string> HashPassword(std::string_view password);

// True only if `hash` is a well-formed Argon2 string from HashPassword and `password` matches it.
// False for an empty or oversize password and for any malformed hash. Takes as long as hashing.
bool VerifyPassword(std::string_view password, std::string_view hash);

// True if `hash` was made with weaker limits than HashPassword uses now (or is malformed): the
// caller should re-hash the password on the next successful login.
bool PasswordNeedsRehash(std::string_view hash);

}  // namespace clash::internal
