// Helpers for the security tests: fixed PEM keys and token forgery.
#pragma once

#include <string>
#include <string_view>

namespace clash::testing {

// 2048-bit RSA private keys (PKCS#8), the first also as PKCS#1; a 1024-bit RSA key and a P-256 key
// (both must be refused).
extern const char kTestKeyA[];
extern const char kTestKeyAPkcs1[];
extern const char kTestKeyB[];
extern const char kTestKey1024[];
extern const char kTestKeyEc[];

// base64url(header) "." base64url(payload) "." base64url(signature), with no checks at all.
std::string ForgeJwt(std::string_view header_json, std::string_view payload_json, std::string_view signature);

// An SPKI PEM public key rebuilt from JWK "n" and "e" (base64url); empty on failure.
std::string PublicPemFromJwk(const std::string& n_b64url, const std::string& e_b64url);

}  // namespace clash::testing
