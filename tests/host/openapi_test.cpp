#include "http/openapi.h"

#include <gtest/gtest.h>

namespace clash::host {
namespace {

using nlohmann::json;

TEST(ShapeToSchema, ObjectsArraysNullableAndReferences) {
  Result<json> s = ShapeToSchema("{email: string, n?: integer, tags: [string], who: @User|null, x: any}");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)["type"], "object");
  EXPECT_EQ((*s)["required"], json({"email", "tags", "who", "x"}));
  EXPECT_EQ((*s)["properties"]["n"], json({{"type", "integer"}}));
  EXPECT_EQ((*s)["properties"]["tags"], json({{"type", "array"}, {"items", {{"type", "string"}}}}));
  EXPECT_EQ((*s)["properties"]["who"],
            json({{"anyOf", {{{"$ref", "#/components/schemas/User"}}, {{"type", "null"}}}}}));
  EXPECT_EQ((*s)["properties"]["x"], json::object());
  Result<json> nullable = ShapeToSchema("string|null");
  ASSERT_TRUE(nullable.ok());
  EXPECT_EQ((*nullable)["type"], json({"string", "null"}));
}

TEST(ShapeToSchema, SyntaxErrorsNameThePosition) {
  for (const char* bad : {"{email string}", "{a: strin}", "[string", "{a: string", "string|int", "@", "{a: string} x"}) {
    Result<json> s = ShapeToSchema(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.status().message().find(bad), std::string::npos) << s.status().message();
  }
}

TEST(OpenApiDocument, FlagsUndocumentedRoutesAndListsStaleDocs) {
  Router router;
  router.Add("GET", "/a/{id}/", [](HttpRequest&, HttpResponse&) {});
  router.Add("POST", "/b/", [](HttpRequest&, HttpResponse&) {});
  const std::vector<RouteDoc> docs = {
      {"GET", "/a/{id}/", "t", "user", "Get an A", "", "@A", 200, "{page?: integer}"},
      {"DELETE", "/gone/", "t", "staff", "No such route", "", "", 204},
  };
  std::vector<std::string> stale = router.AttachDocs(docs);
  EXPECT_EQ(stale, std::vector<std::string>{"DELETE /gone/"});
  Result<json> doc = OpenApiDocument(router, stale, {{"A", "{id: integer}"}}, "1.2.3");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["openapi"], "3.1.0");
  EXPECT_EQ((*doc)["x-stale-docs"], json({"DELETE /gone/"}));
  const json& get = (*doc)["paths"]["/a/{id}/"]["get"];
  EXPECT_EQ(get["summary"], "Get an A");
  EXPECT_FALSE(get.contains("x-undocumented"));
  EXPECT_EQ(get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/A");
  EXPECT_TRUE(get["responses"].contains("401"));
  EXPECT_TRUE(get["responses"].contains("404"));
  EXPECT_EQ(get["parameters"].size(), 2u);  // the path's id and the query's page
  EXPECT_EQ((*doc)["paths"]["/b/"]["post"]["x-undocumented"], true);
  EXPECT_EQ((*doc)["components"]["schemas"]["A"]["required"], json({"id"}));
}

TEST(OpenApiDocument, RefusesAnUndefinedComponentAndABadShape) {
  Router router;
  router.Add("GET", "/a/", [](HttpRequest&, HttpResponse&) {});
  std::vector<RouteDoc> docs = {{"GET", "/a/", "t", "public", "A", "", "@Missing"}};
  router.AttachDocs(docs);
  Result<json> doc = OpenApiDocument(router, {}, {}, "1");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("@Missing"), std::string::npos);
  Router other;
  other.Add("GET", "/a/", [](HttpRequest&, HttpResponse&) {});
  std::vector<RouteDoc> bad = {{"GET", "/a/", "t", "public", "A", "{x: }", ""}};
  other.AttachDocs(bad);
  EXPECT_EQ(OpenApiDocument(other, {}, {}, "1").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clash::host
