// HMAC, SHA-256, encodings and Argon2id password hashing (OpenSSL libcrypto and libsodium).
#include "common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include <array>
#include <cstdlib>
#include <mutex>

namespace clash::internal {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int B64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// libsodium must be initialised once before use; sodium_init() fails only if no entropy source exists.
void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no randomness: refusing to run is the only safe answer
  });
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 || len != 32) {
    std::abort();  // cannot fail with a built-in digest short of memory corruption
  }
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  static constexpr unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? static_cast<const void*>(&kEmpty) : static_cast<const void*>(key.data());
  if (HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &len) == nullptr ||
      len != 32) {
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out.push_back(kB64Url[(v >> 18) & 63]);
    out.push_back(kB64Url[(v >> 12) & 63]);
    out.push_back(kB64Url[(v >> 6) & 63]);
    out.push_back(kB64Url[v & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t v = at(i) << 16;
    out.push_back(kB64Url[(v >> 18) & 63]);
    out.push_back(kB64Url[(v >> 12) & 63]);
  } else if (rest == 2) {
    std::uint32_t v = (at(i) << 16) | (at(i + 1) << 8);
    out.push_back(kB64Url[(v >> 18) & 63]);
    out.push_back(kB64Url[(v >> 12) & 63]);
    out.push_back(kB64Url[(v >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = B64UrlValue(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Unused low bits of the final character must be zero (canonical encoding only).
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string KeyedHash(std::string_view key, std::string_view message) {
  return HexEncode(HmacSha256(key, message));
}

Result<std::string> HashPassword(std::string_view password) {
  if (password.empty()) return Status::InvalidArgument("password is empty");
  if (password.size() > kMaxPasswordBytes) return Status::InvalidArgument("password is too long");
  EnsureSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::ResourceExhausted("not enough memory to hash the password");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view password, std::string_view hash) {
  if (password.empty() || password.size() > kMaxPasswordBytes) return false;
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  EnsureSodium();
  std::array<char, crypto_pwhash_STRBYTES> stored{};  // crypto_pwhash_str_verify wants a C string
  hash.copy(stored.data(), hash.size());
  return crypto_pwhash_str_verify(stored.data(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view hash) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  EnsureSodium();
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  hash.copy(stored.data(), hash.size());
  // 0: current parameters; 1: weaker parameters; -1: not an Argon2id string.
  return crypto_pwhash_str_needs_rehash(stored.data(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

Result<std::string> SignRs256Pem(std::string_view pem_text, std::string_view data) {
  std::string pem;
  pem.reserve(pem_text.size());
  for (std::size_t i = 0; i < pem_text.size(); ++i) {
    if (pem_text[i] == '\\' && i + 1 < pem_text.size() && pem_text[i + 1] == 'n') {
      pem += '\n';
      ++i;
    } else {
      pem += pem_text[i];
    }
  }
  const Status bad = Status::InvalidArgument("not an RSA private key in PEM form");
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return Status::Internal("BIO_new_mem_buf failed");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return bad;
  std::string sig;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t len = 0;
  bool ok = ctx != nullptr && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA &&
            EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                        reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  if (!ok) return bad;
  return sig;
}

}  // namespace clash::internal
