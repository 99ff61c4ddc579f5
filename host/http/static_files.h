// host/http/static_files.h — serves the web client's built files from --web-root.
//
// GET/HEAD of an existing file under the root serves it (no path may escape the root: `..`,
// symlinks pointing outside and NUL bytes are refused). Any other non-API path falls back to
// index.html so client-side routes (/home, /level/python-001) load the single-page app.
#pragma once

#include <filesystem>
#include <string>

#include "http/http_types.h"

namespace clash::host {

class StaticFiles {
 public:
  // `root` must be an existing directory; empty disables static serving.
  explicit StaticFiles(std::string root);
  bool enabled() const { return !root_.empty(); }
  // Serves the request into `response`; 404 JSON if neither the file nor index.html exists.
  void Serve(const HttpRequest& request, HttpResponse& response) const;

  // The Content-Type for a file name, by extension.
  static std::string ContentTypeFor(const std::string& path);

 private:
  std::filesystem::path root_;
};

}  // namespace clash::host
