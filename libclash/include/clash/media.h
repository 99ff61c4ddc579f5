// clash/media.h — uploaded images: checked by content, cleaned, and stored through a media store.
//
// CheckImage() accepts PNG, JPEG, WebP and GIF only, decided by the bytes (never by a file name or
// a declared Content-Type): the magic bytes, then the whole container is walked and must be well
// formed (PNG chunks with their CRCs, JPEG segments up to the end-of-image marker, the RIFF chunks of
// WebP with their sizes, GIF blocks up to the trailer), with nothing after its end. The dimensions
// come from the header and must be sane (ImageLimits), which refuses decompression bombs (huge
// dimensions in a tiny file) before anything is decoded. Metadata is stripped: the result keeps only
// what draws the picture (PNG text/time/EXIF chunks, JPEG APPn and comments except JFIF/Adobe, WebP
// EXIF/XMP chunks, GIF comments and unknown application blocks are dropped). A cleaned image that
// still carries markup or an archive signature (an image that is also HTML, SVG/XML or a ZIP) is
// refused. Everything refused is InvalidArgument with a message for the client.
//
// A MediaStore keeps the cleaned bytes under a key the library makes ("avatars/<32 hex>.png": safe
// characters only, never from the client) and returns the URL clients use. Two backends: a local
// directory whose files the host serves under /media/ (the embedded default), and an S3-compatible
// bucket (AWS Signature V4, path-style URLs).
//
// Thread-safety: CheckImage is pure; MediaStore implementations are safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(clash::CheckedImage img, clash::CheckImage(bytes));
//   CLASH_ASSIGN_OR_RETURN(std::string url, engine->media().Put(MediaKey("posts", img, rng), img));
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/rng.h"
#include "clash/status.h"

namespace clash {

class HttpClient;

enum class ImageType { kPng, kJpeg, kWebp, kGif };

struct ImageLimits {
  std::size_t max_bytes = 5 * 1024 * 1024;   // 5 MB; one byte more is refused
  int max_side = 8192;                       // width and height each at most this
  std::int64_t max_pixels = 40'000'000;      // width * height at most this
};

struct CheckedImage {
  ImageType type = ImageType::kPng;
  int width = 0;
  int height = 0;
  std::string bytes;                         // the cleaned image (metadata removed)
};

// "image/png", "image/jpeg", "image/webp", "image/gif".
CLASH_EXPORT std::string_view ImageMime(ImageType type);
// "png", "jpg", "webp", "gif".
CLASH_EXPORT std::string_view ImageExtension(ImageType type);
// The type whose extension is `extension` (as ImageExtension), if any.
CLASH_EXPORT Result<ImageType> ImageTypeFromExtension(std::string_view extension);

// Checks and cleans an upload as described above. InvalidArgument("Image too large (max 5 MB).")
// past limits.max_bytes; InvalidArgument("Upload a PNG, JPEG, WebP or GIF image.") for anything
// else; InvalidArgument("Invalid or truncated image.") for a broken container;
// InvalidArgument("Image dimensions are too large.") past the dimension limits.
CLASH_EXPORT Result<CheckedImage> CheckImage(std::string_view bytes, const ImageLimits& limits = {});

// Whether a declared Content-Type (of a multipart part) fits the checked type: empty and
// "application/octet-stream" fit anything, "image/jpg" and "image/pjpeg" fit JPEG.
CLASH_EXPORT bool DeclaredTypeMatches(std::string_view declared, ImageType type);

// A fresh key "<folder>/<32 random hex>.<extension>"; `folder` is one of the library's
// ("avatars", "banners", "posts", "store").
CLASH_EXPORT std::string MediaKey(std::string_view folder, ImageType type, Rng& rng);

// True for keys MediaKey makes: "<folder>/<name>.<ext>" of [a-z0-9_-] characters, a known image
// extension, no dot segments. Stores and the host refuse any other key.
CLASH_EXPORT bool IsSafeMediaKey(std::string_view key);

class CLASH_EXPORT MediaStore {
 public:
  MediaStore() = default;
  MediaStore(const MediaStore&) = delete;
  MediaStore& operator=(const MediaStore&) = delete;
  virtual ~MediaStore() = default;
  // Stores `image` under `key` and returns its public URL. InvalidArgument for an unsafe key;
  // Unavailable if the backend cannot store it now.
  virtual Result<std::string> Put(std::string_view key, const CheckedImage& image) = 0;
  // Removes `key` (absent is OK). InvalidArgument for an unsafe key; Unavailable as Put.
  virtual Status Delete(std::string_view key) = 0;
  // The key of a URL this store returned, or "" for any other URL.
  virtual std::string KeyOf(std::string_view url) const = 0;
  // The directory the host serves under url_prefix, for the local backend; "" otherwise.
  virtual std::string local_dir() const { return ""; }
};

struct LocalMediaOptions {
  std::string dir;                           // created (0700) if missing
  std::string url_prefix = "/media/";        // the URL of key k is url_prefix + k
};
// InvalidArgument for an empty dir; Unavailable if it cannot be created.
CLASH_EXPORT Result<std::unique_ptr<MediaStore>> NewLocalMediaStore(LocalMediaOptions options);

struct S3MediaOptions {
  std::string endpoint;                      // "https://s3.eu-west-1.amazonaws.com" or "http://127.0.0.1:9000"
  std::string region = "us-east-1";
  std::string bucket;
  std::string access_key;
  std::string secret_key;
  // The public URL of key k is public_base_url + "/" + k; empty: endpoint + "/" + bucket.
  std::string public_base_url;
};
// `http` and `clock` (request dates for the signature) must outlive the store. InvalidArgument for
// a missing endpoint, bucket or key pair, or an endpoint that is not http(s)://host[:port].
CLASH_EXPORT Result<std::unique_ptr<MediaStore>> NewS3MediaStore(S3MediaOptions options, HttpClient& http,
                                                                  Clock& clock);

}  // namespace clash
