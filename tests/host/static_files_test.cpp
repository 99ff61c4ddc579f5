#include "http/static_files.h"

#include <fstream>

#include "support/test_support.h"

namespace clash::host {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "www";
    fs::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<html>app</html>";
    std::ofstream(root_ / "assets" / "app-123.js") << "console.log(1)";
    std::ofstream(dir_.path() / "secret.txt") << "do not serve";
    fs::create_symlink(dir_.path() / "secret.txt", root_ / "leak.txt");
  }
  HttpResponse Get(const std::string& path) {
    StaticFiles files(root_.string());
    HttpRequest req;
    req.method = "GET";
    req.path = path;
    HttpResponse resp;
    files.Serve(req, resp);
    return resp;
  }
  clash::testing::TempDir dir_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesExistingFilesWithTheirType) {
  HttpResponse r = Get("/assets/app-123.js");
  EXPECT_EQ(r.status, 200);
  ASSERT_TRUE(r.file_path.has_value());
  EXPECT_EQ(fs::path(*r.file_path).filename(), "app-123.js");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, UnknownPathsFallBackToIndex) {
  HttpResponse r = Get("/level/python-001");
  EXPECT_EQ(r.status, 200);
  ASSERT_TRUE(r.file_path.has_value());
  EXPECT_EQ(fs::path(*r.file_path).filename(), "index.html");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
}

TEST_F(StaticFilesTest, NothingOutsideTheRootIsServed) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/leak.txt"}) {
    HttpResponse r = Get(path);
    if (r.file_path) {
      EXPECT_EQ(fs::path(*r.file_path).filename(), "index.html") << path;
    } else {
      EXPECT_EQ(r.status, 404) << path;
    }
  }
}

TEST_F(StaticFilesTest, WithoutIndexUnknownPathsAre404) {
  fs::remove(root_ / "index.html");
  HttpResponse r = Get("/home");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error":"Not found"})");
}

TEST(StaticFilesTypes, ContentTypes) {
  EXPECT_EQ(StaticFiles::ContentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeFor("a.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::ContentTypeFor("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace clash::host
