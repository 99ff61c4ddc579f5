// http/response_writer.h — the bytes of an HTTP/1.1 response head.
//
// The status line is always HTTP/1.1 whatever the request's version. Every response carries Date,
// Content-Length (except 1xx/204/304) and X-Request-ID; "Connection: close" in the route's headers
// is honoured rather than copied, and the connection decides the Connection header itself.
//
// Thread-safety: pure functions (the Date text is cached per thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace clash::host {

// The reason phrase for a status code ("Request Header Fields Too Large"); "Unknown" otherwise.
std::string_view ReasonPhrase(int status);

struct ResponseHeadOptions {
  std::string_view request_id;
  std::uint64_t content_length = 0;  // of the body a GET would carry (HEAD too)
  bool close = false;                // "Connection: close"
  bool keep_alive_header = false;    // "Connection: keep-alive" (an HTTP/1.0 client that asked)
};

// Appends the status line and headers of `response` (its status, content type and headers) and
// the blank line to `out`.
void AppendResponseHead(const HttpResponse& response, const ResponseHeadOptions& options, std::string* out);

// True if `response` carries "Connection: close" among its headers.
bool WantsClose(const HttpResponse& response);

// True for statuses that never carry a body (1xx, 204, 304).
bool BodylessStatus(int status);

}  // namespace clash::host
