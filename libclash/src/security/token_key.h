// security/token_key.h — one RSA key of a TokenKeys set, and the OpenSSL work around it.
//
// Internal. A TokenKey is immutable once built and shared between TokenKeys copies, signers and
// verifiers; OpenSSL 3 allows concurrent signing and verification with one EVP_PKEY.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "clash/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace clash::internal {

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* p) const;
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

struct TokenKey {
  std::string kid;
  EvpPkeyPtr pkey;       // an RSA key; holds the private half iff has_private
  bool has_private = false;
  std::string n_b64url;  // modulus, big-endian, unpadded base64url (JWKS "n")
  std::string e_b64url;  // public exponent (JWKS "e")
};

// Replaces literal "\n" (backslash, n) with a line break: PEM keys passed through environment vars.
std::string ExpandNewlineEscapes(std::string_view pem);

// Parses an unencrypted PEM key. With `want_private`, the PEM must hold a private key; otherwise a
// public key or a private key (then only the public half is kept). An empty `kid` becomes the RFC
// 7638 thumbprint. InvalidArgument for a non-RSA key, < 2048 bits, a bad kid or unparsable PEM.
Result<std::shared_ptr<const TokenKey>> ParseTokenKeyPem(std::string_view pem, bool want_private,
                                                        std::string_view kid);

// Generates an RSA key of `bits` with the thumbprint as kid. Internal on failure.
Result<std::shared_ptr<const TokenKey>> GenerateTokenKey(int bits);

// The private key as unencrypted PKCS#8 PEM. FailedPrecondition for a public-only key.
Result<std::string> PrivateKeyPem(const TokenKey& key);

// The public key as SPKI PEM ("BEGIN PUBLIC KEY").
Result<std::string> PublicKeyPem(const TokenKey& key);

// RSASSA-PKCS1-v1_5 with SHA-256.
Result<std::string> SignRs256(const TokenKey& key, std::string_view data);
bool VerifyRs256(const TokenKey& key, std::string_view data, std::string_view signature);

// True if `kid` matches [A-Za-z0-9._-]{1,128}.
bool IsValidKid(std::string_view kid);

}  // namespace clash::internal
