#include "http/http1_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace clash::host::http1 {
namespace {

struct Parsed {
  ParseStatus status;
  RequestHead head;
  Error err;
};

Parsed Parse(std::string_view data, Limits limits = {}) {
  Parsed p;
  p.status = ParseRequestHead(data, limits, &p.head, &p.err);
  return p;
}

int ErrorStatus(std::string_view data) {
  Parsed p = Parse(data);
  EXPECT_EQ(p.status, ParseStatus::kError) << data;
  return p.status == ParseStatus::kError ? p.err.status : 0;
}

TEST(Http1ParserTest, ParsesASimpleRequest) {
  Parsed p = Parse("GET /api/x?y=1 HTTP/1.1\r\nHost: a.example:8080\r\nX-Thing:  v a l  \r\n\r\nNEXT");
  ASSERT_EQ(p.status, ParseStatus::kDone);
  EXPECT_EQ(p.head.method, "GET");
  EXPECT_EQ(p.head.target, "/api/x?y=1");
  EXPECT_EQ(p.head.minor_version, 1);
  ASSERT_EQ(p.head.headers.size(), 2u);
  EXPECT_EQ(p.head.headers[1].first, "x-thing");
  EXPECT_EQ(p.head.headers[1].second, "v a l");
  EXPECT_EQ(p.head.body, BodyKind::kNone);
  EXPECT_TRUE(p.head.keep_alive);
  EXPECT_EQ(p.head.head_bytes, std::string_view("GET /api/x?y=1 HTTP/1.1\r\nHost: a.example:8080\r\nX-Thing:  v a l  \r\n\r\n").size());
}

TEST(Http1ParserTest, IncompleteUntilTheBlankLineAndSkipsLeadingCrlf) {
  std::string req = "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n";
  std::size_t scanned = 0;
  for (std::size_t n = 0; n < req.size(); ++n) {
    RequestHead head;
    Error err;
    ASSERT_EQ(ParseRequestHead(std::string_view(req).substr(0, n), {}, &head, &err, &scanned), ParseStatus::kIncomplete)
        << n;
  }
  RequestHead head;
  Error err;
  ASSERT_EQ(ParseRequestHead(req, {}, &head, &err, &scanned), ParseStatus::kDone);
  EXPECT_EQ(head.head_bytes, req.size());
}

TEST(Http1ParserTest, FramingHeaders) {
  Parsed p = Parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 42\r\nExpect: 100-Continue\r\n\r\n");
  ASSERT_EQ(p.status, ParseStatus::kDone);
  EXPECT_EQ(p.head.body, BodyKind::kLength);
  EXPECT_EQ(p.head.content_length, 42u);
  EXPECT_TRUE(p.head.expect_continue);
  p = Parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n");
  ASSERT_EQ(p.status, ParseStatus::kDone);
  EXPECT_EQ(p.head.body, BodyKind::kChunked);
  p = Parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(p.status, ParseStatus::kDone);
  EXPECT_EQ(p.head.body, BodyKind::kNone);
}

TEST(Http1ParserTest, ConnectionSemantics) {
  EXPECT_FALSE(Parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n").head.keep_alive);
  EXPECT_FALSE(Parse("GET / HTTP/1.0\r\n\r\n").head.keep_alive);
  EXPECT_TRUE(Parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").head.keep_alive);
  Parsed p = Parse("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n");
  EXPECT_TRUE(p.head.upgrade);
  EXPECT_FALSE(Parse("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n").head.upgrade);
}

TEST(Http1ParserTest, TargetForms) {
  EXPECT_EQ(Parse("GET http://x/a HTTP/1.1\r\nHost: x\r\n\r\n").status, ParseStatus::kDone);
  EXPECT_EQ(Parse("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").status, ParseStatus::kDone);
  EXPECT_EQ(ErrorStatus("GET * HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET a/b HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET /a\x7f HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
}

// Each malformed head and the status it gets.
struct BadHead {
  std::string head;
  int status;
};

TEST(Http1ParserTest, MalformedHeadsGetTheirStatus) {
  const std::string nul_method("GE\0T / HTTP/1.1\r\nHost: x\r\n\r\n", 29);
  const std::string nul_value("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", 39);
  const std::string post = "POST / HTTP/1.1\r\nHost: x\r\n";
  const std::vector<BadHead> cases = {
      // request line
      {"GET / FOO\r\nHost: x\r\n\r\n", 400},
      {"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505},
      {"GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505},
      {"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400},
      {"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {nul_method, 400},
      {"GET /\r\nHost: x\r\n\r\n", 400},
      // header lines
      {"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n", 400},
      {nul_value, 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nX-A: \x01\r\n\r\n", 400},
      // Host
      {"GET / HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},
      // Content-Length
      {post + "Content-Length: 0x5\r\n\r\n", 400},
      {post + "Content-Length: 5, 5\r\n\r\n", 400},
      {post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n", 400},
      {post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
      {post + "Content-Length: 12345678901234567890\r\n\r\n", 400},
      {post + "Content-Length: -1\r\n\r\n", 400},
      {post + "Content-Length: +5\r\n\r\n", 400},
      {post + "Content-Length:\r\n\r\n", 400},
      // Transfer-Encoding
      {post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {post + "Transfer-Encoding: gzip\r\n\r\n", 400},
      {post + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {post + "Transfer-Encoding: chunked, identity\r\n\r\n", 400},
      {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {post + "Transfer-Encoding: xchunked\r\n\r\n", 400},
      // Expect
      {post + "Expect: 200-ok\r\nContent-Length: 1\r\n\r\n", 417},
  };
  for (const BadHead& c : cases) EXPECT_EQ(ErrorStatus(c.head), c.status) << c.head;
  EXPECT_EQ(Parse("GET / HTTP/1.0\r\n\r\n").status, ParseStatus::kDone);  // HTTP/1.0 needs no Host
}

TEST(Http1ParserTest, Limits) {
  Limits small{64, 3};
  std::string long_line = "GET /" + std::string(100, 'a');
  Parsed p = Parse(long_line, small);
  ASSERT_EQ(p.status, ParseStatus::kError);
  EXPECT_EQ(p.err.status, 414);
  p = Parse("GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(60, 'p'), small);
  ASSERT_EQ(p.status, ParseStatus::kError);
  EXPECT_EQ(p.err.status, 431);
  p = Parse("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small);
  ASSERT_EQ(p.status, ParseStatus::kError);
  EXPECT_EQ(p.err.status, 431);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHost: x\r\n", small).status, ParseStatus::kIncomplete);
}

TEST(Http1ParserTest, KnownMethods) {
  for (const char* m : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) EXPECT_TRUE(IsKnownMethod(m));
  for (const char* m : {"get", "BREW", "TRACE", "CONNECT", "PROPFIND"}) EXPECT_FALSE(IsKnownMethod(m));
}

struct Decoded {
  ChunkedDecoder::Status status;
  std::string body;
  std::size_t consumed = 0;
  Error err;
};

Decoded Decode(std::string_view wire, std::size_t max_body = 1 << 20, bool bytewise = false) {
  ChunkedDecoder d(max_body, 4096);
  Decoded out;
  std::size_t off = 0;
  out.status = ChunkedDecoder::Status::kNeedMore;
  while (off < wire.size() && out.status == ChunkedDecoder::Status::kNeedMore) {
    std::size_t n = bytewise ? 1 : wire.size() - off;
    std::size_t used = 0;
    out.status = d.Feed(wire.substr(off, n), &used, &out.body, &out.err);
    off += used;
  }
  out.consumed = off;
  return out;
}

TEST(ChunkedDecoderTest, DecodesChunksExtensionsAndTrailers) {
  const std::string wire = "5\r\nhello\r\n6;name=val;q=\"a \\\" b\" ; x\r\n world\r\n0\r\nX-Trailer: t\r\n\r\nNEXT";
  for (bool bytewise : {false, true}) {
    Decoded d = Decode(wire, 1 << 20, bytewise);
    ASSERT_EQ(d.status, ChunkedDecoder::Status::kDone) << d.err.message;
    EXPECT_EQ(d.body, "hello world");
    EXPECT_EQ(d.consumed, wire.size() - 4);
  }
}

TEST(ChunkedDecoderTest, InvalidSizesAndFramingAre400) {
  for (const char* wire : {"zz\r\nab\r\n0\r\n\r\n", "-1\r\nx\r\n0\r\n\r\n", "\r\n", "1ffffffffffffffff\r\n",
                           "5\r\nhelloXX0\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "5;\r\nhello\r\n0\r\n\r\n",
                           "5;a=\r\nhello\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n", "5;a=\"x\r\nhello\r\n",
                           "0\r\nbad trailer\r\n\r\n", "0\r\n folded: x\r\n\r\n", "5\r\nhello\r\n0\r\n\n"}) {
    Decoded d = Decode(wire);
    ASSERT_EQ(d.status, ChunkedDecoder::Status::kError) << wire;
    EXPECT_EQ(d.err.status, 400) << wire;
  }
}

TEST(ChunkedDecoderTest, OversizeIs413BeforeTheDataArrives) {
  Decoded d = Decode("ffffffffffffffff\r\n");
  ASSERT_EQ(d.status, ChunkedDecoder::Status::kError);
  EXPECT_EQ(d.err.status, 413);
  d = Decode("8\r\n12345678\r\n8\r\n", 10);
  ASSERT_EQ(d.status, ChunkedDecoder::Status::kError);
  EXPECT_EQ(d.err.status, 413);
  EXPECT_EQ(d.body, "12345678");
}

}  // namespace
}  // namespace clash::host::http1
