// Fuzz target: the HTTP/1.1 request-head parser and the chunked-body decoder (host/http/http1_parser.h).
// The input is fed as one growing buffer in two steps (as a socket delivers it), then, if the head
// asks for a chunked body, the rest goes through the ChunkedDecoder in small pieces.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/http1_parser.h"

using clash::host::http1::BodyKind;
using clash::host::http1::ChunkedDecoder;
using clash::host::http1::Error;
using clash::host::http1::Limits;
using clash::host::http1::ParseRequestHead;
using clash::host::http1::ParseStatus;
using clash::host::http1::RequestHead;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Limits limits{.max_head_bytes = 4096, .max_headers = 32};
  RequestHead head;
  Error err;
  std::size_t scanned = 0;
  // First half, then all of it: exercises the resumable scan.
  ParseStatus status = ParseRequestHead(input.substr(0, size / 2), limits, &head, &err, &scanned);
  if (status == ParseStatus::kIncomplete) status = ParseRequestHead(input, limits, &head, &err, &scanned);
  if (status == ParseStatus::kError && (err.status < 400 || err.status > 505)) __builtin_trap();
  if (status != ParseStatus::kDone) return 0;
  if (head.head_bytes > size) __builtin_trap();
  (void)clash::host::http1::IsKnownMethod(head.method);
  if (head.body != BodyKind::kChunked) return 0;
  ChunkedDecoder decoder(/*max_body=*/8192, /*max_line=*/256);
  std::string_view rest = input.substr(head.head_bytes);
  std::string body;
  while (!rest.empty()) {
    std::size_t consumed = 0;
    const std::string_view piece = rest.substr(0, 7);  // odd-sized reads
    ChunkedDecoder::Status s = decoder.Feed(piece, &consumed, &body, &err);
    if (consumed > piece.size() || body.size() > 8192) __builtin_trap();
    if (s != ChunkedDecoder::Status::kNeedMore) break;
    if (consumed == 0) __builtin_trap();  // need-more must eat what it was given
    rest.remove_prefix(consumed);
  }
  return 0;
}
