// Upload checks (clash/media.h): each image type accepted with its size, metadata stripped, and
// every kind of bad upload refused — non-images, truncated images, decompression bombs,
// polyglots, 5 MB + 1 byte; media keys; the local media store.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "clash/media.h"
#include "support/test_images.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using namespace ::clash::testing;  // image builders

const std::string kExif = std::string("Exif\0\0", 6) + "GPS 51.5N 0.1W camera owner Ada";

TEST(CheckImageTest, AcceptsEachTypeWithItsSize) {
  struct Case {
    std::string bytes;
    ImageType type;
    int w, h;
  } cases[] = {{MakePng(3, 2), ImageType::kPng, 3, 2},
               {MakeJpeg(16, 9), ImageType::kJpeg, 16, 9},
               {MakeGif(5, 4), ImageType::kGif, 5, 4},
               {MakeWebp(), ImageType::kWebp, 1, 1}};
  for (const Case& c : cases) {
    auto img = CheckImage(c.bytes);
    ASSERT_THAT(img, IsOk()) << ImageMime(c.type);
    EXPECT_EQ(img->type, c.type);
    EXPECT_EQ(img->width, c.w);
    EXPECT_EQ(img->height, c.h);
    EXPECT_EQ(img->bytes, c.bytes);  // nothing to strip: unchanged
  }
}

TEST(CheckImageTest, StripsMetadataAndTheResultStillChecks) {
  const std::string png = MakePng(2, 2, PngChunk("tEXt", std::string("Author\0Ada Lovelace", 19)) + PngChunk("eXIf", kExif));
  const std::string jpeg = MakeJpeg(8, 8, JpegSegment(0xe1, kExif) + JpegSegment(0xfe, "secret comment"));
  const std::string gif = MakeGif(2, 2, GifComment("secret comment"));
  const std::string webp = MakeWebp(kExif);
  for (const std::string& in : {png, jpeg, gif, webp}) {
    auto img = CheckImage(in);
    ASSERT_THAT(img, IsOk());
    EXPECT_LT(img->bytes.size(), in.size());
    EXPECT_EQ(img->bytes.find("Ada"), std::string::npos);
    EXPECT_EQ(img->bytes.find("secret"), std::string::npos);
    auto again = CheckImage(img->bytes);
    ASSERT_THAT(again, IsOk());
    EXPECT_EQ(again->bytes, img->bytes);
  }
  EXPECT_EQ(CheckImage(png)->bytes, MakePng(2, 2));
  EXPECT_EQ(CheckImage(jpeg)->bytes, MakeJpeg(8, 8));
  EXPECT_EQ(CheckImage(gif)->bytes, MakeGif(2, 2));
  // WebP: the EXIF flag of VP8X is cleared and the RIFF size follows the shorter file.
  std::string w = CheckImage(webp)->bytes;
  EXPECT_EQ(static_cast<unsigned char>(w[20]) & 0x08, 0);
  EXPECT_EQ(static_cast<std::size_t>(static_cast<unsigned char>(w[4])) + 8, w.size());
}

TEST(CheckImageTest, RefusesNonImages) {
  for (std::string bytes : {std::string(), std::string("hello"), std::string("<html><body>hi</body></html>"),
                            std::string("PK\x03\x04rest-of-a-zip", 18), std::string("%PDF-1.7\n"),
                            std::string("<svg xmlns='http://www.w3.org/2000/svg'/>"), std::string("BM\x36\x00", 4)}) {
    EXPECT_THAT(CheckImage(bytes), StatusIs(StatusCode::kInvalidArgument, "Upload a PNG, JPEG, WebP or GIF image."));
  }
}

TEST(CheckImageTest, RefusesTruncatedAndDamagedImages) {
  for (const std::string& full : {MakePng(4, 4), MakeJpeg(8, 8), MakeGif(4, 4), MakeWebp()}) {
    for (std::size_t cut : {full.size() - 1, full.size() / 2, std::size_t{14}}) {
      EXPECT_THAT(CheckImage(full.substr(0, cut)), StatusIs(StatusCode::kInvalidArgument, "Invalid or truncated image."))
          << "cut at " << cut << " of " << full.size();
    }
  }
  std::string bad_crc = MakePng(4, 4);
  bad_crc[40] ^= 0x01;  // inside IDAT: its CRC no longer matches
  EXPECT_THAT(CheckImage(bad_crc), StatusIs(StatusCode::kInvalidArgument));
}

