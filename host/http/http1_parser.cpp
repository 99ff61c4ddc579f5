#include "http/http1_parser.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace clash::host::http1 {
namespace {

// Character classes, one bit each (RFC 9110 section 5.6.2, RFC 9112 section 3.2, RFC 3986).
enum : std::uint8_t {
  kTchar = 1,    // token characters
  kField = 2,    // field-value characters besides SP/HTAB: VCHAR and obs-text
  kTarget = 4,   // request-target characters: visible ASCII
  kHost = 8,     // Host header characters (reg-name, IP literal, port)
  kHex = 16,     // hex digits
};

constexpr std::array<std::uint8_t, 256> BuildTable() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0x21; c <= 0x7e; ++c) t[c] |= kField | kTarget;
  for (int c = 0x80; c <= 0xff; ++c) t[c] |= kField;
  for (int c = '0'; c <= '9'; ++c) t[c] |= kTchar | kHost | kHex;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kTchar | kHost;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kTchar | kHost;
  for (int c = 'a'; c <= 'f'; ++c) t[c] |= kHex;
  for (int c = 'A'; c <= 'F'; ++c) t[c] |= kHex;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] |= kTchar;
  for (char c : std::string_view("-._~!$&'()*+,;=:%[]")) t[static_cast<unsigned char>(c)] |= kHost;
  return t;
}
constexpr std::array<std::uint8_t, 256> kTable = BuildTable();

bool Is(char c, std::uint8_t cls) { return (kTable[static_cast<unsigned char>(c)] & cls) != 0; }
bool IsOws(char c) { return c == ' ' || c == '\t'; }

bool AllOf(std::string_view s, std::uint8_t cls) {
  for (char c : s) {
    if (!Is(c, cls)) return false;
  }
  return !s.empty();
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

// Calls fn(element) for each non-empty element of a comma-separated list.
template <typename F>
void ForEachListElement(std::string_view list, F&& fn) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = TrimOws(list.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

ParseStatus Fail(Error* err, int status, std::string_view message) {
  err->status = status;
  err->message = message;
  return ParseStatus::kError;
}

// "name: value" with a token name, the colon right after it, and field-value characters only.
bool SplitFieldLine(std::string_view line, std::string_view* name, std::string_view* value) {
  std::size_t i = 0;
  while (i < line.size() && Is(line[i], kTchar)) ++i;
  if (i == 0 || i == line.size() || line[i] != ':') return false;
  std::string_view v = TrimOws(line.substr(i + 1));
  for (char c : v) {
    if (!Is(c, kField) && !IsOws(c)) return false;
  }
  *name = line.substr(0, i);
  *value = v;
  return true;
}

ParseStatus ParseRequestLine(std::string_view line, RequestHead* out, Error* err) {
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return Fail(err, 400, "Malformed request line");
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return Fail(err, 400, "Malformed request line");
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!AllOf(method, kTchar)) return Fail(err, 400, "Malformed request method");
  if (!AllOf(target, kTarget)) return Fail(err, 400, "Malformed request target");
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return Fail(err, 400, "Malformed HTTP version");
  }
  if (version[5] != '1' || version[7] > '1') return Fail(err, 505, "HTTP version not supported");
  bool origin_form = target.front() == '/';
  bool absolute_form = target.size() > 8 && (EqualsNoCase(target.substr(0, 7), "http://") ||
                                             EqualsNoCase(target.substr(0, 8), "https://"));
  bool asterisk = target == "*" && method == "OPTIONS";
  if (!origin_form && !absolute_form && !asterisk) return Fail(err, 400, "Malformed request target");
  out->method.assign(method);
  out->target.assign(target);
  out->minor_version = version[7] - '0';
  return ParseStatus::kDone;
}

// The framing and connection headers, checked once every line is read.
struct Seen {
  int content_lengths = 0;
  int transfer_encodings = 0;
  int hosts = 0;
  bool bad_host = false;
  bool bad_length = false;
  std::string te_list;
  bool close = false;
  bool keep_alive = false;
  bool connection_upgrade = false;
  bool upgrade_header = false;
  bool bad_expect = false;
};

void NoteHeader(std::string_view name, std::string_view value, RequestHead* out, Seen* seen) {
  if (name == "content-length") {
    ++seen->content_lengths;
    if (value.empty() || value.size() > 18 || value.find_first_not_of("0123456789") != std::string_view::npos) {
      seen->bad_length = true;
      return;
    }
    std::uint64_t n = 0;
    for (char c : value) n = n * 10 + static_cast<std::uint64_t>(c - '0');
    out->content_length = n;
  } else if (name == "transfer-encoding") {
    ++seen->transfer_encodings;
    if (!seen->te_list.empty()) seen->te_list += ',';
    seen->te_list.append(value);
  } else if (name == "host") {
    ++seen->hosts;
    for (char c : value) seen->bad_host = seen->bad_host || !Is(c, kHost);
  } else if (name == "connection") {
    ForEachListElement(value, [&](std::string_view token) {
      if (EqualsNoCase(token, "close")) seen->close = true;
      if (EqualsNoCase(token, "keep-alive")) seen->keep_alive = true;
      if (EqualsNoCase(token, "upgrade")) seen->connection_upgrade = true;
    });
  } else if (name == "upgrade") {
    seen->upgrade_header = !value.empty();
  } else if (name == "expect") {
    if (EqualsNoCase(value, "100-continue")) {
      out->expect_continue = true;
    } else {
      seen->bad_expect = true;
    }
  }
}

