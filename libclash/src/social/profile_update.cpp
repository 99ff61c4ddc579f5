// Profile updates: usernames, names, bio, avatar and banner uploads. See clash/social.h.
#include <string>
#include <tuple>
#include <vector>

#include "clash/social.h"
#include "clash/storage.h"

namespace clash {
namespace {

constexpr std::size_t kMaxNameChars = 150;

// Number of UTF-8 code points (continuation bytes are not counted).
std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

std::string Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  std::size_t a = s.find_first_not_of(ws);
  if (a == std::string_view::npos) return "";
  std::size_t b = s.find_last_not_of(ws);
  return std::string(s.substr(a, b - a + 1));
}

bool ValidText(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

Result<std::string> NormalizeUsername(std::string_view raw) {
  const std::string trimmed = Trim(raw);
  if (trimmed.empty()) return Status::InvalidArgument("Username cannot be empty.");
  const Status bad = Status::InvalidArgument("Username can only contain letters, numbers, and @/./+/-/_ characters.");
  std::string out;
  for (std::size_t i = 0; i < trimmed.size();) {
    const unsigned char c = static_cast<unsigned char>(trimmed[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    // Full-width forms U+FF01-U+FF5E (EF BC 81 - EF BD 9E) fold to ASCII 0x21-0x7E, as NFKC does.
    if (c == 0xef && i + 2 < trimmed.size()) {
      const unsigned char c1 = static_cast<unsigned char>(trimmed[i + 1]);
      const unsigned char c2 = static_cast<unsigned char>(trimmed[i + 2]);
      const unsigned cp = 0xf000u | ((c1 & 0x3fu) << 6) | (c2 & 0x3fu);
      if ((c1 & 0xc0) == 0x80 && (c2 & 0xc0) == 0x80 && cp >= 0xff01 && cp <= 0xff5e) {
        out.push_back(static_cast<char>(cp - 0xff01 + 0x21));
        i += 3;
        continue;
      }
    }
    return bad;
  }
  for (char c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' ||
                    c == '.' || c == '+' || c == '-' || c == '_';
    if (!ok) return bad;
  }
  if (out.size() > kMaxNameChars) return Status::InvalidArgument("Username is too long (max 150 characters).");
  return out;
}

Result<std::pair<std::string, std::string>> Social::StoreImage(const Upload& upload, std::string_view folder) {
  CLASH_ASSIGN_OR_RETURN(CheckedImage image, CheckImage(upload.bytes, options_.image_limits));
  if (!DeclaredTypeMatches(upload.declared_type, image.type)) {
    return Status::InvalidArgument("The file's Content-Type does not match its content.");
  }
  std::string key = MediaKey(folder, image.type, rng_);
  CLASH_ASSIGN_OR_RETURN(std::string url, media_.Put(key, image));
  return std::make_pair(std::move(key), std::move(url));
}

Result<User> Social::UpdateProfile(const User& actor, const ProfileUpdate& update) {
  std::optional<std::string> username;
  if (update.username) {
    CLASH_ASSIGN_OR_RETURN(username, NormalizeUsername(*update.username));
  }
  auto checked_name = [](const std::optional<std::string>& v) -> Result<std::optional<std::string>> {
    if (!v) return std::optional<std::string>();
    std::string t = Trim(*v);
    if (CodePoints(t) > kMaxNameChars || !ValidText(t)) {
      return Status::InvalidArgument("Names are at most 150 characters of text.");
    }
    return std::optional<std::string>(std::move(t));
  };
  CLASH_ASSIGN_OR_RETURN(std::optional<std::string> first_name, checked_name(update.first_name));
  CLASH_ASSIGN_OR_RETURN(std::optional<std::string> last_name, checked_name(update.last_name));
  if (update.bio && (CodePoints(*update.bio) > kMaxBioChars || !ValidText(*update.bio))) {
    return Status::InvalidArgument("Bio is at most 500 characters.");
  }
  // Files first (outside the transaction); removed again if the update does not commit.
  std::vector<std::string> new_keys;
  auto drop_new = [&] {
    for (const std::string& k : new_keys) (void)media_.Delete(k);
  };
  std::optional<std::string> avatar_url, banner_url;
  for (auto [upload, folder, url] : {std::tuple{&update.avatar, "avatars", &avatar_url},
                                     std::tuple{&update.banner, "banners", &banner_url}}) {
    if (!*upload) continue;
    Result<std::pair<std::string, std::string>> stored = StoreImage(**upload, folder);
    if (!stored.ok()) {
      drop_new();
      return stored.status();
    }
    new_keys.push_back(stored->first);
    *url = stored->second;
  }
  User out;
  std::vector<std::string> old_keys;
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    old_keys.clear();
    CLASH_ASSIGN_OR_RETURN(out, tx.users().GetById(actor.id));
    if (username && *username != out.username) {
      CLASH_ASSIGN_OR_RETURN(bool taken, tx.social().UsernameTakenFolded(*username, out.id));
      if (taken) return Status::InvalidArgument("Username is already taken.");
      out.username = *username;
    }
    if (first_name) out.first_name = *first_name;
    if (last_name) out.last_name = *last_name;
    if (update.bio) out.profile.bio = *update.bio;
    if (avatar_url) {
      old_keys.push_back(media_.KeyOf(out.profile.avatar_url));
      out.profile.avatar_url = *avatar_url;
    }
    if (banner_url) {
      old_keys.push_back(media_.KeyOf(out.profile.banner_url));
      out.profile.banner_url = *banner_url;
    }
    Status st = tx.users().Update(out);
    if (st.code() == StatusCode::kAlreadyExists) return Status::InvalidArgument("Username is already taken.");
    CLASH_RETURN_IF_ERROR(st);
    tx.OnCommit([this, keys = old_keys] {
      for (const std::string& k : keys) {
        if (!k.empty()) (void)media_.Delete(k);
      }
    });
    return Status::Ok();
  });
  if (!s.ok()) {
    drop_new();
    if (s.code() == StatusCode::kNotFound) return Status::NotFound("User not found");
    return s;
  }
  return out;
}

}  // namespace clash
