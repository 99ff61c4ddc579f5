// TokenKeys: the in-memory key set, rotation and the JWKS document.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "clash/tokens.h"
#include "security/key_files.h"
#include "security/token_key.h"

namespace clash {

TokenKeys::TokenKeys() = default;
TokenKeys::~TokenKeys() = default;
TokenKeys::TokenKeys(const TokenKeys&) = default;
TokenKeys& TokenKeys::operator=(const TokenKeys&) = default;
TokenKeys::TokenKeys(TokenKeys&&) noexcept = default;
TokenKeys& TokenKeys::operator=(TokenKeys&&) noexcept = default;

Status TokenKeys::Add(std::shared_ptr<const internal::TokenKey> key, bool signing) {
  if (Find(key->kid) != nullptr) return Status::AlreadyExists("key id " + key->kid + " is already in the set");
  if (signing) signing_kid_ = key->kid;
  keys_.push_back(std::move(key));
  return Status::Ok();
}

const internal::TokenKey* TokenKeys::Find(std::string_view kid) const {
  for (const auto& k : keys_) {
    if (k->kid == kid) return k.get();
  }
  return nullptr;
}

Status TokenKeys::AddSigningKeyPem(std::string_view pem, std::string_view kid) {
  CLASH_ASSIGN_OR_RETURN(auto key, internal::ParseTokenKeyPem(pem, /*want_private=*/true, kid));
  return Add(std::move(key), /*signing=*/true);
}

Status TokenKeys::AddSigningKeyFile(const std::filesystem::path& path, std::string_view kid) {
  CLASH_ASSIGN_OR_RETURN(std::string pem, internal::ReadKeyFile(path));
  return AddSigningKeyPem(pem, kid);
}

Status TokenKeys::AddVerificationKeyPem(std::string_view pem, std::string_view kid) {
  CLASH_ASSIGN_OR_RETURN(auto key, internal::ParseTokenKeyPem(pem, /*want_private=*/false, kid));
  return Add(std::move(key), /*signing=*/false);
}

Status TokenKeys::AddVerificationKeyFile(const std::filesystem::path& path, std::string_view kid) {
  CLASH_ASSIGN_OR_RETURN(std::string pem, internal::ReadKeyFile(path));
  return AddVerificationKeyPem(pem, kid);
}

Result<std::string> TokenKeys::Rotate() {
  CLASH_ASSIGN_OR_RETURN(auto key, internal::GenerateTokenKey(kGeneratedKeyBits));
  std::string kid = key->kid;
  CLASH_RETURN_IF_ERROR(Add(std::move(key), /*signing=*/true));
  return kid;
}

Status TokenKeys::Remove(std::string_view kid) {
  auto it = std::find_if(keys_.begin(), keys_.end(), [&](const auto& k) { return k->kid == kid; });
  if (it == keys_.end()) return Status::NotFound("key id is not in the set");
  if (signing_kid_ == kid) signing_kid_.clear();
  keys_.erase(it);
  return Status::Ok();
}

std::vector<std::string> TokenKeys::kids() const {
  std::vector<std::string> out;
  out.reserve(keys_.size());
  for (const auto& k : keys_) out.push_back(k->kid);
  return out;
}

std::string TokenKeys::JwksJson() const {
  nlohmann::json list = nlohmann::json::array();
  auto add = [&](const internal::TokenKey& k) {
    list.push_back({{"kty", "RSA"}, {"use", "sig"}, {"alg", "RS256"}, {"kid", k.kid}, {"n", k.n_b64url},
                    {"e", k.e_b64url}});
  };
  if (const internal::TokenKey* signer = Find(signing_kid_)) add(*signer);
  for (const auto& k : keys_) {
    if (k->kid != signing_kid_) add(*k);
  }
  return nlohmann::json{{"keys", std::move(list)}}.dump();
}

}  // namespace clash