ParseStatus DecideFraming(const Seen& seen, RequestHead* out, Error* err) {
  if (seen.bad_length || seen.content_lengths > 1) return Fail(err, 400, "Invalid Content-Length");
  if (out->minor_version == 1 && (seen.hosts != 1 || seen.bad_host)) {
    return Fail(err, 400, "Exactly one valid Host header is required");
  }
  if (seen.hosts > 1 || seen.bad_host) return Fail(err, 400, "Invalid Host header");
  if (seen.transfer_encodings > 0) {
    if (seen.content_lengths > 0) return Fail(err, 400, "Content-Length with Transfer-Encoding");
    if (out->minor_version == 0) return Fail(err, 400, "Transfer-Encoding in an HTTP/1.0 request");
    std::vector<std::string_view> codings;
    ForEachListElement(seen.te_list, [&](std::string_view c) { codings.push_back(c); });
    if (codings.empty() || !EqualsNoCase(codings.back(), "chunked")) {
      return Fail(err, 400, "Transfer-Encoding must end with chunked");
    }
    for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
      if (EqualsNoCase(codings[i], "chunked")) return Fail(err, 400, "chunked applied more than once");
    }
    if (codings.size() > 1) return Fail(err, 501, "Transfer codings other than chunked are not supported");
    out->body = BodyKind::kChunked;
  } else if (seen.content_lengths == 1 && out->content_length > 0) {
    out->body = BodyKind::kLength;
  }
  if (seen.bad_expect) return Fail(err, 417, "Only Expect: 100-continue is supported");
  out->keep_alive = out->minor_version == 1 ? !seen.close : (seen.keep_alive && !seen.close);
  out->upgrade = seen.connection_upgrade && seen.upgrade_header;
  return ParseStatus::kDone;
}

}  // namespace

bool IsKnownMethod(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" ||
         m == "OPTIONS";
}

ParseStatus ParseRequestHead(std::string_view data, const Limits& limits, RequestHead* out, Error* err,
                             std::size_t* scanned) {
  std::size_t start = 0;
  while (data.size() - start >= 2 && data[start] == '\r' && data[start + 1] == '\n') start += 2;
  // Scan only what was not scanned before (a head trickling in byte by byte stays linear), and
  // refuse a bare CR or LF, or a NUL, as soon as it arrives.
  std::size_t from = std::max(start, scanned != nullptr ? *scanned : 0);
  std::size_t end = std::string_view::npos;
  for (std::size_t i = from; i < data.size(); ++i) {
    const char c = data[i];
    if (c == '\0') return Fail(err, 400, "Control character in the request head");
    if (c == '\n' && (i == start || data[i - 1] != '\r')) return Fail(err, 400, "Bare LF in the request head");
    if (c == '\r' && i + 1 < data.size() && data[i + 1] != '\n') return Fail(err, 400, "Bare CR in the request head");
    if (c == '\n' && i >= start + 3 && data[i - 2] == '\n') {
      end = i - 3;
      break;
    }
  }
  if (end == std::string_view::npos || end + 4 - start > limits.max_head_bytes) {
    if (data.size() - start <= limits.max_head_bytes && end == std::string_view::npos) {
      if (scanned != nullptr) *scanned = data.size() > 0 && data.back() == '\r' ? data.size() - 1 : data.size();
      return ParseStatus::kIncomplete;
    }
    std::size_t first_line = data.find("\r\n", start);
    if (first_line == std::string_view::npos || first_line - start >= limits.max_head_bytes) {
      return Fail(err, 414, "Request line too long");
    }
    return Fail(err, 431, "Request header fields too large");
  }
  *out = RequestHead();
  out->head_bytes = end + 4;
  std::string_view head = data.substr(start, end + 2 - start);  // every line with its CRLF
  for (char c : head) {
    if (c != '\r' && c != '\n' && c != '\t' && (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)) {
      return Fail(err, 400, "Control character in the request head");
    }
  }
  Seen seen;
  bool first = true;
  while (!head.empty()) {
    std::size_t crlf = head.find("\r\n");
    std::string_view line = head.substr(0, crlf);
    head.remove_prefix(crlf + 2);
    if (line.find_first_of("\r\n") != std::string_view::npos) return Fail(err, 400, "Bare CR or LF in the request head");
    if (first) {
      first = false;
      if (ParseRequestLine(line, out, err) == ParseStatus::kError) return ParseStatus::kError;
      continue;
    }
    if (!line.empty() && IsOws(line.front())) return Fail(err, 400, "Folded header line");
    std::string_view name, value;
    if (!SplitFieldLine(line, &name, &value)) return Fail(err, 400, "Malformed header line");
    if (out->headers.size() >= limits.max_headers) return Fail(err, 431, "Request header fields too large");
    std::string lower(name);
    for (char& c : lower) c = Lower(c);
    NoteHeader(lower, value, out, &seen);
    out->headers.emplace_back(std::move(lower), std::string(value));
  }
  return DecideFraming(seen, out, err);
}

