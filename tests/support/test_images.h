// tests/support/test_images.h — small real images built in code for the upload tests: a PNG whose
// pixels are stored in uncompressed deflate blocks (any decoder reads it), a baseline JPEG, a GIF
// and a lossless WebP, plus helpers that add metadata or damage them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace clash::testing {

inline std::uint32_t TestCrc32(std::string_view data) {
  std::uint32_t c = 0xffffffffu;
  for (char ch : data) {
    c ^= static_cast<std::uint8_t>(ch);
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xffffffffu;
}

inline std::string Be32Bytes(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

inline std::string PngChunk(std::string_view type, std::string_view data) {
  std::string body = std::string(type) + std::string(data);
  return Be32Bytes(static_cast<std::uint32_t>(data.size())) + body + Be32Bytes(TestCrc32(body));
}

// A w x h grey PNG; `extra` chunks go between IHDR and IDAT. `declared_w/h` (when non-zero) are
// written into IHDR instead of the real size (a decompression bomb's header).
inline std::string MakePng(std::uint32_t w, std::uint32_t h, const std::string& extra = "",
                           std::uint32_t declared_w = 0, std::uint32_t declared_h = 0) {
  std::string ihdr = Be32Bytes(declared_w ? declared_w : w) + Be32Bytes(declared_h ? declared_h : h);
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit greyscale
  std::string raw;
  for (std::uint32_t y = 0; y < h; ++y) raw += std::string(1, '\0') + std::string(w, static_cast<char>(0x80));
  // zlib stream of stored blocks (at most 65535 bytes each), then Adler-32.
  std::string z("\x78\x01", 2);
  std::size_t at = 0;
  do {
    std::size_t n = std::min<std::size_t>(65535, raw.size() - at);
    bool last = at + n == raw.size();
    z.push_back(last ? 1 : 0);
    z.push_back(static_cast<char>(n & 0xff));
    z.push_back(static_cast<char>(n >> 8));
    z.push_back(static_cast<char>(~n & 0xff));
    z.push_back(static_cast<char>((~n >> 8) & 0xff));
    z.append(raw, at, n);
    at += n;
  } while (at < raw.size());
  std::uint32_t a = 1, b = 0;
  for (char c : raw) {
    a = (a + static_cast<std::uint8_t>(c)) % 65521;
    b = (b + a) % 65521;
  }
  z += Be32Bytes((b << 16) | a);
  return std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", ihdr) + extra + PngChunk("IDAT", z) +
         PngChunk("IEND", "");
}

inline std::string JpegSegment(unsigned char marker, std::string_view payload) {
  std::size_t len = payload.size() + 2;
  return std::string{'\xff', static_cast<char>(marker), static_cast<char>(len >> 8), static_cast<char>(len & 0xff)} +
         std::string(payload);
}

// A baseline greyscale JPEG of w x h (8x8 blocks all DC 0). `extra` segments go after APP0.
inline std::string MakeJpeg(std::uint16_t w, std::uint16_t h, const std::string& extra = "") {
  std::string out("\xff\xd8", 2);
  out += JpegSegment(0xe0, std::string("JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", 14));
  out += extra;
  out += JpegSegment(0xdb, std::string(1, '\0') + std::string(64, '\x01'));
  out += JpegSegment(0xc0, std::string{'\x08', static_cast<char>(h >> 8), static_cast<char>(h & 0xff),
                                       static_cast<char>(w >> 8), static_cast<char>(w & 0xff), '\x01', '\x01', '\x11',
                                       '\x00'});
  // DC table: one code of length 1 for category 0; AC table: one code of length 1 for EOB.
  out += JpegSegment(0xc4, std::string("\x00\x01", 2) + std::string(15, '\0') + std::string(1, '\0'));
  out += JpegSegment(0xc4, std::string("\x10\x01", 2) + std::string(15, '\0') + std::string(1, '\0'));
  out += JpegSegment(0xda, std::string("\x01\x01\x00\x00\x3f\x00", 6));
  const std::size_t blocks = ((w + 7) / 8) * ((h + 7) / 8);
  out += std::string((blocks * 2 + 7) / 8, '\0');  // DC 0 + EOB per block, one bit each
  out += "\xff\xd9";
  return out;
}

// A w x h GIF89a with a two-colour table; `extra` blocks go before the image.
inline std::string MakeGif(std::uint16_t w, std::uint16_t h, const std::string& extra = "") {
  auto le16 = [](std::uint16_t v) { return std::string{static_cast<char>(v & 0xff), static_cast<char>(v >> 8)}; };
  std::string out = "GIF89a" + le16(w) + le16(h) + std::string("\x80\x00\x00", 3);
  out += std::string("\x00\x00\x00\xff\xff\xff", 6);
  out += extra;
  out += "\x2c" + le16(0) + le16(0) + le16(w) + le16(h) + std::string(1, '\0');
  out += std::string("\x02\x02\x44\x01\x00", 5);  // LZW min code 2, one data sub-block, terminator
  out += ";";
  return out;
}

inline std::string GifComment(std::string_view text) {
  return std::string("\x21\xfe", 2) + static_cast<char>(text.size()) + std::string(text) + std::string(1, '\0');
}

// A 1x1 lossless WebP; with `exif` non-empty, a VP8X header and an EXIF chunk are added.
inline std::string MakeWebp(const std::string& exif = "") {
  auto le32 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 24)};
  };
  std::string vp8l = std::string("VP8L", 4) + le32(13) +
                     std::string("\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07", 13) + std::string(1, '\0');
  std::string chunks;
  if (!exif.empty()) {
    std::string vp8x = std::string("VP8X", 4) + le32(10) + std::string("\x08\x00\x00\x00", 4) +
                       std::string("\x00\x00\x00\x00\x00\x00", 6);
    std::string e = "EXIF" + le32(static_cast<std::uint32_t>(exif.size())) + exif;
    if (exif.size() & 1) e.push_back('\0');
    chunks = vp8x + vp8l + e;
  } else {
    chunks = vp8l;
  }
  return "RIFF" + le32(static_cast<std::uint32_t>(chunks.size() + 4)) + "WEBP" + chunks;
}

}  // namespace clash::testing
