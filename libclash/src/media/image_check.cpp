// Upload checks: the container walk of each image type, metadata stripping, polyglot refusal.
// See clash/media.h.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>

#include "clash/media.h"

namespace clash {
namespace {

const Status kNotImage = Status::InvalidArgument("Upload a PNG, JPEG, WebP or GIF image.");
const Status kBroken = Status::InvalidArgument("Invalid or truncated image.");
const Status kTooBig = Status::InvalidArgument("Image dimensions are too large.");

std::uint32_t Be32(std::string_view b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 24) | (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}
std::uint32_t Be16(std::string_view b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 8) | std::uint32_t(std::uint8_t(b[at + 1]));
}
std::uint32_t Le16(std::string_view b, std::size_t at) {
  return std::uint32_t(std::uint8_t(b[at])) | (std::uint32_t(std::uint8_t(b[at + 1])) << 8);
}
std::uint32_t Le24(std::string_view b, std::size_t at) {
  return Le16(b, at) | (std::uint32_t(std::uint8_t(b[at + 2])) << 16);
}
std::uint32_t Le32(std::string_view b, std::size_t at) { return Le24(b, at) | (std::uint32_t(std::uint8_t(b[at + 3])) << 24); }
void PutLe32(std::string& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint32_t Crc32(std::string_view data) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xffffffffu;
  for (char ch : data) c = table[(c ^ std::uint8_t(ch)) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

Status CheckDimensions(std::int64_t w, std::int64_t h, const ImageLimits& limits) {
  if (w < 1 || h < 1) return kBroken;
  if (w > limits.max_side || h > limits.max_side || w * h > limits.max_pixels) return kTooBig;
  return Status::Ok();
}

// PNG: signature, IHDR first, chunks with valid CRCs up to IEND, nothing after. Keeps the chunks
// that draw the image; drops text, time, EXIF and every other ancillary chunk.
Result<CheckedImage> CheckPng(std::string_view b, const ImageLimits& limits) {
  CheckedImage img{.type = ImageType::kPng};
  img.bytes.assign(b.substr(0, 8));
  std::size_t at = 8;
  bool first = true, ended = false, has_idat = false;
  while (!ended) {
    if (b.size() - at < 12) return kBroken;
    const std::uint32_t len = Be32(b, at);
    if (len > b.size() - at - 12) return kBroken;
    std::string_view type = b.substr(at + 4, 4);
    for (char c : type) {
      if (!std::isalpha(static_cast<unsigned char>(c))) return kBroken;
    }
    if (Crc32(b.substr(at + 4, 4 + len)) != Be32(b, at + 8 + len)) return kBroken;
    std::string_view data = b.substr(at + 8, len);
    if (first) {
      if (type != "IHDR" || len != 13) return kBroken;
      img.width = static_cast<int>(std::min<std::uint32_t>(Be32(data, 0), 0x7fffffff));
      img.height = static_cast<int>(std::min<std::uint32_t>(Be32(data, 4), 0x7fffffff));
      CLASH_RETURN_IF_ERROR(CheckDimensions(Be32(data, 0), Be32(data, 4), limits));
      first = false;
    } else if (type == "IHDR") {
      return kBroken;
    }
    if (type == "IDAT") has_idat = true;
    if (type == "IEND") ended = true;
    static constexpr std::string_view kKeep[] = {"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM",
                                                 "sRGB", "iCCP", "sBIT", "bKGD", "pHYs", "acTL", "fcTL", "fdAT"};
    if (std::find(std::begin(kKeep), std::end(kKeep), type) != std::end(kKeep)) {
      img.bytes.append(b.substr(at, 12 + len));
    } else if (!(type[0] & 0x20)) {
      return kBroken;  // an unknown critical chunk: a decoder would refuse it
    }
    at += 12 + len;
  }
  if (!has_idat || at != b.size()) return kBroken;
  return img;
}

// JPEG: SOI, segments with their lengths, entropy-coded data after each SOS, EOI at the very end.
// Keeps JFIF (APP0) and Adobe (APP14); drops EXIF/XMP/ICC/Photoshop APPn and comments.
Result<CheckedImage> CheckJpeg(std::string_view b, const ImageLimits& limits) {
  CheckedImage img{.type = ImageType::kJpeg};
  img.bytes.assign("\xff\xd8", 2);
  std::size_t at = 2;
  bool have_frame = false, have_scan = false;
  while (true) {
    if (at + 2 > b.size()) return kBroken;
    if (std::uint8_t(b[at]) != 0xff) return kBroken;
    std::uint8_t marker = std::uint8_t(b[at + 1]);
    if (marker == 0xff) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xd9) {  // EOI
      if (!have_frame || !have_scan) return kBroken;
      img.bytes.append("\xff\xd9", 2);
      at += 2;
      break;
    }
    // 0x00 is byte stuffing and 0x01-0xbf are TEM and reserved markers: none starts a segment. (Taken
    // as a segment, "FF 00 <len>" after fill bytes made a file the cleaned copy of which parses
    // differently: found by fuzz/image_check.)
    if (marker < 0xc0 || marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) return kBroken;
    if (at + 4 > b.size()) return kBroken;
    const std::uint32_t len = Be16(b, at + 2);
    if (len < 2 || at + 2 + len > b.size()) return kBroken;
    std::string_view seg = b.substr(at, 2 + len);
    const bool sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    if (sof) {
      if (len < 8 || have_frame) return kBroken;
      const std::uint32_t h = Be16(b, at + 5), w = Be16(b, at + 7);
      img.width = static_cast<int>(w);
      img.height = static_cast<int>(h);
      CLASH_RETURN_IF_ERROR(CheckDimensions(w, h, limits));
      have_frame = true;
    }
    const bool app = marker >= 0xe0 && marker <= 0xef;
    const bool keep_app = (marker == 0xe0 && seg.substr(4).starts_with(std::string_view("JFIF\0", 5))) ||
                          (marker == 0xee && seg.substr(4).starts_with("Adobe"));
    if ((!app || keep_app) && marker != 0xfe) img.bytes.append(seg);
    at += 2 + len;
    if (marker == 0xda) {  // SOS: entropy-coded data up to the next marker that is not RSTn or stuffing
      if (!have_frame) return kBroken;
      have_scan = true;
      std::size_t start = at;
      while (true) {
        std::size_t ff = b.find('\xff', at);
        if (ff == std::string_view::npos || ff + 1 >= b.size()) return kBroken;
        std::uint8_t next = std::uint8_t(b[ff + 1]);
        if (next == 0x00 || (next >= 0xd0 && next <= 0xd7)) {
          at = ff + 2;
          continue;
        }
        at = ff;
        break;
      }
      img.bytes.append(b.substr(start, at - start));
    }
  }
  if (at != b.size()) return kBroken;
  return img;
}

// WebP: RIFF size equal to the file, "WEBP", chunks (even-padded) with a VP8, VP8L or VP8X
// header that gives the size. Drops EXIF and XMP chunks and clears their VP8X flags.
Result<CheckedImage> CheckWebp(std::string_view b, const ImageLimits& limits) {
  CheckedImage img{.type = ImageType::kWebp};
  if (b.size() < 20 || Le32(b, 4) != b.size() - 8 || (b.size() & 1)) return kBroken;
  img.bytes.assign(b.substr(0, 12));
  std::size_t at = 12;
  bool sized = false, first = true, has_image = false;
  std::size_t vp8x_at = std::string::npos;
  while (at < b.size()) {
    if (b.size() - at < 8) return kBroken;
    std::string_view fourcc = b.substr(at, 4);
    const std::uint32_t len = Le32(b, at + 4);
    const std::size_t padded = std::size_t(len) + (len & 1);
    if (padded > b.size() - at - 8) return kBroken;
    std::string_view data = b.substr(at + 8, len);
    std::int64_t w = 0, h = 0;
    if (fourcc == "VP8X") {
      if (!first || len < 10) return kBroken;
      w = std::int64_t(Le24(data, 4)) + 1;
      h = std::int64_t(Le24(data, 7)) + 1;
      vp8x_at = img.bytes.size();
    } else if (fourcc == "VP8 ") {
      if (len < 10 || data.substr(3, 3) != std::string_view("\x9d\x01\x2a", 3)) return kBroken;
      w = Le16(data, 6) & 0x3fff;
      h = Le16(data, 8) & 0x3fff;
      has_image = true;
    } else if (fourcc == "VP8L") {
      if (len < 5 || std::uint8_t(data[0]) != 0x2f) return kBroken;
      const std::uint32_t bits = Le32(data, 1);
      w = (bits & 0x3fff) + 1;
      h = ((bits >> 14) & 0x3fff) + 1;
      has_image = true;
    } else if (fourcc == "ANMF") {
      has_image = true;
    }
    if (w != 0 && !sized) {
      CLASH_RETURN_IF_ERROR(CheckDimensions(w, h, limits));
      img.width = static_cast<int>(w);
      img.height = static_cast<int>(h);
      sized = true;
    } else if (w != 0) {
      CLASH_RETURN_IF_ERROR(CheckDimensions(w, h, limits));
    }
    if (first && fourcc != "VP8X" && fourcc != "VP8 " && fourcc != "VP8L") return kBroken;
    first = false;
    if (fourcc != "EXIF" && fourcc != "XMP ") img.bytes.append(b.substr(at, 8 + padded));
    at += 8 + padded;
  }
  if (!sized || !has_image) return kBroken;
  if (vp8x_at != std::string::npos) img.bytes[vp8x_at + 8] = static_cast<char>(img.bytes[vp8x_at + 8] & ~0x0c);
  PutLe32(img.bytes, 4, static_cast<std::uint32_t>(img.bytes.size() - 8));
  return img;
}

// GIF: header, logical screen, colour table, then image descriptors and extensions made of
// sub-blocks up to the trailer, nothing after. Keeps graphic-control and NETSCAPE loop blocks.
Result<CheckedImage> CheckGif(std::string_view b, const ImageLimits& limits) {
  CheckedImage img{.type = ImageType::kGif};
  if (b.size() < 14) return kBroken;
  img.width = static_cast<int>(Le16(b, 6));
  img.height = static_cast<int>(Le16(b, 8));
  CLASH_RETURN_IF_ERROR(CheckDimensions(img.width, img.height, limits));
  std::size_t at = 13;
  const std::uint8_t flags = std::uint8_t(b[10]);
  if (flags & 0x80) at += 3u << ((flags & 7) + 1);
  if (at > b.size()) return kBroken;
  img.bytes.assign(b.substr(0, at));
  // Skips the sub-blocks starting at `at`; returns the offset after the terminator, or npos.
  auto sub_blocks = [&b](std::size_t p) -> std::size_t {
    while (true) {
      if (p >= b.size()) return std::string_view::npos;
      std::uint8_t n = std::uint8_t(b[p]);
      if (n == 0) return p + 1;
      p += 1 + n;
    }
  };
  bool has_image = false;
  while (true) {
    if (at >= b.size()) return kBroken;
    const std::uint8_t tag = std::uint8_t(b[at]);
    if (tag == 0x3b) {
      img.bytes.push_back(';');
      ++at;
      break;
    }
    if (tag == 0x2c) {
      if (at + 10 > b.size()) return kBroken;
      const std::uint32_t fw = Le16(b, at + 5), fh = Le16(b, at + 7);
      if (fw == 0 || fh == 0 || Le16(b, at + 1) + fw > std::uint32_t(img.width) ||
          Le16(b, at + 3) + fh > std::uint32_t(img.height)) {
        return kBroken;
      }
      std::size_t p = at + 10;
      const std::uint8_t lflags = std::uint8_t(b[at + 9]);
      if (lflags & 0x80) p += 3u << ((lflags & 7) + 1);
      if (p + 1 > b.size()) return kBroken;
      const std::uint8_t min_code = std::uint8_t(b[p]);
      if (min_code < 2 || min_code > 11) return kBroken;
      std::size_t end = sub_blocks(p + 1);
      if (end == std::string_view::npos) return kBroken;
      img.bytes.append(b.substr(at, end - at));
      at = end;
      has_image = true;
    } else if (tag == 0x21) {
      if (at + 2 > b.size()) return kBroken;
      const std::uint8_t label = std::uint8_t(b[at + 1]);
      std::size_t end = sub_blocks(at + 2);
      if (end == std::string_view::npos) return kBroken;
      const bool loop = label == 0xff && at + 14 <= b.size() && b.substr(at + 3, 11) == "NETSCAPE2.0";
      if (label == 0xf9 || loop) img.bytes.append(b.substr(at, end - at));
      at = end;
    } else {
      return kBroken;
    }
  }
  if (!has_image || at != b.size()) return kBroken;
  return img;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Markup or an archive inside the cleaned bytes: a browser or an unzip tool could take the file
// for something else.
// `strict` adds "<?xml" (allowed in the original only, where XMP metadata, stripped, may carry it).
bool LooksPolyglot(std::string_view bytes, bool strict) {
  static constexpr std::string_view kZip[] = {std::string_view("PK\x03\x04", 4), std::string_view("PK\x05\x06", 4),
                                              std::string_view("PK\x01\x02", 4)};
  for (std::string_view sig : kZip) {
    if (bytes.find(sig) != std::string_view::npos) return true;
  }
  const std::string lower = Lower(bytes);
  static constexpr std::string_view kMarkup[] = {"<html", "<script", "<!doctype", "<svg", "<body",
                                                 "<iframe", "<?php", "<object", "<embed"};
  for (std::string_view m : kMarkup) {
    if (lower.find(m) != std::string::npos) return true;
  }
  return strict && lower.find("<?xml") != std::string::npos;
}

}  // namespace

std::string_view ImageMime(ImageType type) {
  switch (type) {
    case ImageType::kPng: return "image/png";
    case ImageType::kJpeg: return "image/jpeg";
    case ImageType::kWebp: return "image/webp";
    case ImageType::kGif: return "image/gif";
  }
  return "application/octet-stream";
}

std::string_view ImageExtension(ImageType type) {
  switch (type) {
    case ImageType::kPng: return "png";
    case ImageType::kJpeg: return "jpg";
    case ImageType::kWebp: return "webp";
    case ImageType::kGif: return "gif";
  }
  return "bin";
}

Result<ImageType> ImageTypeFromExtension(std::string_view extension) {
  for (ImageType t : {ImageType::kPng, ImageType::kJpeg, ImageType::kWebp, ImageType::kGif}) {
    if (extension == ImageExtension(t)) return t;
  }
  return Status::NotFound("not an image extension");
}

bool DeclaredTypeMatches(std::string_view declared, ImageType type) {
  std::string d = Lower(declared.substr(0, declared.find(';')));
  while (!d.empty() && d.back() == ' ') d.pop_back();
  if (d.empty() || d == "application/octet-stream") return true;
  if (type == ImageType::kJpeg && (d == "image/jpg" || d == "image/pjpeg")) return true;
  return d == ImageMime(type);
}

Result<CheckedImage> CheckImage(std::string_view b, const ImageLimits& limits) {
  if (b.size() > limits.max_bytes) {
    return Status::InvalidArgument("Image too large (max " + std::to_string(limits.max_bytes / (1024 * 1024)) + " MB).");
  }
  Result<CheckedImage> img = kNotImage;
  if (b.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8))) {
    img = CheckPng(b, limits);
  } else if (b.starts_with(std::string_view("\xff\xd8\xff", 3))) {
    img = CheckJpeg(b, limits);
  } else if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") {
    img = CheckWebp(b, limits);
  } else if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) {
    img = CheckGif(b, limits);
  }
  if (!img.ok()) return img.status();
  if (LooksPolyglot(b, false) || LooksPolyglot(img->bytes, true)) {
    return Status::InvalidArgument("Image refused: it also looks like a document or an archive.");
  }
  return img;
}

std::string MediaKey(std::string_view folder, ImageType type, Rng& rng) {
  return std::string(folder) + "/" + rng.HexToken(16) + "." + std::string(ImageExtension(type));
}

bool IsSafeMediaKey(std::string_view key) {
  const std::size_t slash = key.find('/');
  if (slash == std::string_view::npos || slash == 0 || key.size() > 200) return false;
  std::string_view folder = key.substr(0, slash), file = key.substr(slash + 1);
  const std::size_t dot = file.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  auto plain = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
  };
  return plain(folder) && plain(file.substr(0, dot)) && ImageTypeFromExtension(file.substr(dot + 1)).ok();
}

}  // namespace clash
