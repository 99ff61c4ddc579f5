#include "http/static_files.h"

#include <map>

#include "http/json_response.h"

namespace clash::host {

namespace fs = std::filesystem;

StaticFiles::StaticFiles(std::string root) {
  if (root.empty()) return;
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec) root_.clear();
}

std::string StaticFiles::ContentTypeFor(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"}, {".webp", "image/webp"},
      {".ico", "image/x-icon"}, {".woff", "font/woff"}, {".woff2", "font/woff2"}, {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}, {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"}};
  auto it = kTypes.find(fs::path(path).extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

void StaticFiles::Serve(const HttpRequest& request, HttpResponse& response) const {
  const std::string& path = request.path;
  bool suspicious = path.find('\0') != std::string::npos || path.find("..") != std::string::npos;
  if (!suspicious) {
    fs::path candidate = root_ / fs::path(path).relative_path();
    std::error_code ec;
    fs::path real = fs::canonical(candidate, ec);
    if (!ec && fs::is_regular_file(real, ec)) {
      auto rel = real.lexically_relative(root_);
      if (!rel.empty() && *rel.begin() != "..") {
        response.status = 200;
        response.content_type = ContentTypeFor(real.string());
        response.file_path = real.string();
        // Hashed build assets never change; the HTML shell must be revalidated.
        bool hashed = path.starts_with("/assets/");
        response.SetHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
        return;
      }
    }
  }
  fs::path index = root_ / "index.html";
  std::error_code ec;
  if (!suspicious && fs::is_regular_file(index, ec)) {
    response.status = 200;
    response.content_type = "text/html; charset=utf-8";
    response.file_path = index.string();
    response.SetHeader("Cache-Control", "no-cache");
    return;
  }
  WriteError(response, 404, "Not found");
}

}  // namespace clash::host
