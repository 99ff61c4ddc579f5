#include "http/media_type.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/json_body.h"

namespace clash::host {
namespace {

TEST(MediaTypeTest, ParsesTypeSubtypeAndParameters) {
  auto m = ParseMediaType("Application/JSON ; Charset=\"utf-8\";q=1");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, "application");
  EXPECT_EQ(m->subtype, "json");
  ASSERT_EQ(m->parameters.size(), 2u);
  EXPECT_EQ(m->parameters[0], (std::pair<std::string, std::string>{"charset", "utf-8"}));
  EXPECT_EQ(m->parameters[1], (std::pair<std::string, std::string>{"q", "1"}));
  for (const char* bad : {"", "application", "application/", "/json", "application/json; x", "application/json; x=",
                          "application/json; x=\"open", "application/json x"}) {
    EXPECT_FALSE(ParseMediaType(bad)) << bad;
  }
  EXPECT_TRUE(ParseMediaType("application/json;"));  // an empty parameter is allowed
}

TEST(MediaTypeTest, JsonIsTheMediaTypeNotASubstring) {
  EXPECT_TRUE(IsJsonMediaType("application/json"));
  EXPECT_TRUE(IsJsonMediaType("application/json; charset=utf-8"));
  EXPECT_TRUE(IsJsonMediaType("APPLICATION/Json;charset=UTF-8"));
  EXPECT_FALSE(IsJsonMediaType("text/plain; x=application/json"));
  EXPECT_FALSE(IsJsonMediaType("application/jsonx"));
  EXPECT_FALSE(IsJsonMediaType("application/json-seq"));
  EXPECT_FALSE(IsJsonMediaType("xapplication/json"));
  EXPECT_FALSE(IsJsonMediaType(""));
}

TEST(MediaTypeTest, JsonRoutesAnswer415ForLookAlikes) {
  for (const char* type : {"text/plain; x=application/json", "application/jsonx"}) {
    HttpRequest req;
    req.method = "POST";
    req.headers = {{"content-type", type}};
    req.body = R"({"a": 1})";
    HttpResponse resp;
    nlohmann::json body;
    EXPECT_FALSE(ReadJsonObject(req, resp, &body)) << type;
    EXPECT_EQ(resp.status, 415) << type;
  }
}

}  // namespace
}  // namespace clash::host
