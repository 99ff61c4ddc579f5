// Unit tests of the RFC 6455 parser and encoders (no sockets).
#include "ws/ws_frame.h"

#include <gtest/gtest.h>

#include <string>

namespace clash::host {
namespace {

constexpr WsMaskKey kKey{0x37, 0xfa, 0x21, 0x3d};
using Kind = WsMessage::Kind;

std::string Masked(WsOpcode op, std::string_view payload, bool fin = true) {
  return EncodeWsFrame(op, payload, fin, kKey);
}

TEST(WsFrameTest, RfcExampleMaskedHello) {
  // RFC 6455 section 5.7: a single-frame masked text message "Hello".
  const std::string wire("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11);
  EXPECT_EQ(Masked(WsOpcode::kText, "Hello"), wire);
  WsFrameParser p;
  p.Feed(wire);
  auto m = p.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kText);
  EXPECT_EQ(m->payload, "Hello");
  EXPECT_FALSE(p.Next());
}

TEST(WsFrameTest, UnmaskedServerFrameEncoding) {
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kText, "Hello"), std::string("\x81\x05Hello", 7));
  const std::string mid = EncodeWsFrame(WsOpcode::kBinary, std::string(256, 'x'));
  EXPECT_EQ(mid.substr(0, 4), std::string("\x82\x7e\x01\x00", 4));
  const std::string big = EncodeWsFrame(WsOpcode::kBinary, std::string(65536, 'x'));
  EXPECT_EQ(big.substr(0, 10), std::string("\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
  EXPECT_EQ(big.size(), 65536u + 10);
}

TEST(WsFrameTest, PartialFramesByteByByteAllLengthForms) {
  for (std::size_t len : {0u, 5u, 125u, 126u, 1000u, 65535u, 65536u, 70000u}) {
    const std::string payload(len, 'a');
    const std::string wire = Masked(WsOpcode::kText, payload);
    WsFrameParser p(WsParserLimits{1 << 20, 1 << 20, true, true});
    for (std::size_t i = 0; i + 1 < wire.size(); ++i) {
      p.Feed(wire.substr(i, 1));
      ASSERT_FALSE(p.Next()) << "len " << len << " byte " << i;
    }
    p.Feed(wire.substr(wire.size() - 1));
    auto m = p.Next();
    ASSERT_TRUE(m) << len;
    EXPECT_EQ(m->kind, Kind::kText);
    EXPECT_EQ(m->payload, payload);
  }
}

TEST(WsFrameTest, SeveralFramesInOneRead) {
  WsFrameParser p;
  p.Feed(Masked(WsOpcode::kText, "one") + Masked(WsOpcode::kPing, "p") + Masked(WsOpcode::kBinary, "two"));
  auto a = p.Next();
  auto b = p.Next();
  auto c = p.Next();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->payload, "one");
  EXPECT_EQ(b->kind, Kind::kPing);
  EXPECT_EQ(b->payload, "p");
  EXPECT_EQ(c->kind, Kind::kBinary);
  EXPECT_EQ(c->payload, "two");
  EXPECT_FALSE(p.Next());
  EXPECT_EQ(p.buffered_bytes(), 0u);
}

TEST(WsFrameTest, UnmaskedClientFrameIsProtocolError) {
  WsFrameParser p;
  p.Feed(EncodeWsFrame(WsOpcode::kText, "hi"));
  auto m = p.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kError);
  EXPECT_EQ(m->code, ws_close::kProtocolError);
  EXPECT_TRUE(p.finished());
}

TEST(WsFrameTest, ClientSideParserRejectsMaskedFrames) {
  WsFrameParser p(WsParserLimits{1024, 1024, false, true});
  p.Feed(Masked(WsOpcode::kText, "hi"));
  EXPECT_EQ(p.Next()->code, ws_close::kProtocolError);
  WsFrameParser q(WsParserLimits{1024, 1024, false, true});
  q.Feed(EncodeWsFrame(WsOpcode::kText, "hi"));
  EXPECT_EQ(q.Next()->payload, "hi");
}

