// Key files on disk, and the embedded-default key directory of TokenKeys (LoadOrCreate, RotateInDir).
#include "security/key_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

#include "clash/tokens.h"
#include "security/token_key.h"

namespace clash {
namespace internal {
namespace {

constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;
constexpr char kSigningFile[] = "token-signing-key.pem";
constexpr std::string_view kRetiredPrefix = "token-retired-";
constexpr std::string_view kPemSuffix = ".pem";

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

Status IoError(std::string_view what, const std::filesystem::path& path) {
  return Status::Internal(std::string(what) + " " + path.string() + ": " + std::generic_category().message(errno));
}

Status FsyncDir(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return IoError("cannot sync directory", dir);
  return Status::Ok();
}

Status EnsureDir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::Ok();
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create key directory " + dir.string() + ": " + ec.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (ec) return Status::Internal("cannot set mode 0700 on " + dir.string() + ": " + ec.message());
  return Status::Ok();
}

bool IsRetiredName(const std::string& name) {
  return name.size() > kRetiredPrefix.size() + kPemSuffix.size() && name.starts_with(kRetiredPrefix) &&
         name.ends_with(kPemSuffix);
}

}  // namespace

Result<std::string> ReadKeyFile(const std::filesystem::path& path, bool private_mode) {
  int flags = O_RDONLY | O_CLOEXEC | (private_mode ? O_NOFOLLOW : 0);
  Fd fd(::open(path.c_str(), flags));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status::NotFound("key file " + path.string() + " does not exist");
    if (errno == ELOOP) return Status::FailedPrecondition("key file " + path.string() + " is a symbolic link");
    return IoError("cannot open key file", path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoError("cannot stat key file", path);
  if (!S_ISREG(st.st_mode)) return Status::FailedPrecondition("key file " + path.string() + " is not a regular file");
  if (private_mode && (st.st_mode & 077) != 0) {
    return Status::FailedPrecondition("key file " + path.string() +
                                      " is accessible by group or others; run chmod 600 on it");
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxKeyFileBytes) {
    return Status::InvalidArgument("key file " + path.string() + " is too large");
  }
  std::string data(kMaxKeyFileBytes + 1, '\0');
  std::size_t used = 0;
  while (used < data.size()) {
    ssize_t n = ::read(fd.get(), data.data() + used, data.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot read key file", path);
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > kMaxKeyFileBytes) return Status::InvalidArgument("key file " + path.string() + " is too large");
  data.resize(used);
  return data;
}

Status WriteKeyFile(const std::filesystem::path& path, std::string_view data, Rng& rng, bool replace) {
  std::filesystem::path tmp = path.parent_path() / ("." + path.filename().string() + "." + rng.HexToken(8) + ".tmp");
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return IoError("cannot create", tmp);
  auto fail = [&](std::string_view what) {
    Status s = IoError(what, tmp);
    ::unlink(tmp.c_str());
    return s;
  };
  if (::fchmod(fd.get(), 0600) != 0) return fail("cannot set mode 0600 on");
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write");
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("cannot sync");
  if (::close(fd.Release()) != 0) return fail("cannot close");
  if (replace) {
    if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename");
  } else {
    // link() fails with EEXIST instead of overwriting: the first of two racing writers wins.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      bool exists = errno == EEXIST;
      Status s = fail("cannot link");
      if (exists) return Status::AlreadyExists("key file " + path.string() + " already exists");
      return s;
    }
    ::unlink(tmp.c_str());
  }
  return FsyncDir(path.parent_path());
}

}  // namespace internal

Result<TokenKeys> TokenKeys::LoadOrCreate(const std::filesystem::path& dir, Rng& rng) {
  CLASH_RETURN_IF_ERROR(internal::EnsureDir(dir));
  const std::filesystem::path signing_path = dir / internal::kSigningFile;
  TokenKeys keys;
  Result<std::string> pem = internal::ReadKeyFile(signing_path, /*private_mode=*/true);
  if (!pem.ok() && pem.status().code() == StatusCode::kNotFound) {
    CLASH_ASSIGN_OR_RETURN(auto key, internal::GenerateTokenKey(kGeneratedKeyBits));
    CLASH_ASSIGN_OR_RETURN(std::string new_pem, internal::PrivateKeyPem(*key));
    Status written = internal::WriteKeyFile(signing_path, new_pem, rng, /*replace=*/false);
    if (written.ok()) {
      CLASH_RETURN_IF_ERROR(keys.Add(std::move(key), /*signing=*/true));
    } else if (written.code() != StatusCode::kAlreadyExists) {
      return written;
    }
    if (written.code() == StatusCode::kAlreadyExists) pem = internal::ReadKeyFile(signing_path, true);
  }
  if (keys.empty()) {
    if (!pem.ok()) return pem.status();
    CLASH_RETURN_IF_ERROR(keys.AddSigningKeyPem(*pem));
  }

  std::error_code ec;
  std::vector<std::filesystem::path> retired;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (internal::IsRetiredName(entry.path().filename().string())) retired.push_back(entry.path());
  }
  if (ec) return Status::Internal("cannot list key directory " + dir.string() + ": " + ec.message());
  std::sort(retired.begin(), retired.end());
  for (const auto& path : retired) {
    CLASH_ASSIGN_OR_RETURN(std::string old_pem, internal::ReadKeyFile(path, /*private_mode=*/true));
    CLASH_ASSIGN_OR_RETURN(auto key, internal::ParseTokenKeyPem(old_pem, /*want_private=*/false, {}));
    if (keys.Find(key->kid) != nullptr) continue;  // a rotation interrupted after its first step
    CLASH_RETURN_IF_ERROR(keys.Add(std::move(key), /*signing=*/false));
  }
  return keys;
}

Result<TokenKeys> TokenKeys::RotateInDir(const std::filesystem::path& dir, Rng& rng) {
  CLASH_ASSIGN_OR_RETURN(TokenKeys current, LoadOrCreate(dir, rng));
  const internal::TokenKey* old_key = current.Find(current.signing_kid());
  if (old_key == nullptr) return Status::Internal("key directory has no signing key");
  // 1. keep the old public key for verification; 2. atomically replace the signing key.
  CLASH_ASSIGN_OR_RETURN(std::string old_public, internal::PublicKeyPem(*old_key));
  std::filesystem::path retired_path =
      dir / (std::string(internal::kRetiredPrefix) + old_key->kid + std::string(internal::kPemSuffix));
  CLASH_RETURN_IF_ERROR(internal::WriteKeyFile(retired_path, old_public, rng, /*replace=*/true));
  CLASH_ASSIGN_OR_RETURN(auto key, internal::GenerateTokenKey(kGeneratedKeyBits));
  CLASH_ASSIGN_OR_RETURN(std::string new_pem, internal::PrivateKeyPem(*key));
  CLASH_RETURN_IF_ERROR(internal::WriteKeyFile(dir / internal::kSigningFile, new_pem, rng, /*replace=*/true));
  return LoadOrCreate(dir, rng);
}

}  // namespace clash
