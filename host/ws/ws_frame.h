// ws/ws_frame.h — RFC 6455 framing: an incremental frame parser and frame encoders.
//
// The parser is fed whatever bytes a non-blocking read returned (one byte or many frames at once)
// and hands back complete messages and control frames. It checks everything the RFC asks of a
// server: client masking, reserved bits, opcodes, control-frame rules, fragmentation order, close
// payloads and (optionally) UTF-8 in text messages. Size limits are checked from the frame header,
// before the payload arrives, so an oversize frame costs no memory.
//
// Thread-safety: a WsFrameParser is used by one thread at a time. The encoders are pure functions.
//
// Example:
//   WsFrameParser parser(WsParserLimits{});
//   parser.Feed(bytes_from_socket);
//   while (auto m = parser.Next()) {
//     if (m->kind == WsMessage::Kind::kText) Handle(m->payload);
//     if (m->kind == WsMessage::Kind::kError) { Send(EncodeWsClose(m->code, m->payload)); break; }
//   }
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clash::host {

enum class WsOpcode : std::uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// Close status codes used by the host (RFC 6455 section 7.4.1).
namespace ws_close {
inline constexpr std::uint16_t kNormal = 1000;
inline constexpr std::uint16_t kGoingAway = 1001;
inline constexpr std::uint16_t kProtocolError = 1002;
inline constexpr std::uint16_t kUnsupportedData = 1003;
inline constexpr std::uint16_t kNoStatus = 1005;     // never sent; reported when a close had no code
inline constexpr std::uint16_t kAbnormal = 1006;     // never sent; reported when TCP died without a close
inline constexpr std::uint16_t kInvalidPayload = 1007;
inline constexpr std::uint16_t kPolicyViolation = 1008;
inline constexpr std::uint16_t kMessageTooBig = 1009;
inline constexpr std::uint16_t kInternalError = 1011;
}  // namespace ws_close

// True for codes a peer may put on the wire in a close frame (1000-1003, 1007-1014, 3000-4999).
bool IsValidWireCloseCode(std::uint16_t code);

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

struct WsParserLimits {
  // Largest payload of one frame. A larger frame header yields kError 1009.
  std::size_t max_frame_bytes = 64 * 1024;
  // Largest reassembled message (all fragments). Larger yields kError 1009.
  std::size_t max_message_bytes = 64 * 1024;
  // Servers must reject unmasked client frames (1002); a client-side parser sets this to false and
  // then rejects masked frames instead.
  bool require_masked = true;
  // Reject text messages and close reasons that are not UTF-8 (1007).
  bool validate_utf8 = true;
};

// One thing the parser produced.
struct WsMessage {
  enum class Kind : std::uint8_t { kText, kBinary, kPing, kPong, kClose, kError };
  Kind kind = Kind::kText;
  // kText/kBinary: the whole message; kPing/kPong: the payload; kClose/kError: the reason text.
  std::string payload;
  // kClose: the peer's status code (kNoStatus if the frame had none); kError: the code to close with.
  std::uint16_t code = 0;
};

class WsFrameParser {
 public:
  explicit WsFrameParser(WsParserLimits limits = {}) : limits_(limits) {}

  // Appends bytes read from the peer. Bytes fed after a kClose or kError are dropped.
  void Feed(std::string_view bytes);

  // Returns the next complete message or control frame, or nullopt if more bytes are needed.
  // After it returns a kClose or kError the parser is finished and returns nullopt forever.
  std::optional<WsMessage> Next();

  // True once a kClose or kError was returned.
  bool finished() const { return finished_; }
  // Bytes held: unparsed input plus fragments of an unfinished message.
  std::size_t buffered_bytes() const { return buf_.size() - pos_ + message_.size(); }
  // Frees buffer capacity if nothing is buffered (keeps idle connections small).
  void ReleaseMemory();

 private:
  std::optional<WsMessage> Fail(std::uint16_t code, std::string_view reason);

  WsParserLimits limits_;
  std::string buf_;       // unparsed input from pos_
  std::size_t pos_ = 0;
  std::string message_;   // fragments of a message in progress
  WsOpcode message_opcode_ = WsOpcode::kText;
  bool in_message_ = false;
  bool finished_ = false;
};

using WsMaskKey = std::array<std::uint8_t, 4>;

// Encodes one frame. Server frames are unmasked (mask = nullopt); client frames must be masked.
std::string EncodeWsFrame(WsOpcode opcode, std::string_view payload, bool fin = true,
                          std::optional<WsMaskKey> mask = std::nullopt);

// Encodes a close frame with `code` and `reason` (the reason is cut to the 123 bytes that fit).
// code == ws_close::kNoStatus encodes a close frame with an empty payload.
std::string EncodeWsClose(std::uint16_t code, std::string_view reason,
                          std::optional<WsMaskKey> mask = std::nullopt);

}  // namespace clash::host
