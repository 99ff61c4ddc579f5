// RSA keys for tokens: PEM parsing, generation, JWK parameters and RS256 (OpenSSL 3 EVP).
#include "security/token_key.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <limits>
#include <vector>

#include "common/crypto.h"

namespace clash::internal {
namespace {

constexpr int kMinKeyBits = 2048;
constexpr std::size_t kMaxPemBytes = 64 * 1024;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

// Never prompt for a passphrase: encrypted PEM keys are rejected.
int NoPassphrase(char*, int, int, void*) { return -1; }

// OpenSSL keeps a per-thread error queue; leave it empty so later unrelated calls see no stale errors.
template <typename T>
T Fail(T value) {
  ERR_clear_error();
  return value;
}

Result<std::string> BnParamB64(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return Fail(Status::Internal("cannot read RSA key parameter"));
  BnPtr bn(raw);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return Base64UrlEncode(bytes);
}

// Fills n/e and the kid (the RFC 7638 thumbprint if `kid` is empty) and wraps the key.
Result<std::shared_ptr<const TokenKey>> Finish(EvpPkeyPtr pkey, bool has_private, std::string_view kid) {
  if (EVP_PKEY_is_a(pkey.get(), "RSA") != 1) return Status::InvalidArgument("token key is not an RSA key");
  if (EVP_PKEY_get_bits(pkey.get()) < kMinKeyBits) {
    return Status::InvalidArgument("token key is shorter than 2048 bits");
  }
  auto key = std::make_shared<TokenKey>();
  CLASH_ASSIGN_OR_RETURN(key->n_b64url, BnParamB64(pkey.get(), OSSL_PKEY_PARAM_RSA_N));
  CLASH_ASSIGN_OR_RETURN(key->e_b64url, BnParamB64(pkey.get(), OSSL_PKEY_PARAM_RSA_E));
  if (kid.empty()) {
    // Members in lexicographic order, no whitespace (RFC 7638 section 3).
    std::string canonical = R"({"e":")" + key->e_b64url + R"(","kty":"RSA","n":")" + key->n_b64url + R"("})";
    key->kid = Base64UrlEncode(Sha256(canonical));
  } else if (!IsValidKid(kid)) {
    return Status::InvalidArgument("key id must match [A-Za-z0-9._-]{1,128}");
  } else {
    key->kid = std::string(kid);
  }
  key->pkey = std::move(pkey);
  key->has_private = has_private;
  return std::shared_ptr<const TokenKey>(std::move(key));
}

// A public-only copy of `pkey` (drops the private half from memory of verify-only keys).
EvpPkeyPtr PublicOnly(EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pkey, &der);
  if (len <= 0) return Fail(EvpPkeyPtr());
  const unsigned char* p = der;
  EvpPkeyPtr pub(d2i_PUBKEY(nullptr, &p, len));
  OPENSSL_free(der);
  if (!pub) ERR_clear_error();
  return pub;
}

}  // namespace

void EvpPkeyDeleter::operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }

std::string ExpandNewlineEscapes(std::string_view pem) {
  std::string out;
  out.reserve(pem.size());
  for (std::size_t i = 0; i < pem.size(); ++i) {
    if (pem[i] == '\\' && i + 1 < pem.size() && pem[i + 1] == 'n') {
      out.push_back('\n');
      ++i;
    } else {
      out.push_back(pem[i]);
    }
  }
  return out;
}

bool IsValidKid(std::string_view kid) {
  if (kid.empty() || kid.size() > 128) return false;
  for (char c : kid) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<std::shared_ptr<const TokenKey>> ParseTokenKeyPem(std::string_view pem_in, bool want_private,
                                                        std::string_view kid) {
  if (pem_in.size() > kMaxPemBytes) return Status::InvalidArgument("token key PEM is too large");
  std::string pem = ExpandNewlineEscapes(pem_in);
  bool is_public = pem.find("-----BEGIN PUBLIC KEY-----") != std::string::npos;
  if (want_private && is_public) return Status::InvalidArgument("a signing key needs a private key PEM");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Fail(Status::Internal("out of memory"));
  if (is_public) {
    EvpPkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr));
    if (!pkey) return Fail(Status::InvalidArgument("not a readable PEM public key"));
    return Finish(std::move(pkey), false, kid);
  }
  EvpPkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!pkey) return Fail(Status::InvalidArgument("not a readable unencrypted PEM private key"));
  if (!want_private) {
    pkey = PublicOnly(pkey.get());
    if (!pkey) return Status::Internal("cannot extract the public key");
  }
  return Finish(std::move(pkey), want_private, kid);
}

Result<std::shared_ptr<const TokenKey>> GenerateTokenKey(int bits) {
  EvpPkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
  if (!pkey) return Fail(Status::Internal("RSA key generation failed"));
  return Finish(std::move(pkey), true, {});
}

Result<std::string> PrivateKeyPem(const TokenKey& key) {
  if (!key.has_private) return Status::FailedPrecondition("key has no private half");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Fail(Status::Internal("cannot encode the private key"));
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(len));
  return pem;
}

Result<std::string> PublicKeyPem(const TokenKey& key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.pkey.get()) != 1) {
    return Fail(Status::Internal("cannot encode the public key"));
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(len));
  return pem;
}

Result<std::string> SignRs256(const TokenKey& key, std::string_view data) {
  if (!key.has_private) return Status::FailedPrecondition("key cannot sign");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Fail(Status::Internal("RS256 signing failed"));
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Fail(Status::Internal("RS256 signing failed"));
  }
  sig.resize(len);
  return sig;
}

bool VerifyRs256(const TokenKey& key, std::string_view data, std::string_view signature) {
  // PKCS#1 v1.5 signatures are exactly the modulus length.
  if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey.get()))) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.pkey.get()) != 1) {
    return Fail(false);
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(data.data()), data.size());
  if (rc != 1) return Fail(false);
  return true;
}

}  // namespace clash::internal
