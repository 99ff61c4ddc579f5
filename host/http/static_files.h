// host/http/static_files.h — serves the web client's built files from --web-root.
//
// GET/HEAD of an existing file under the root serves it (no path may escape the root: `..`,
// symlinks pointing outside and NUL bytes are refused; the kernel checks the walk with
// openat2(RESOLVE_BENEATH), one system call instead of a realpath per request). Any other non-API path falls back to
// index.html so client-side routes (/home, /level/python-001) load the single-page app.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "http/http_types.h"

namespace clash::host {

class StaticFiles {
 public:
  // `root` must be an existing directory; empty disables static serving.
  explicit StaticFiles(std::string root);
  ~StaticFiles();
  StaticFiles(const StaticFiles&) = delete;
  StaticFiles& operator=(const StaticFiles&) = delete;
  bool enabled() const { return !root_.empty(); }
  // Serves the request into `response`; 404 JSON if neither the file nor index.html exists.
  void Serve(const HttpRequest& request, HttpResponse& response) const;

  // Serves exactly the file `rel` (relative to the root, already checked by the caller) with
  // `content_type`, `X-Content-Type-Options: nosniff` and a long cache lifetime (media names are
  // random and never reused); 404 JSON if there is no such file. No index.html fallback.
  void ServeExact(const std::string& rel, const std::string& content_type, HttpResponse& response) const;

  // The Content-Type for a file name, by extension.
  static std::string ContentTypeFor(const std::string& path);

 private:
  // The file under the root for `rel` (no leading slash), or nullopt if there is no regular file
  // there or the path leaves the root (symlinks included).
  std::optional<std::string> Resolve(const std::string& rel) const;

  std::filesystem::path root_;
  int root_fd_ = -1;  // O_PATH descriptor of root_ for openat2(RESOLVE_BENEATH)
};

}  // namespace clash::host
