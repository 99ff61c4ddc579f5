// Fuzz target: the RFC 6455 frame parser (host/ws/ws_frame.h) as a server uses it. The first byte
// picks the read size the bytes arrive in (1-16 bytes, as a non-blocking read may return them);
// the rest is the byte stream from the client. Every message must respect the limits.
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ws/ws_frame.h"

using clash::host::WsFrameParser;
using clash::host::WsMessage;
using clash::host::WsParserLimits;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t step = 1 + data[0] % 16;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const WsParserLimits limits{.max_frame_bytes = 1024, .max_message_bytes = 2048};
  WsFrameParser parser(limits);
  while (!rest.empty() && !parser.finished()) {
    parser.Feed(rest.substr(0, step));
    rest.remove_prefix(std::min(step, rest.size()));
    while (std::optional<WsMessage> m = parser.Next()) {
      if (m->payload.size() > limits.max_message_bytes) __builtin_trap();
      if (m->kind == WsMessage::Kind::kText && !clash::host::IsValidUtf8(m->payload)) __builtin_trap();
      if (m->kind == WsMessage::Kind::kError && m->code < 1000) __builtin_trap();
    }
  }
  parser.ReleaseMemory();
  return 0;
}