TEST(WsFrameTest, FragmentedMessageWithInterleavedPing) {
  WsFrameParser p;
  p.Feed(Masked(WsOpcode::kText, "Hel", false));
  EXPECT_FALSE(p.Next());
  p.Feed(Masked(WsOpcode::kPing, "x"));
  auto ping = p.Next();
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->kind, Kind::kPing);
  p.Feed(Masked(WsOpcode::kContinuation, "lo, ", false) + Masked(WsOpcode::kContinuation, "world"));
  auto m = p.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kText);
  EXPECT_EQ(m->payload, "Hello, world");
}

TEST(WsFrameTest, FragmentedBinaryKeepsItsOpcode) {
  WsFrameParser p;
  p.Feed(Masked(WsOpcode::kBinary, "ab", false) + Masked(WsOpcode::kContinuation, "cd"));
  auto m = p.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kBinary);
  EXPECT_EQ(m->payload, "abcd");
}

TEST(WsFrameTest, ContinuationWithoutStartIsProtocolError) {
  WsFrameParser p;
  p.Feed(Masked(WsOpcode::kContinuation, "x"));
  EXPECT_EQ(p.Next()->code, ws_close::kProtocolError);
}

TEST(WsFrameTest, NewMessageInsideFragmentedOneIsProtocolError) {
  WsFrameParser p;
  p.Feed(Masked(WsOpcode::kText, "a", false) + Masked(WsOpcode::kText, "b"));
  EXPECT_EQ(p.Next()->code, ws_close::kProtocolError);
}

TEST(WsFrameTest, OversizeFrameRejectedFromHeaderAlone) {
  WsFrameParser p(WsParserLimits{1024, 4096, true, true});
  // Only the header of a 1 MiB frame: the parser must not wait for (or buffer) the payload.
  const std::string wire = Masked(WsOpcode::kBinary, std::string(1 << 20, 'x'));
  p.Feed(wire.substr(0, 14));
  auto m = p.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kError);
  EXPECT_EQ(m->code, ws_close::kMessageTooBig);
  EXPECT_EQ(p.buffered_bytes(), 0u);
}

TEST(WsFrameTest, FrameAtTheLimitIsAccepted) {
  WsFrameParser p(WsParserLimits{1024, 1024, true, true});
  p.Feed(Masked(WsOpcode::kText, std::string(1024, 'x')));
  EXPECT_EQ(p.Next()->kind, Kind::kText);
}

TEST(WsFrameTest, OversizeMessageAcrossFragments) {
  WsFrameParser p(WsParserLimits{1024, 2048, true, true});
  p.Feed(Masked(WsOpcode::kText, std::string(1000, 'x'), false));
  p.Feed(Masked(WsOpcode::kContinuation, std::string(1000, 'x'), false));
  EXPECT_FALSE(p.Next());
  p.Feed(Masked(WsOpcode::kContinuation, std::string(100, 'x')));
  EXPECT_EQ(p.Next()->code, ws_close::kMessageTooBig);
}

TEST(WsFrameTest, ControlFrameRules) {
  {
    WsFrameParser p;  // 126-byte ping
    p.Feed(Masked(WsOpcode::kPing, std::string(126, 'x')));
    EXPECT_EQ(p.Next()->code, ws_close::kProtocolError);
  }
  {
    WsFrameParser p;  // fragmented ping
    p.Feed(Masked(WsOpcode::kPing, "x", false));
    EXPECT_EQ(p.Next()->code, ws_close::kProtocolError);
  }
  {
    WsFrameParser p;
    p.Feed(Masked(WsOpcode::kPong, "abc"));
    auto m = p.Next();
    EXPECT_EQ(m->kind, Kind::kPong);
    EXPECT_EQ(m->payload, "abc");
  }
}

TEST(WsFrameTest, ReservedBitsAndUnknownOpcodes) {
  for (unsigned char first : {0xC1, 0xA1, 0x91, 0x83, 0x8B}) {  // RSV1, RSV2, RSV3, op 3, op 0xB
    WsFrameParser p;
    std::string wire = Masked(WsOpcode::kText, "x");
    wire[0] = static_cast<char>(first);
    p.Feed(wire);
    EXPECT_EQ(p.Next()->code, ws_close::kProtocolError) << int{first};
  }
}

TEST(WsFrameTest, SixtyFourBitLengthWithHighBitIsProtocolError) {
  WsFrameParser p;
  p.Feed(std::string("\x82\xff\x80\x00\x00\x00\x00\x00\x00\x01", 10));
  EXPECT_EQ(p.Next()->code, ws_close::kProtocolError);
}