TEST(CheckImageTest, RefusesDecompressionBombs) {
  // Tiny files whose headers claim huge pictures.
  const std::string png = MakePng(1, 1, "", 100000, 100000);
  ASSERT_LT(png.size(), 100u);
  EXPECT_THAT(CheckImage(png), StatusIs(StatusCode::kInvalidArgument, "Image dimensions are too large."));
  std::string jpeg = MakeJpeg(8, 8);
  const std::size_t sof = jpeg.find("\xff\xc0");
  jpeg.replace(sof + 5, 4, "\xfd\xe8\xfd\xe8");  // 65000 x 65000
  EXPECT_THAT(CheckImage(jpeg), StatusIs(StatusCode::kInvalidArgument, "Image dimensions are too large."));
  EXPECT_THAT(CheckImage(MakeGif(65535, 65535)), StatusIs(StatusCode::kInvalidArgument, "Image dimensions are too large."));
  EXPECT_THAT(CheckImage(MakePng(1, 1, "", 8192, 8192)), StatusIs(StatusCode::kInvalidArgument, "Image dimensions are too large."));
  // 8192 x 4096 = 33.5M pixels is inside the default limits; a lower limit refuses it.
  EXPECT_THAT(CheckImage(MakePng(1, 1, "", 8192, 4096)), IsOk());
  EXPECT_THAT(CheckImage(MakePng(1, 1, "", 8192, 4096), ImageLimits{.max_pixels = 1'000'000}),
              StatusIs(StatusCode::kInvalidArgument, "Image dimensions are too large."));
}

// Regression (fuzz/image_check): after fill bytes, "FF 00" is not a segment. It was taken as one with
// a length, kept in the cleaned copy, where without the fill bytes it reads as stuffed scan data: the
// stored image then failed its own check. Reserved markers (0x02-0xbf) start no segment either.
TEST(CheckImageTest, RefusesStuffingAndReservedMarkersAsSegments) {
  const std::string good = MakeJpeg(8, 8);
  const std::size_t eoi = good.size() - 2;
  for (unsigned char marker : {0x00, 0x02, 0x4f, 0xbf}) {
    std::string bad = good;
    bad.insert(eoi, "\xff" + JpegSegment(marker, "\xff\xda\x00\x08"));
    EXPECT_THAT(CheckImage(bad), StatusIs(StatusCode::kInvalidArgument, "Invalid or truncated image."))
        << "marker " << int(marker);
  }
  // Fill bytes before a real marker stay fine, and the cleaned copy checks again.
  std::string filled = good;
  filled.insert(eoi, "\xff\xff\xff");
  Result<CheckedImage> img = CheckImage(filled);
  ASSERT_THAT(img, IsOk());
  EXPECT_THAT(CheckImage(img->bytes), IsOk());
}