ChunkedDecoder::Status ChunkedDecoder::Feed(std::string_view in, std::size_t* consumed, std::string* body,
                                            Error* err) {
  std::size_t i = 0;
  while (i < in.size() && state_ != State::kDone) {
    if (state_ == State::kData) {
      std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size() - i));
      body->append(in.substr(i, take));
      remaining_ -= take;
      i += take;
      if (remaining_ == 0) state_ = State::kDataCrlf;
      continue;
    }
    if (state_ == State::kDataCrlf) {
      line_.push_back(in[i++]);
      if (line_.size() == 2) {
        if (line_ != "\r\n") {
          *err = Error{400, "Chunk data not followed by CRLF"};
          return Status::kError;
        }
        line_.clear();
        state_ = State::kSizeLine;
      }
      continue;
    }
    std::size_t lf = in.find('\n', i);
    std::size_t take = (lf == std::string_view::npos ? in.size() : lf + 1) - i;
    if (line_.size() + take > max_line_ + 2) {
      *err = Error{400, state_ == State::kTrailer ? "Trailer line too long" : "Chunk size line too long"};
      return Status::kError;
    }
    line_.append(in.substr(i, take));
    i += take;
    if (lf == std::string_view::npos) break;
    if (LineDone(body, err) == Status::kError) return Status::kError;
  }
  *consumed = i;
  return state_ == State::kDone ? Status::kDone : Status::kNeedMore;
}

ChunkedDecoder::Status ChunkedDecoder::LineDone(std::string* body, Error* err) {
  std::string line;
  line.swap(line_);
  if (line.size() < 2 || line[line.size() - 2] != '\r') {
    *err = Error{400, "Bare LF in chunked framing"};
    return Status::kError;
  }
  std::string_view l(line.data(), line.size() - 2);
  for (char c : l) {
    if (c != '\t' && (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)) {
      *err = Error{400, "Control character in chunked framing"};
      return Status::kError;
    }
  }
  if (state_ == State::kTrailer) {
    if (l.empty()) {
      state_ = State::kDone;
      return Status::kDone;
    }
    std::string_view name, value;
    trailer_bytes_ += line.size();
    if (IsOws(l.front()) || !SplitFieldLine(l, &name, &value) || trailer_bytes_ > max_line_) {
      *err = Error{400, "Malformed trailer section"};
      return Status::kError;
    }
    return Status::kNeedMore;
  }
  std::size_t digits = 0;
  std::uint64_t size = 0;
  while (digits < l.size() && Is(l[digits], kHex)) {
    char c = Lower(l[digits]);
    size = size * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    if (++digits > 16) break;
  }
  if (digits == 0 || digits > 16) {
    *err = Error{400, "Invalid chunk size"};
    return Status::kError;
  }
  // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
  std::size_t p = digits;
  auto skip_ws = [&] {
    while (p < l.size() && IsOws(l[p])) ++p;
  };
  auto token = [&] {
    std::size_t s = p;
    while (p < l.size() && Is(l[p], kTchar)) ++p;
    return p > s;
  };
  while (p < l.size()) {
    skip_ws();
    bool ok = p < l.size() && l[p] == ';';
    if (ok) {
      ++p;
      skip_ws();
      ok = token();
      std::size_t before = p;
      skip_ws();
      if (ok && p < l.size() && l[p] == '=') {
        ++p;
        skip_ws();
        if (p < l.size() && l[p] == '"') {
          ++p;
          while (p < l.size() && l[p] != '"') p += l[p] == '\\' ? 2 : 1;
          ok = p < l.size();
          ++p;
        } else {
          ok = token();
        }
      } else {
        p = before;
      }
    }
    if (!ok) {
      *err = Error{400, "Invalid chunk extension"};
      return Status::kError;
    }
  }
  if (size == 0) {
    state_ = State::kTrailer;
    return Status::kNeedMore;
  }
  if (size > max_body_ || body->size() + size > max_body_) {
    *err = Error{413, "Request body too large"};
    return Status::kError;
  }
  remaining_ = size;
  state_ = State::kData;
  return Status::kNeedMore;
}

}  // namespace clash::host::http1
