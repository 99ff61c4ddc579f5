// The media stores: a local directory and an S3-compatible bucket. See clash/media.h.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>

#include "clash/media.h"
#include "clash/transport.h"
#include "common/crypto.h"

namespace clash {
namespace {

const Status kUnsafeKey = Status::InvalidArgument("unsafe media key");

class LocalMediaStore final : public MediaStore {
 public:
  explicit LocalMediaStore(LocalMediaOptions options) : options_(std::move(options)) {}

  Result<std::string> Put(std::string_view key, const CheckedImage& image) override {
    if (!IsSafeMediaKey(key)) return kUnsafeKey;
    const std::string path = options_.dir + "/" + std::string(key);
    const std::string folder = path.substr(0, path.rfind('/'));
    if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) return Status::Unavailable("media folder cannot be created");
    // Written to a temporary name and renamed: a reader never sees half a file.
    const std::string tmp = path + ".part";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return Status::Unavailable("media file cannot be written");
    std::size_t done = 0;
    while (done < image.bytes.size()) {
      ssize_t n = ::write(fd, image.bytes.data() + done, image.bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    const bool ok = done == image.bytes.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
      ::unlink(tmp.c_str());
      return Status::Unavailable("media file cannot be written");
    }
    return options_.url_prefix + std::string(key);
  }

  Status Delete(std::string_view key) override {
    if (!IsSafeMediaKey(key)) return kUnsafeKey;
    const std::string path = options_.dir + "/" + std::string(key);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Status::Unavailable("media file cannot be removed");
    return Status::Ok();
  }

  std::string KeyOf(std::string_view url) const override {
    if (!url.starts_with(options_.url_prefix)) return "";
    std::string_view key = url.substr(options_.url_prefix.size());
    return IsSafeMediaKey(key) ? std::string(key) : "";
  }

  std::string local_dir() const override { return options_.dir; }

 private:
  LocalMediaOptions options_;
};

// AWS Signature Version 4 for one request without a query string (path-style URLs).
class S3MediaStore final : public MediaStore {
 public:
  S3MediaStore(S3MediaOptions options, std::string host, HttpClient& http, Clock& clock)
      : options_(std::move(options)), host_(std::move(host)), http_(http), clock_(clock) {
    if (options_.public_base_url.empty()) options_.public_base_url = options_.endpoint + "/" + options_.bucket;
  }

  Result<std::string> Put(std::string_view key, const CheckedImage& image) override {
    if (!IsSafeMediaKey(key)) return kUnsafeKey;
    CLASH_ASSIGN_OR_RETURN(HttpClientResponse r,
                           Send("PUT", key, image.bytes,
                                {{"content-type", std::string(ImageMime(image.type))},
                                 {"x-amz-meta-checked", "1"}}));
    if (r.status != 200) return Status::Unavailable("media store refused the upload (HTTP " + std::to_string(r.status) + ")");
    return options_.public_base_url + "/" + std::string(key);
  }

  Status Delete(std::string_view key) override {
    if (!IsSafeMediaKey(key)) return kUnsafeKey;
    CLASH_ASSIGN_OR_RETURN(HttpClientResponse r, Send("DELETE", key, "", {}));
    if (r.status != 204 && r.status != 200 && r.status != 404) {
      return Status::Unavailable("media store refused the delete (HTTP " + std::to_string(r.status) + ")");
    }
    return Status::Ok();
  }

  std::string KeyOf(std::string_view url) const override {
    const std::string prefix = options_.public_base_url + "/";
    if (!url.starts_with(prefix)) return "";
    std::string_view key = url.substr(prefix.size());
    return IsSafeMediaKey(key) ? std::string(key) : "";
  }

