#include "http/router.h"

#include <gtest/gtest.h>

namespace clash::host {
namespace {

HttpRequest Req(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/api/challenges/", [this](HttpRequest&, HttpResponse&) { hit_ = "list"; });
    router_.Add("GET", "/api/challenges/{slug}/", [this](HttpRequest&, HttpResponse&) { hit_ = "get"; });
    router_.Add("POST", "/api/challenges/{slug}/submit/", [this](HttpRequest&, HttpResponse&) { hit_ = "submit"; });
    router_.Add("DELETE", "/api/challenges/{slug}/", [this](HttpRequest&, HttpResponse&) { hit_ = "delete"; });
  }
  Router router_;
  std::string hit_;
};

TEST_F(RouterTest, MatchesLiteralAndParameterisedPaths) {
  HttpRequest r = Req("GET", "/api/challenges/python-001/");
  RouteMatch m = router_.Match(r);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.pattern, "/api/challenges/{slug}/");
  EXPECT_EQ(r.path_params["slug"], "python-001");
  HttpResponse resp;
  (*m.handler)(r, resp);
  EXPECT_EQ(hit_, "get");
}

TEST_F(RouterTest, TrailingSlashIsSignificant) {
  HttpRequest r = Req("GET", "/api/challenges");
  EXPECT_EQ(router_.Match(r).kind, RouteMatch::Kind::kNotFound);
  HttpRequest r2 = Req("GET", "/api/challenges/python-001");
  EXPECT_EQ(router_.Match(r2).kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, PlaceholdersNeedANonEmptySegment) {
  HttpRequest r = Req("GET", "/api/challenges//");
  EXPECT_EQ(router_.Match(r).kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  HttpRequest r = Req("PUT", "/api/challenges/x/");
  RouteMatch m = router_.Match(r);
  EXPECT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, DELETE");
}

TEST_F(RouterTest, HeadUsesGetRoutes) {
  HttpRequest r = Req("HEAD", "/api/challenges/");
  EXPECT_EQ(router_.Match(r).kind, RouteMatch::Kind::kFound);
}

TEST_F(RouterTest, LiteralSegmentsBeatPlaceholders) {
  router_.Add("GET", "/api/challenges/leaderboard/", [this](HttpRequest&, HttpResponse&) { hit_ = "leaderboard"; });
  HttpRequest r = Req("GET", "/api/challenges/leaderboard/");
  RouteMatch m = router_.Match(r);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.pattern, "/api/challenges/leaderboard/");
  EXPECT_TRUE(r.path_params.empty());
  HttpRequest other = Req("GET", "/api/challenges/python-001/");
  EXPECT_EQ(router_.Match(other).pattern, "/api/challenges/{slug}/");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  HttpRequest r = Req("GET", "/api/nothing/");
  EXPECT_EQ(router_.Match(r).kind, RouteMatch::Kind::kNotFound);
}

}  // namespace
}  // namespace clash::host