TEST(WsFrameTest, CloseFrames) {
  {
    WsFrameParser p;
    p.Feed(EncodeWsClose(1000, "bye", kKey));
    auto m = p.Next();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->kind, Kind::kClose);
    EXPECT_EQ(m->code, 1000);
    EXPECT_EQ(m->payload, "bye");
    // Finished: further input is ignored.
    p.Feed(Masked(WsOpcode::kText, "late"));
    EXPECT_FALSE(p.Next());
    EXPECT_TRUE(p.finished());
  }
  {
    WsFrameParser p;
    p.Feed(Masked(WsOpcode::kClose, ""));
    EXPECT_EQ(p.Next()->code, ws_close::kNoStatus);
  }
  {
    WsFrameParser p;  // one-byte payload
    p.Feed(Masked(WsOpcode::kClose, "x"));
    EXPECT_EQ(p.Next()->code, ws_close::kProtocolError);
  }
  for (std::uint16_t bad : {999, 1004, 1005, 1006, 1015, 2999, 5000}) {
    WsFrameParser p;
    const char payload[2] = {static_cast<char>(bad >> 8), static_cast<char>(bad & 0xFF)};
    p.Feed(Masked(WsOpcode::kClose, std::string_view(payload, 2)));
    auto m = p.Next();
    EXPECT_EQ(m->kind, Kind::kError) << bad;
    EXPECT_EQ(m->code, ws_close::kProtocolError) << bad;
  }
  {
    WsFrameParser p;
    p.Feed(EncodeWsClose(4001, "auth", kKey));
    EXPECT_EQ(p.Next()->code, 4001);
  }
}

TEST(WsFrameTest, CloseReasonCutAtCharacterBoundary) {
  std::string reason;
  for (int i = 0; i < 60; ++i) reason += "\xc3\xa9";  // 120 bytes of 'é'
  reason += "abcd\xe2\x82\xac";                       // 127 bytes total
  const std::string frame = EncodeWsClose(1000, reason);
  ASSERT_LE(frame.size(), 2u + 125u);
  WsFrameParser p(WsParserLimits{1024, 1024, false, true});
  p.Feed(frame);
  auto m = p.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kClose);
  EXPECT_TRUE(IsValidUtf8(m->payload));
  EXPECT_EQ(m->payload.size(), 123u);
}

TEST(WsFrameTest, NoStatusEncodesEmptyClose) {
  EXPECT_EQ(EncodeWsClose(ws_close::kNoStatus, "ignored"), std::string("\x88\x00", 2));
}

TEST(WsFrameTest, TextMustBeUtf8) {
  {
    WsFrameParser p;
    p.Feed(Masked(WsOpcode::kText, "\xff\xfe"));
    EXPECT_EQ(p.Next()->code, ws_close::kInvalidPayload);
  }
  {
    WsFrameParser p;  // a multi-byte character split across fragments is fine
    p.Feed(Masked(WsOpcode::kText, "caf\xc3", false) + Masked(WsOpcode::kContinuation, "\xa9"));
    EXPECT_EQ(p.Next()->payload, "caf\xc3\xa9");
  }
  {
    WsFrameParser p(WsParserLimits{1024, 1024, true, false});  // validation off
    p.Feed(Masked(WsOpcode::kText, "\xff"));
    EXPECT_EQ(p.Next()->kind, Kind::kText);
  }
  {
    WsFrameParser p;  // binary is never checked
    p.Feed(Masked(WsOpcode::kBinary, "\xff"));
    EXPECT_EQ(p.Next()->kind, Kind::kBinary);
  }
}

TEST(WsFrameTest, Utf8Validator) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"));  // κόσμε
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));                               // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));                               // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));                                      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));                                  // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));                                  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));                              // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));                                      // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));                                          // lone continuation
}

TEST(WsFrameTest, ReleaseMemoryWhenIdle) {
  WsFrameParser p;
  p.Feed(Masked(WsOpcode::kText, std::string(4000, 'x')));
  ASSERT_TRUE(p.Next());
  EXPECT_EQ(p.buffered_bytes(), 0u);
  p.ReleaseMemory();
  p.Feed(Masked(WsOpcode::kText, "again"));
  EXPECT_EQ(p.Next()->payload, "again");
}

}  // namespace
}  // namespace clash::host
