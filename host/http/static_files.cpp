#include "http/static_files.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "http/json_response.h"

namespace clash::host {

namespace fs = std::filesystem;

StaticFiles::StaticFiles(std::string root) {
  if (root.empty()) return;
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec) {
    root_.clear();
    return;
  }
  root_fd_ = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
}

StaticFiles::~StaticFiles() {
  if (root_fd_ >= 0) ::close(root_fd_);
}

std::optional<std::string> StaticFiles::Resolve(const std::string& rel) const {
  if (root_fd_ >= 0) {
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    const long fd = ::syscall(SYS_openat2, root_fd_, rel.c_str(), &how, sizeof how);
    if (fd >= 0) {
      struct stat st {};
      const bool regular = ::fstat(static_cast<int>(fd), &st) == 0 && S_ISREG(st.st_mode);
      ::close(static_cast<int>(fd));
      if (!regular) return std::nullopt;
      return root_.string() + "/" + rel;
    }
    if (errno != ENOSYS) return std::nullopt;  // missing, or outside the root
  }
  // Kernels before 5.6: resolve every link ourselves and check the result stays under the root.
  std::error_code ec;
  fs::path real = fs::canonical(root_ / rel, ec);
  if (ec || !fs::is_regular_file(real, ec)) return std::nullopt;
  auto within = real.lexically_relative(root_);
  if (within.empty() || *within.begin() == "..") return std::nullopt;
  return real.string();
}

std::string StaticFiles::ContentTypeFor(const std::string& path) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"}, {".webp", "image/webp"},
      {".ico", "image/x-icon"}, {".woff", "font/woff"}, {".woff2", "font/woff2"}, {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}, {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"}};
  std::string_view name(path);
  name.remove_prefix(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1);
  const std::size_t dot = name.rfind('.');
  auto it = dot == std::string_view::npos || dot == 0 ? kTypes.end() : kTypes.find(name.substr(dot));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

void StaticFiles::ServeExact(const std::string& rel, const std::string& content_type, HttpResponse& response) const {
  if (std::optional<std::string> file = Resolve(rel)) {
    response.status = 200;
    response.content_type = content_type;
    response.file_path = std::move(file);
    response.SetHeader("X-Content-Type-Options", "nosniff");
    response.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
    // Never rendered as a document, even if a browser were asked to.
    response.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    return;
  }
  WriteError(response, 404, "Not found");
}

void StaticFiles::Serve(const HttpRequest& request, HttpResponse& response) const {
  const std::string& path = request.path;
  bool suspicious = path.find('\0') != std::string::npos || path.find("..") != std::string::npos;
  const std::size_t start = path.find_first_not_of('/');
  if (!suspicious && start != std::string::npos) {
    if (std::optional<std::string> file = Resolve(path.substr(start))) {
      response.status = 200;
      response.content_type = ContentTypeFor(*file);
      response.file_path = std::move(file);
      // Hashed build assets never change; the HTML shell must be revalidated.
      bool hashed = path.starts_with("/assets/");
      response.SetHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
      return;
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
