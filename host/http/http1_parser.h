// http/http1_parser.h — a strict HTTP/1.1 request-head parser and chunked-body decoder (RFC 9112).
//
// No sockets and no allocation beyond the parsed strings: feed it bytes, get a RequestHead or an
// error with the status to answer. Strictness (each is a 4xx/5xx, never a guess):
//   request line   method SP request-target SP HTTP/1.x CRLF; method a token; target visible ASCII,
//                  origin-form ("/..."), absolute-form ("http://h/..."), or "*" for OPTIONS;
//                  HTTP/1.0 and HTTP/1.1 only (other versions 505)
//   lines          CRLF only: a bare CR or LF, NUL or any other control byte -> 400
//   header lines   token ":" OWS value OWS; whitespace before the colon, obs-fold (a line starting
//                  with SP/HTAB), a line without a colon -> 400
//   framing        Content-Length: plain digits (<= 18), once -> else 400; Transfer-Encoding only
//                  on HTTP/1.1, never with Content-Length, final coding "chunked" applied once
//                  (other codings -> 501); HTTP/1.1 needs exactly one valid Host
//   limits         a head larger than max_head_bytes -> 431 (414 while the request line alone is
//                  that long); more than max_headers lines -> 431
// Leading empty lines before a request are skipped (RFC 9112 section 2.2).
//
// Thread-safety: pure functions; a ChunkedDecoder is used by one thread at a time.
//
// Example:
//   http1::RequestHead head;
//   http1::Error err;
//   switch (http1::ParseRequestHead(buffer, limits, &head, &err)) {
//     case http1::ParseStatus::kIncomplete: /* read more */ break;
//     case http1::ParseStatus::kError: /* answer err.status, close */ break;
//     case http1::ParseStatus::kDone: buffer.erase(0, head.head_bytes); break;
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clash::host::http1 {

struct Limits {
  std::size_t max_head_bytes = 16 * 1024;  // request line + header lines + the final CRLF
  std::size_t max_headers = 100;
};

struct Error {
  int status = 400;
  std::string_view message;  // static text for the client
};

enum class BodyKind { kNone, kLength, kChunked };

struct RequestHead {
  std::string method;  // as sent (case-sensitive token)
  std::string target;  // as sent
  int minor_version = 1;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, values trimmed
  BodyKind body = BodyKind::kNone;
  std::uint64_t content_length = 0;  // for kLength
  bool keep_alive = true;            // from the version and Connection
  bool expect_continue = false;      // Expect: 100-continue
  bool upgrade = false;              // Connection carries "upgrade" and an Upgrade header is present
  std::size_t head_bytes = 0;        // bytes of the input the head took (leading CRLFs included)
};

enum class ParseStatus { kIncomplete, kDone, kError };

// Parses the request head at the start of `data`. kIncomplete: no complete head yet and still
// within the limits (call again with more bytes); kDone fills `out`; kError fills `err`. `scanned`
// (optional, 0 at first) carries how far earlier calls on the same growing buffer got, so a head
// that trickles in is scanned once; a bare CR or LF or a NUL is refused as soon as it arrives.
ParseStatus ParseRequestHead(std::string_view data, const Limits& limits, RequestHead* out, Error* err,
                             std::size_t* scanned = nullptr);

// True if `method` is one the host serves (GET HEAD POST PUT PATCH DELETE OPTIONS); anything else
// is answered 501 and counted under one metrics label.
bool IsKnownMethod(std::string_view method);

// Decodes a chunked body incrementally (RFC 9112 section 7.1). Chunk sizes are 1-16 hex digits,
// extensions must follow the grammar (and are ignored), the line after each chunk's data must be
// exactly CRLF, and the trailer section is validated like header lines and dropped.
class ChunkedDecoder {
 public:
  // `max_body` caps the decoded body (413 beyond it); `max_line` caps a chunk-size line and the
  // trailer section (400 beyond it).
  ChunkedDecoder(std::size_t max_body, std::size_t max_line) : max_body_(max_body), max_line_(max_line) {}

  enum class Status { kNeedMore, kDone, kError };
  // Consumes a prefix of `in` (sets *consumed), appending chunk data to `body`. kDone once the
  // final CRLF of the trailer section is consumed (bytes after it belong to the next request).
  Status Feed(std::string_view in, std::size_t* consumed, std::string* body, Error* err);

 private:
  enum class State { kSizeLine, kData, kDataCrlf, kTrailer, kDone };
  Status LineDone(std::string* body, Error* err);

  std::size_t max_body_;
  std::size_t max_line_;
  State state_ = State::kSizeLine;
  std::string line_;  // the current size line or trailer line
  std::uint64_t remaining_ = 0;
  std::size_t trailer_bytes_ = 0;
};

}  // namespace clash::host::http1