 private:
  Result<HttpClientResponse> Send(const std::string& method, std::string_view key, const std::string& body,
                                  std::vector<std::pair<std::string, std::string>> extra) {
    using internal::HexEncode;
    using internal::HmacSha256;
    using internal::Sha256;
    const std::time_t t = static_cast<std::time_t>(clock_.Now().unix_seconds());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char amz_date[32], day[16];
    std::strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
    std::strftime(day, sizeof day, "%Y%m%d", &tm);
    const std::string path = "/" + options_.bucket + "/" + std::string(key);  // safe keys need no escaping
    const std::string payload_hash = HexEncode(Sha256(body));
    // Canonical headers, sorted by name (lower case).
    extra.push_back({"host", host_});
    extra.push_back({"x-amz-content-sha256", payload_hash});
    extra.push_back({"x-amz-date", amz_date});
    std::sort(extra.begin(), extra.end());
    std::string canonical_headers, signed_headers;
    for (const auto& [name, value] : extra) {
      canonical_headers += name + ":" + value + "\n";
      signed_headers += (signed_headers.empty() ? "" : ";") + name;
    }
    const std::string canonical =
        method + "\n" + path + "\n\n" + canonical_headers + "\n" + signed_headers + "\n" + payload_hash;
    const std::string scope = std::string(day) + "/" + options_.region + "/s3/aws4_request";
    const std::string to_sign = std::string("AWS4-HMAC-SHA256\n") + amz_date + "\n" + scope + "\n" +
                                HexEncode(Sha256(canonical));
    std::string k = HmacSha256("AWS4" + options_.secret_key, day);
    k = HmacSha256(k, options_.region);
    k = HmacSha256(k, "s3");
    k = HmacSha256(k, "aws4_request");
    const std::string signature = HexEncode(HmacSha256(k, to_sign));
    HttpClientRequest req{.method = method, .url = options_.endpoint + path};
    for (const auto& [name, value] : extra) {
      if (name != "host") req.headers.emplace_back(name, value);
    }
    req.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + options_.access_key + "/" + scope +
                                                  ", SignedHeaders=" + signed_headers + ", Signature=" + signature);
    req.body = body;
    return http_.Send(req);
  }

  S3MediaOptions options_;
  std::string host_;
  HttpClient& http_;
  Clock& clock_;
};

}  // namespace

Result<std::unique_ptr<MediaStore>> NewLocalMediaStore(LocalMediaOptions options) {
  if (options.dir.empty()) return Status::InvalidArgument("media dir must not be empty");
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec || !std::filesystem::is_directory(options.dir, ec)) {
    return Status::Unavailable("media dir '" + options.dir + "' cannot be created");
  }
  std::filesystem::permissions(options.dir, std::filesystem::perms::owner_all, ec);
  while (options.dir.size() > 1 && options.dir.back() == '/') options.dir.pop_back();
  if (options.url_prefix.empty() || options.url_prefix.back() != '/') options.url_prefix += '/';
  return std::unique_ptr<MediaStore>(new LocalMediaStore(std::move(options)));
}

Result<std::unique_ptr<MediaStore>> NewS3MediaStore(S3MediaOptions options, HttpClient& http, Clock& clock) {
  if (options.bucket.empty() || options.access_key.empty() || options.secret_key.empty()) {
    return Status::InvalidArgument("S3 media store needs a bucket, an access key and a secret key");
  }
  while (!options.endpoint.empty() && options.endpoint.back() == '/') options.endpoint.pop_back();
  std::string_view ep = options.endpoint;
  std::size_t scheme = ep.find("://");
  if (scheme == std::string_view::npos || (ep.substr(0, scheme) != "http" && ep.substr(0, scheme) != "https")) {
    return Status::InvalidArgument("S3 endpoint must be http(s)://host[:port]");
  }
  std::string host(ep.substr(scheme + 3));
  if (host.empty() || host.find('/') != std::string::npos) {
    return Status::InvalidArgument("S3 endpoint must be http(s)://host[:port]");
  }
  for (char c : options.bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
      return Status::InvalidArgument("S3 bucket name must be lower-case letters, digits, '-' and '.'");
    }
  }
  while (!options.public_base_url.empty() && options.public_base_url.back() == '/') options.public_base_url.pop_back();
  return std::unique_ptr<MediaStore>(new S3MediaStore(std::move(options), std::move(host), http, clock));
}

}  // namespace clash