TEST(CheckImageTest, RefusesPolyglots) {
  // An archive after the image's end, or markup in its metadata or pixels.
  const std::string zip("PK\x03\x04\x14\x00\x00\x00payload.html", 20);
  EXPECT_THAT(CheckImage(MakePng(2, 2) + zip), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckImage(MakeGif(2, 2) + zip), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckImage(MakeJpeg(8, 8) + "<html><script>alert(1)</script>"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckImage(MakePng(2, 2, PngChunk("tEXt", std::string("c") + std::string(1, '\0') + "<html><script>alert(1)</script>"))),
              StatusIs(StatusCode::kInvalidArgument, "Image refused: it also looks like a document or an archive."));
  EXPECT_THAT(CheckImage(MakeGif(2, 2, GifComment("<script>alert(1)</script>"))),
              StatusIs(StatusCode::kInvalidArgument, "Image refused: it also looks like a document or an archive."));
  EXPECT_THAT(CheckImage(MakeJpeg(8, 8, JpegSegment(0xfe, "PK\x03\x04 zip inside"))),
              StatusIs(StatusCode::kInvalidArgument, "Image refused: it also looks like a document or an archive."));
}

TEST(CheckImageTest, FiveMegabytesIsTheLimit) {
  const std::size_t limit = 5 * 1024 * 1024;
  std::string png = MakePng(1, 1);
  // Pad with an ancillary chunk (stripped later) to exactly the limit, then one byte more.
  std::string at_limit = MakePng(1, 1, PngChunk("zzZz", std::string(limit - png.size() - 12, 'x')));
  ASSERT_EQ(at_limit.size(), limit);
  auto ok = CheckImage(at_limit);
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->bytes, png);
  std::string over = MakePng(1, 1, PngChunk("zzZz", std::string(limit - png.size() - 11, 'x')));
  ASSERT_EQ(over.size(), limit + 1);
  EXPECT_THAT(CheckImage(over), StatusIs(StatusCode::kInvalidArgument, "Image too large (max 5 MB)."));
}

TEST(CheckImageTest, DeclaredTypesAndKeys) {
  EXPECT_TRUE(DeclaredTypeMatches("image/png", ImageType::kPng));
  EXPECT_TRUE(DeclaredTypeMatches("", ImageType::kPng));
  EXPECT_TRUE(DeclaredTypeMatches("image/jpg", ImageType::kJpeg));
  EXPECT_TRUE(DeclaredTypeMatches("IMAGE/GIF; x=1", ImageType::kGif));
  EXPECT_FALSE(DeclaredTypeMatches("image/png", ImageType::kGif));
  EXPECT_FALSE(DeclaredTypeMatches("text/html", ImageType::kPng));
  EXPECT_FALSE(DeclaredTypeMatches("image/svg+xml", ImageType::kPng));

  SeededRng rng(3);
  std::string key = MediaKey("avatars", ImageType::kWebp, rng);
  EXPECT_TRUE(key.starts_with("avatars/"));
  EXPECT_TRUE(key.ends_with(".webp"));
  EXPECT_EQ(key.size(), std::string("avatars/.webp").size() + 32);
  EXPECT_TRUE(IsSafeMediaKey(key));
  for (const char* bad : {"../x.png", "avatars/../x.png", "avatars/x.html", "avatars/x", "avatars/.png", "x.png",
                          "/avatars/x.png", "avatars/x/y.png", "Avatars/x.png", "avatars/x.png\n", "avatars/%2e.png"}) {
    EXPECT_FALSE(IsSafeMediaKey(bad)) << bad;
  }
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(LocalMediaStoreTest, PutsUnderTheKeyAndDeletes) {
  TempDir dir;
  auto store = NewLocalMediaStore({.dir = (dir.path() / "media").string()});
  ASSERT_THAT(store, IsOk());
  auto img = CheckImage(MakePng(2, 2, PngChunk("tEXt", std::string("Author\0Ada", 10))));
  ASSERT_THAT(img, IsOk());
  auto url = (*store)->Put("posts/abc123.png", *img);
  ASSERT_THAT(url, IsOk());
  EXPECT_EQ(*url, "/media/posts/abc123.png");
  EXPECT_EQ(ReadFile(dir.path() / "media/posts/abc123.png"), MakePng(2, 2));
  EXPECT_EQ((*store)->KeyOf(*url), "posts/abc123.png");
  EXPECT_EQ((*store)->KeyOf("https://elsewhere/x.png"), "");
  EXPECT_EQ((*store)->KeyOf("/media/../secret.png"), "");
  EXPECT_THAT((*store)->Put("../escape.png", *img), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT((*store)->Delete("posts/../../x.png"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "escape.png"));
  ASSERT_THAT((*store)->Delete("posts/abc123.png"), IsOk());
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "media/posts/abc123.png"));
  EXPECT_THAT((*store)->Delete("posts/abc123.png"), IsOk());  // already gone
  EXPECT_EQ((*store)->local_dir(), (dir.path() / "media").string());
}

}  // namespace
}  // namespace clash
