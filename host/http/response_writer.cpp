#include "http/response_writer.h"

#include <ctime>

namespace clash::host {
namespace {

// "Thu, 03 Dec 2026 13:05:21 GMT", recomputed once a second per thread.
std::string_view DateText() {
  thread_local std::time_t cached_second = 0;
  thread_local char text[40];
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  }
  return text;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

}  // namespace

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

bool WantsClose(const HttpResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (EqualsNoCase(name, "connection") && EqualsNoCase(value, "close")) return true;
  }
  return false;
}

bool BodylessStatus(int status) { return status < 200 || status == 204 || status == 304; }

void AppendResponseHead(const HttpResponse& response, const ResponseHeadOptions& o, std::string* out) {
  out->append("HTTP/1.1 ").append(std::to_string(response.status)).append(" ");
  out->append(ReasonPhrase(response.status)).append("\r\nDate: ").append(DateText());
  out->append("\r\nServer: clash-host\r\n");
  if (!BodylessStatus(response.status)) {
    if (!response.content_type.empty()) out->append("Content-Type: ").append(response.content_type).append("\r\n");
    out->append("Content-Length: ").append(std::to_string(o.content_length)).append("\r\n");
  }
  if (!o.request_id.empty()) out->append("X-Request-ID: ").append(o.request_id).append("\r\n");
  for (const auto& [name, value] : response.headers) {
    if (EqualsNoCase(name, "connection")) continue;
    out->append(name).append(": ").append(value).append("\r\n");
  }
  if (o.close) {
    out->append("Connection: close\r\n");
  } else if (o.keep_alive_header) {
    out->append("Connection: keep-alive\r\n");
  }
  out->append("\r\n");
}

}  // namespace clash::host
