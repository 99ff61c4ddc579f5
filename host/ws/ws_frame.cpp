#include "ws/ws_frame.h"

#include <cstring>

namespace clash::host {
namespace {

constexpr std::size_t kMaxControlPayload = 125;
constexpr std::size_t kMaxCloseReason = kMaxControlPayload - 2;

bool IsControl(WsOpcode op) { return (static_cast<std::uint8_t>(op) & 0x8) != 0; }

bool IsKnownOpcode(std::uint8_t op) {
  return op == 0x0 || op == 0x1 || op == 0x2 || op == 0x8 || op == 0x9 || op == 0xA;
}

void Unmask(char* data, std::size_t n, const std::uint8_t key[4]) {
  for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<char>(data[i] ^ key[i & 3]);
}

// Longest prefix of `s` of at most `max` bytes that does not cut a UTF-8 sequence.
std::string_view Utf8Prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

bool IsValidWireCloseCode(std::uint16_t code) {
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < len) return false;
    for (std::size_t i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return false;
    if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return false;
    p += len;
  }
  return true;
}

void WsFrameParser::Feed(std::string_view bytes) {
  if (finished_ || bytes.empty()) return;
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(bytes.data(), bytes.size());
}

void WsFrameParser::ReleaseMemory() {
  if (pos_ == buf_.size()) {
    std::string().swap(buf_);
    pos_ = 0;
  }
  if (!in_message_) std::string().swap(message_);
}

std::optional<WsMessage> WsFrameParser::Fail(std::uint16_t code, std::string_view reason) {
  finished_ = true;
  std::string().swap(buf_);
  std::string().swap(message_);
  pos_ = 0;
  WsMessage m;
  m.kind = WsMessage::Kind::kError;
  m.code = code;
  m.payload = std::string(reason);
  return m;
}

std::optional<WsMessage> WsFrameParser::Next() {
  for (;;) {
    if (finished_) return std::nullopt;
    const std::size_t avail = buf_.size() - pos_;
    if (avail < 2) return std::nullopt;
    const auto* h = reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
    const bool fin = (h[0] & 0x80) != 0;
    const std::uint8_t raw_op = h[0] & 0x0F;
    const bool masked = (h[1] & 0x80) != 0;
    std::uint64_t len = h[1] & 0x7F;
    std::size_t header = 2;

    // Everything knowable from the first two bytes is checked before waiting for more.
    if ((h[0] & 0x70) != 0) return Fail(ws_close::kProtocolError, "reserved bits set");
    if (!IsKnownOpcode(raw_op)) return Fail(ws_close::kProtocolError, "unknown opcode");
    const auto op = static_cast<WsOpcode>(raw_op);
    if (masked != limits_.require_masked) {
      return Fail(ws_close::kProtocolError, masked ? "masked server frame" : "unmasked client frame");
    }
    if (IsControl(op) && (!fin || len > kMaxControlPayload)) {
      return Fail(ws_close::kProtocolError, "bad control frame");
    }
    if (len == 126) {
      if (avail < 4) return std::nullopt;
      len = (std::uint64_t{h[2]} << 8) | h[3];
      header = 4;
    } else if (len == 127) {
      if (avail < 10) return std::nullopt;
      len = 0;
      for (int i = 2; i < 10; ++i) len = (len << 8) | h[i];
      if (len >> 63) return Fail(ws_close::kProtocolError, "bad frame length");
      header = 10;
    }
    if (!IsControl(op)) {
      if (op == WsOpcode::kContinuation && !in_message_) {
        return Fail(ws_close::kProtocolError, "continuation without a message");
      }
      if (op != WsOpcode::kContinuation && in_message_) {
        return Fail(ws_close::kProtocolError, "new message inside a fragmented one");
      }
      if (len > limits_.max_frame_bytes) return Fail(ws_close::kMessageTooBig, "frame too big");
      if (message_.size() + len > limits_.max_message_bytes) {
        return Fail(ws_close::kMessageTooBig, "message too big");
      }
    }
    std::uint8_t key[4] = {0, 0, 0, 0};
    if (masked) {
      if (avail < header + 4) return std::nullopt;
      std::memcpy(key, h + header, 4);
      header += 4;
    }
    if (avail - header < len) return std::nullopt;

    // A whole frame is buffered: consume it.
    char* payload = buf_.data() + pos_ + header;
    const auto n = static_cast<std::size_t>(len);
    if (masked) Unmask(payload, n, key);
    pos_ += header + n;
    const std::string_view data(payload, n);  // valid until the next Feed()

    switch (op) {
      case WsOpcode::kPing:
      case WsOpcode::kPong: {
        WsMessage m;
        m.kind = op == WsOpcode::kPing ? WsMessage::Kind::kPing : WsMessage::Kind::kPong;
        m.payload.assign(data);
        return m;
      }
      case WsOpcode::kClose: {
        WsMessage m;
        m.kind = WsMessage::Kind::kClose;
        if (n == 1) return Fail(ws_close::kProtocolError, "bad close payload");
        if (n == 0) {
          m.code = ws_close::kNoStatus;
        } else {
          m.code = static_cast<std::uint16_t>((static_cast<unsigned char>(data[0]) << 8) |
                                              static_cast<unsigned char>(data[1]));
          if (!IsValidWireCloseCode(m.code)) return Fail(ws_close::kProtocolError, "bad close code");
          m.payload.assign(data.substr(2));
          if (limits_.validate_utf8 && !IsValidUtf8(m.payload)) {
            return Fail(ws_close::kInvalidPayload, "close reason not UTF-8");
          }
        }
        finished_ = true;
        std::string().swap(buf_);
        pos_ = 0;
        return m;
      }
      case WsOpcode::kContinuation:
      case WsOpcode::kText:
      case WsOpcode::kBinary: {
        if (op != WsOpcode::kContinuation) message_opcode_ = op;
        if (!fin) {
          in_message_ = true;
          message_.append(data);
          continue;  // wait for the remaining fragments
        }
        WsMessage m;
        m.kind = message_opcode_ == WsOpcode::kText ? WsMessage::Kind::kText : WsMessage::Kind::kBinary;
        if (in_message_) {
          message_.append(data);
          m.payload.swap(message_);
          in_message_ = false;
        } else {
          m.payload.assign(data);
        }
        if (m.kind == WsMessage::Kind::kText && limits_.validate_utf8 && !IsValidUtf8(m.payload)) {
          return Fail(ws_close::kInvalidPayload, "text is not UTF-8");
        }
        return m;
      }
    }
    return Fail(ws_close::kProtocolError, "unknown opcode");
  }
}

std::string EncodeWsFrame(WsOpcode opcode, std::string_view payload, bool fin,
                          std::optional<WsMaskKey> mask) {
  const std::size_t n = payload.size();
  std::string out;
  out.reserve(n + 14);
  out.push_back(static_cast<char>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(opcode)));
  const char mask_bit = mask ? static_cast<char>(0x80) : 0;
  if (n < 126) {
    out.push_back(static_cast<char>(mask_bit | static_cast<char>(n)));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>((n >> 8) & 0xFF));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF));
    }
  }
  if (mask) {
    out.append(reinterpret_cast<const char*>(mask->data()), 4);
    const std::size_t start = out.size();
    out.append(payload);
    Unmask(out.data() + start, n, mask->data());
  } else {
    out.append(payload);
  }
  return out;
}

std::string EncodeWsClose(std::uint16_t code, std::string_view reason, std::optional<WsMaskKey> mask) {
  if (code == ws_close::kNoStatus) return EncodeWsFrame(WsOpcode::kClose, {}, true, mask);
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(Utf8Prefix(reason, kMaxCloseReason));
  return EncodeWsFrame(WsOpcode::kClose, payload, true, mask);
}

}  // namespace clash::host
