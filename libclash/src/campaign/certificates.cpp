// Certificates: issued once when every global level is completed, signed with Ed25519 (libsodium)
// over a fixed text, verifiable offline with the published public key.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "campaign/campaign_internal.h"
#include "common/crypto.h"

namespace clash {
namespace {

using nlohmann::json;

constexpr const char* kTextVersion = "clash-certificate/1";

// A UUID v4 (RFC 9562) from `rng`.
std::string NewUuid(Rng& rng) {
  std::uint8_t b[16];
  rng.Fill(b, sizeof b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

bool IsUuid(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Parses the RFC 3339 UTC form Timestamp::ToIso8601 writes ("2026-11-27T06:48:44.000000Z"; the
// fraction is optional).
Result<Timestamp> ParseUtc(std::string_view text) {
  auto bad = [] { return Status::InvalidArgument("certificate: \"issued_at\" must be an ISO 8601 UTC time"); };
  if (text.size() < 20 || text[10] != 'T' || text.back() != 'Z') return bad();
  Result<CivilDate> date = CivilDate::Parse(text.substr(0, 10));
  if (!date.ok()) return bad();
  auto two = [&](std::size_t at) -> int {
    if (!std::isdigit(static_cast<unsigned char>(text[at])) || !std::isdigit(static_cast<unsigned char>(text[at + 1]))) return -1;
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  const int h = two(11), m = two(14), sec = two(17);
  if (text[13] != ':' || text[16] != ':' || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return bad();
  std::int64_t micros = 0;
  std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 7) return bad();
    std::int64_t scale = 100'000;
    for (char c : rest.substr(1)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return bad();
      micros += (c - '0') * scale;
      scale /= 10;
    }
  }
  const std::int64_t seconds = date->DaysSinceEpoch() * 86'400 + h * 3600 + m * 60 + sec;
  return Timestamp::FromUnixMicros(seconds * 1'000'000 + micros);
}

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

std::string CertificateSigningText(const Certificate& c) {
  return std::string(kTextVersion) + "\n" + c.id + "\n" + c.username + "\n" + c.issued_at.ToIso8601() + "\n" +
         std::to_string(c.completion_count) + "\n" + c.key_id + "\n";
}

Status VerifyCertificateSignature(const Certificate& c, std::string_view public_key) {
  if (!SodiumReady()) return Status::Internal("libsodium failed to initialise");
  std::optional<std::string> key = internal::Base64UrlDecode(public_key);
  if (!key || key->size() != crypto_sign_PUBLICKEYBYTES) {
    return Status::InvalidArgument("the public key must be 32 bytes of base64url");
  }
  std::optional<std::string> sig = internal::Base64UrlDecode(c.signature);
  if (!sig || sig->size() != crypto_sign_BYTES) return Status::InvalidArgument("the signature must be 64 bytes of base64url");
  const std::string text = CertificateSigningText(c);
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                                  reinterpret_cast<const unsigned char*>(key->data())) != 0) {
    return Status::PermissionDenied("certificate signature does not verify");
  }
  return Status::Ok();
}

std::string EncodeCertificateDocument(const Certificate& c) {
  json j = {{"certificate_id", c.id},     {"username", c.username},   {"issued_at", c.issued_at.ToIso8601()},
            {"completion_count", c.completion_count}, {"key_id", c.key_id}, {"signature", c.signature},
            {"algorithm", "Ed25519"}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Certificate> DecodeCertificateDocument(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Status::InvalidArgument("a certificate document is a JSON object");
  Certificate c;
  auto str = [&](const char* key, std::string& out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return Status::InvalidArgument(std::string("certificate: \"") + key + "\" must be a string");
    out = it->get<std::string>();
    return Status::Ok();
  };
  CLASH_RETURN_IF_ERROR(str("certificate_id", c.id));
  CLASH_RETURN_IF_ERROR(str("username", c.username));
  CLASH_RETURN_IF_ERROR(str("key_id", c.key_id));
  CLASH_RETURN_IF_ERROR(str("signature", c.signature));
  std::string issued;
  CLASH_RETURN_IF_ERROR(str("issued_at", issued));
  CLASH_ASSIGN_OR_RETURN(c.issued_at, ParseUtc(issued));
  auto count = j.find("completion_count");
  if (count == j.end() || !count->is_number_integer()) {
    return Status::InvalidArgument("certificate: \"completion_count\" must be an integer");
  }
  c.completion_count = count->get<int>();
  if (auto alg = j.find("algorithm"); alg != j.end() && (!alg->is_string() || alg->get<std::string>() != "Ed25519")) {
    return Status::InvalidArgument("certificate: the algorithm must be Ed25519");
  }
  return c;
}

Result<CertificateKey> CertificateKey::FromSeed(std::string_view seed) {
  if (!SodiumReady()) return Status::Internal("libsodium failed to initialise");
  if (seed.size() != crypto_sign_SEEDBYTES) return Status::InvalidArgument("a certificate key seed has 32 bytes");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, reinterpret_cast<const unsigned char*>(seed.data()));
  CertificateKey key;
  key.secret_.assign(reinterpret_cast<const char*>(sk), sizeof sk);
  sodium_memzero(sk, sizeof sk);
  const std::string public_bytes(reinterpret_cast<const char*>(pk), sizeof pk);
  key.public_key_ = internal::Base64UrlEncode(public_bytes);
  key.key_id_ = internal::HexEncode(internal::Sha256(public_bytes)).substr(0, 16);
  return key;
}

Result<CertificateKey> CertificateKey::LoadOrCreate(const std::string& path, Rng& rng) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    fs::create_directories(fs::path(path).parent_path(), ec);
    std::uint8_t seed[crypto_sign_SEEDBYTES];
    rng.Fill(seed, sizeof seed);
    const std::string text = internal::Base64UrlEncode(std::string(reinterpret_cast<const char*>(seed), sizeof seed)) + "\n";
    sodium_memzero(seed, sizeof seed);
    // O_EXCL: of two processes creating the key at once, one writes it and both read that one.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
      ::close(fd);
      if (!written) return Status::Unavailable("cannot write the certificate key " + path);
    } else if (errno != EEXIST) {
      return Status::Unavailable("cannot create the certificate key " + path);
    }
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || (st.st_mode & 077) != 0) {
    return Status::FailedPrecondition("certificate key " + path + " must be readable by its owner only");
  }
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::optional<std::string> seed = internal::Base64UrlDecode(text);
  if (!seed || seed->size() != crypto_sign_SEEDBYTES) {
    return Status::FailedPrecondition("certificate key " + path + " is not 32 bytes of base64url");
  }
  return FromSeed(*seed);
}

void CertificateKey::Sign(Certificate& c) const {
  c.key_id = key_id_;
  const std::string text = CertificateSigningText(c);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       reinterpret_cast<const unsigned char*>(secret_.data()));
  c.signature = internal::Base64UrlEncode(std::string(reinterpret_cast<const char*>(sig), sizeof sig));
}

namespace internal {

Result<bool> IssueCertificateIn(StorageTransaction& tx, const CampaignDeps& deps, const User& user,
                                const std::vector<Level>& global, Timestamp now) {
  if (global.empty()) return false;
  CLASH_ASSIGN_OR_RETURN(std::vector<ProgressRecord> progress, tx.campaign().ListProgress(user.id));
  const int completed = CompletedGlobal(global, progress);
  if (completed < static_cast<int>(global.size())) return false;
  CLASH_ASSIGN_OR_RETURN(std::optional<Certificate> existing, tx.campaign().CertificateOf(user.id));
  if (existing) return false;
  Certificate c;
  c.id = NewUuid(deps.rng);
  c.user_id = user.id;
  c.username = user.username;
  // Microseconds do not survive every reader: the signed time is whole seconds.
  c.issued_at = Timestamp::FromUnixSeconds(now.unix_micros() / 1'000'000);
  c.completion_count = completed;
  deps.certificate_key.Sign(c);
  return tx.campaign().InsertCertificate(c);
}

}  // namespace internal

Result<std::optional<Certificate>> Campaign::MyCertificate(const User& user) {
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<Level>> global, deps_.catalogue.GlobalLevels());
  std::optional<Certificate> out;
  Status s = deps_.storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(bool issued, internal::IssueCertificateIn(tx, deps_, user, *global, deps_.clock.Now()));
    (void)issued;
    CLASH_ASSIGN_OR_RETURN(out, tx.campaign().CertificateOf(user.id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Certificate> Campaign::FindCertificate(std::string_view id) {
  if (!IsUuid(id)) return Status::NotFound("Certificate not found");
  std::optional<Certificate> found;
  CLASH_RETURN_IF_ERROR(deps_.storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(found, tx.campaign().GetCertificate(id));
    return Status::Ok();
  }));
  if (!found) return Status::NotFound("Certificate not found");
  return *found;
}

}  // namespace clash
