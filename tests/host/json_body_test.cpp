#include "http/json_body.h"

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace clash::host {
namespace {

using nlohmann::json;

HttpRequest JsonRequest(std::string body) {
  HttpRequest req;
  req.method = "POST";
  req.headers = {{"content-type", "application/json"}};
  req.body = std::move(body);
  return req;
}

TEST(JsonBodyTest, ReadsObjectsAndRefusesTheRest) {
  HttpResponse resp;
  json body;
  EXPECT_TRUE(ReadJsonObject(JsonRequest(""), resp, &body));
  EXPECT_EQ(body, json::object());
  EXPECT_TRUE(ReadJsonObject(JsonRequest(R"({"a": 1})"), resp, &body));
  EXPECT_EQ(body["a"], 1);

  HttpResponse bad;
  EXPECT_FALSE(ReadJsonObject(JsonRequest("[1, 2]"), bad, &body));
  EXPECT_EQ(bad.status, 400);
  HttpRequest form = JsonRequest("a=1");
  form.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  HttpResponse unsupported;
  EXPECT_FALSE(ReadJsonObject(form, unsupported, &body));
  EXPECT_EQ(unsupported.status, 415);
}

TEST(JsonBodyTest, FieldErrorsNameTheFieldAsTheReferenceSerializerDoes) {
  json body = {{"amount", "lots"}, {"name", 5}, {"flag", "yes"}};
  HttpResponse resp;
  std::optional<std::int64_t> amount;
  EXPECT_FALSE(OptionalInt(body, "amount", resp, &amount));
  EXPECT_EQ(resp.status, 400);
  EXPECT_EQ(json::parse(resp.body),
            (json{{"error", "amount: A valid integer is required."}, {"amount", {"A valid integer is required."}}}));

  HttpResponse resp2;
  std::string name;
  EXPECT_FALSE(StringField(body, "name", resp2, &name));
  EXPECT_EQ(json::parse(resp2.body)["name"], json::array({"Not a valid string."}));

  HttpResponse resp3;
  std::optional<bool> flag;
  EXPECT_FALSE(OptionalBool(body, "flag", resp3, &flag));
  EXPECT_EQ(json::parse(resp3.body)["flag"], json::array({"Must be a valid boolean."}));

  // Absent and null fields stay unset.
  HttpResponse ok;
  std::optional<std::string> missing;
  EXPECT_TRUE(OptionalString(json{{"x", nullptr}}, "x", ok, &missing));
  EXPECT_FALSE(missing.has_value());
  EXPECT_TRUE(StringField(json::object(), "x", ok, &name));
  EXPECT_EQ(name, "");
}

TEST(JsonBodyTest, LenientIntegers) {
  EXPECT_EQ(LenientInt(json(499)), 499);
  EXPECT_EQ(LenientInt(json(-3)), -3);
  EXPECT_EQ(LenientInt(json(499.0)), 499);
  EXPECT_EQ(LenientInt(json("1999")), 1999);
  EXPECT_EQ(LenientInt(json("+7")), 7);
  EXPECT_EQ(LenientInt(json("-7")), -7);
  for (const json& bad : {json(12.5), json("12a"), json(""), json("+-1"), json("--1"), json(true), json(nullptr),
                          json::array({1}), json("99999999999999999999"), json(18446744073709551615ULL)}) {
    EXPECT_FALSE(LenientInt(bad).has_value()) << bad.dump();
  }
}

TEST(JsonBodyTest, PathIdsAreDecimal) {
  EXPECT_EQ(PathId("42"), 42);
  for (const char* bad : {"", "abc", "-1", "1.5", "0x10", "+3", "1234567890123456789"}) {
    EXPECT_FALSE(PathId(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace clash::host
