// clash/judge_cases.h without a sandbox: the value encoding, cases.json, the checker's comparison
// and the rendering of public cases as Python asserts.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "clash/judge_cases.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

using ::testing::HasSubstr;

CaseValue V(const std::string& json) {
  Result<CaseValue> v = ParseCaseValueJson(json);
  EXPECT_TRUE(v.ok()) << json << ": " << v.status();
  return v.ok() ? *v : CaseValue();
}

TEST(CaseValues, EveryKindRoundTripsCanonically) {
  for (const char* json : {"null", "true", "false", "0", "-5", "9223372036854775807", "-9223372036854775808",
                           "{\"$int\":\"123456789012345678901234567890\"}", "1.0", "-0.5", "1e+100", "0.1",
                           "{\"$float\":\"nan\"}", "{\"$float\":\"inf\"}", "{\"$float\":\"-inf\"}", "\"h\u00e9\\n\"",
                           "[1,[2,\"x\"]]", "{\"$tuple\":[1]}", "{\"$tuple\":[]}", "{\"$dict\":[[\"a\",1],[2,[]]]}",
                           "{\"$set\":[1,2]}", "{\"$frozenset\":[]}"}) {
    CaseValue v = V(json);
    EXPECT_EQ(EncodeCaseValueJson(v), json);
    EXPECT_EQ(V(EncodeCaseValueJson(v)), v) << json;
  }
  // Non-canonical spellings are read and written canonically.
  EXPECT_EQ(EncodeCaseValueJson(V("{\"$int\": \"-007\"}")), "-7");
  EXPECT_EQ(EncodeCaseValueJson(V("9223372036854775808")), "{\"$int\":\"9223372036854775808\"}");
  EXPECT_EQ(V("{\"$int\": \"-0\"}").int_text(), "0");
}

TEST(CaseValues, TypesAreExact) {
  EXPECT_NE(V("1"), V("1.0"));
  EXPECT_NE(V("1"), V("true"));
  EXPECT_NE(V("[1]"), V("{\"$tuple\":[1]}"));
  EXPECT_NE(V("{\"$set\":[1]}"), V("{\"$frozenset\":[1]}"));
  EXPECT_NE(V("\"1\""), V("1"));
  EXPECT_EQ(V("{\"$set\":[1,2,3]}"), V("{\"$set\":[3,1,2]}"));
  EXPECT_EQ(V("{\"$dict\":[[1,\"a\"],[2,\"b\"]]}"), V("{\"$dict\":[[2,\"b\"],[1,\"a\"]]}"));
  EXPECT_NE(V("[1,2]"), V("[2,1]"));
  EXPECT_EQ(V("{\"$float\":\"nan\"}"), V("{\"$float\":\"nan\"}"));
  EXPECT_EQ(V("0.0"), V("-0.0"));
  EXPECT_EQ(V("{\"$int\":\"5\"}"), V("5"));
}

TEST(CaseValues, MalformedEncodingsAreRefused) {
  const std::pair<const char*, const char*> bad[] = {
      {"123456789012345678901234567890", "does not fit 64 bits"},
      {"{\"a\": 1}", "must be one of the $ forms"},
      {"{\"$long\": 1}", "unknown encoding $long"},
      {"{\"$int\": \"1.5\"}", "decimal digits"},
      {"{\"$int\": 5}", "$int takes a string"},
      {"{\"$float\": \"1.5\"}", "$float takes"},
      {"{\"$set\": [1, 1]}", "holds the same value twice"},
      {"{\"$dict\": [[1, 2], [1, 3]]}", "holds the same value twice"},
      {"{\"$dict\": [[1]]}", "[key, value] pairs"},
      {"{\"$raises\": \"ValueError\"}", "only allowed in expected values"},
      {"[1", "not valid JSON"},
  };
  for (const auto& [json, why] : bad) {
    Result<CaseValue> v = ParseCaseValueJson(json);
    EXPECT_THAT(v, StatusIs(StatusCode::kInvalidArgument)) << json;
    EXPECT_THAT(v.status().message(), HasSubstr(why)) << json;
  }
  std::string deep;
  for (int i = 0; i < 150; ++i) deep += "[";
  for (int i = 0; i < 150; ++i) deep += "]";
  EXPECT_THAT(ParseCaseValueJson(deep), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(CaseValue::BigInt(std::string(4301, '7')), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(CaseValue::BigInt(std::string(4300, '7')), IsOk());
}

TEST(CaseValues, FloatToleranceAppliesToFloatsOnly) {
  const CaseValue third = CaseValue::Float(0.3), sum = CaseValue::Float(0.1 + 0.2);
  EXPECT_FALSE(CaseValuesMatch(third, sum, 0));
  EXPECT_TRUE(CaseValuesMatch(third, sum, 1e-9));
  EXPECT_TRUE(CaseValuesMatch(CaseValue::Float(1e6), CaseValue::Float(1e6 + 1e-4), 1e-9));   // relative
  EXPECT_FALSE(CaseValuesMatch(CaseValue::Float(1e6), CaseValue::Float(1e6 + 1e-2), 1e-9));
  EXPECT_FALSE(CaseValuesMatch(CaseValue::Float(3), CaseValue::Int(3), 0.5));                  // types stay exact
  EXPECT_TRUE(CaseValuesMatch(V("[1.0, {\"$tuple\": [0.3]}]"), V("[1.0000000001, {\"$tuple\": [0.30000000000000004]}]"), 1e-9));
  EXPECT_TRUE(CaseValuesMatch(V("{\"$dict\": [[\"k\", 0.3]]}"), V("{\"$dict\": [[\"k\", 0.30000000000000004]]}"), 1e-9));
  EXPECT_FALSE(CaseValuesMatch(V("{\"$set\": [0.3]}"), V("{\"$set\": [0.30000000000000004]}"), 1e-9));  // members exact
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(CaseValuesMatch(CaseValue::Float(inf), CaseValue::Float(inf), 1e-9));
  EXPECT_FALSE(CaseValuesMatch(CaseValue::Float(inf), CaseValue::Float(-inf), 1e-9));
  EXPECT_TRUE(CaseValuesMatch(CaseValue::Float(std::nan("")), CaseValue::Float(std::nan("")), 0));
  EXPECT_TRUE(CaseValuesMatch(CaseValue::Raises("ValueError"), CaseValue::Raises("ValueError"), 0));
  EXPECT_FALSE(CaseValuesMatch(CaseValue::Raises("ValueError"), CaseValue::Raises("KeyError"), 0));
}

constexpr const char* kFunctionCases = R"json({
  "mode": "function", "entry": "largest", "float_tolerance": 1e-9,
  "cases": [
    {"args": [1, 2, 3], "expected": 3, "public": true},
    {"args": [-5, -5, -9], "expected": -5, "name": "all negative, tie"},
    {"args": [{"a": 1}], "expected": {"$tuple": ["a", 1]}, "public": true}
  ]})json";

constexpr const char* kClassCases = R"json({
  "mode": "class", "entry": "Account",
  "cases": [
    {"ops": [["__init__", [10]], ["deposit", [5]], ["balance", []]], "expected": [null, null, 15], "public": true},
    {"ops": [["__init__", [0]], ["withdraw", [5]]], "expected": [null, {"$raises": "ValueError"}], "public": true},
    {"ops": [["__init__", [1]], ["balance", []]], "expected": [null, 1]}
  ]})json";

TEST(CasesJson, ReadsTheLevelFormat) {
  Result<DataCases> f = ParseCasesJson(kFunctionCases);
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->mode, CaseMode::kFunction);
  EXPECT_EQ(f->entry, "largest");
  EXPECT_EQ(f->float_tolerance, 1e-9);
  ASSERT_EQ(f->cases.size(), 3u);
  EXPECT_TRUE(f->cases[0].is_public);
  EXPECT_FALSE(f->cases[1].is_public);  // public defaults to false
  EXPECT_EQ(f->cases[1].name, "all negative, tie");
  EXPECT_EQ(f->cases[1].expected, CaseValue::Int(-5));
  // The convenience form: an object without a "$" key is a dict with string keys.
  EXPECT_EQ(f->cases[2].args[0], V("{\"$dict\": [[\"a\", 1]]}"));
  // Canonical re-encoding reads back to the same cases.
  Result<DataCases> again = ParseCasesJson(EncodeCasesJson(*f));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(EncodeCasesJson(*again), EncodeCasesJson(*f));
  EXPECT_EQ(again->cases[2].args[0], f->cases[2].args[0]);

  Result<DataCases> c = ParseCasesJson(kClassCases);
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->mode, CaseMode::kClass);
  ASSERT_EQ(c->cases[0].ops.size(), 3u);
  EXPECT_EQ(c->cases[0].ops[1].method, "deposit");
  EXPECT_EQ(c->cases[1].expected.items()[1], CaseValue::Raises("ValueError"));
}

TEST(CasesJson, ShapeErrorsNameTheCase) {
  const std::pair<const char*, const char*> bad[] = {
      {R"({"entry": "f", "cases": [{"args": [], "expected": 1}]})", "\"mode\" must be"},
      {R"({"mode": "function", "entry": "1f", "cases": [{"args": [], "expected": 1}]})", "Python identifier"},
      {R"({"mode": "function", "entry": "f", "cases": []})", "non-empty list"},
      {R"({"mode": "function", "entry": "f", "cases": [{"args": [], "expected": 1, "pubic": true}]})",
       "case 1: unknown key \"pubic\""},
      {R"({"mode": "function", "entry": "f", "cases": [{"args": [], "expected": 1}, {"args": 3, "expected": 1}]})",
       "case 2: \"args\" must be a list"},
      {R"({"mode": "function", "entry": "f", "cases": [{"args": [{"$x": 1}], "expected": 1}]})", "case 1: unknown encoding"},
      {R"({"mode": "function", "entry": "f", "cases": [{"args": []}]})", "case 1: needs \"args\" and \"expected\""},
      {R"({"mode": "function", "entry": "f", "float_tolerance": -1, "cases": [{"args": [], "expected": 1}]})",
       "float_tolerance"},
      {R"({"mode": "class", "entry": "A", "cases": [{"ops": [["go", []]], "expected": [null]}]})",
       "case 1: the first op must be \"__init__\""},
      {R"({"mode": "class", "entry": "A", "cases": [{"ops": [["__init__", []], ["__init__", []]], "expected": [null, null]}]})",
       "is not a method name"},
      {R"({"mode": "class", "entry": "A", "cases": [{"ops": [["__init__", []], ["go", []]], "expected": [null]}]})",
       "one value per op"},
      {R"({"mode": "class", "entry": "A", "cases": [{"ops": [["__init__", []]], "expected": [1]}]})",
       "\"__init__\" must be null"},
      {R"({"mode": "function", "entry": "f", "cases": [{"args": [12345678901234567890123], "expected": 1}]})",
       "does not fit 64 bits"},
  };
  for (const auto& [json, why] : bad) {
    Result<DataCases> r = ParseCasesJson(json);
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument)) << json;
    EXPECT_THAT(r.status().message(), HasSubstr(why)) << json;
  }
}

TEST(PythonLiterals, LookLikeRepr) {
  const std::pair<const char*, const char*> want[] = {
      {"null", "None"}, {"true", "True"}, {"-12", "-12"}, {"{\"$int\":\"99999999999999999999\"}", "99999999999999999999"},
      {"1.0", "1.0"}, {"0.1", "0.1"}, {"-0.0", "-0.0"}, {"100.0", "100.0"}, {"1e16", "1e+16"}, {"1e15", "1000000000000000.0"},
      {"0.0001", "0.0001"}, {"0.00001", "1e-05"}, {"1.5e-7", "1.5e-07"}, {"123.456", "123.456"}, {"1e100", "1e+100"},
      {"{\"$float\":\"nan\"}", "float('nan')"}, {"{\"$float\":\"-inf\"}", "-float('inf')"},
      {"\"it's\"", "\"it's\""}, {"\"a'b\\\"c\"", "'a\\'b\"c'"}, {"\"tab\\there\\n\"", "'tab\\there\\n'"},
      {"\"\\u0001\\u007f\"", "'\\x01\\x7f'"}, {"\"\u00e9\u4e2d\"", "'\u00e9\u4e2d'"}, {"\"\\u2028\"", "'\\u2028'"},
      {"[1,[2]]", "[1, [2]]"}, {"{\"$tuple\":[1]}", "(1,)"}, {"{\"$tuple\":[]}", "()"}, {"{\"$tuple\":[1,2]}", "(1, 2)"},
      {"{\"$set\":[]}", "set()"}, {"{\"$set\":[1]}", "{1}"}, {"{\"$frozenset\":[]}", "frozenset()"},
      {"{\"$frozenset\":[\"a\"]}", "frozenset({'a'})"}, {"{\"$dict\":[]}", "{}"}, {"{\"$dict\":[[\"a\",[1]]]}", "{'a': [1]}"},
  };
  for (const auto& [json, literal] : want) EXPECT_THAT(PythonLiteral(V(json)), IsOkAndHolds(std::string(literal))) << json;
  EXPECT_THAT(PythonLiteral(CaseValue::Raises("ValueError")), StatusIs(StatusCode::kInvalidArgument));
}

TEST(RenderTestCode, PublicCasesOnlyInTheLevelFormatsShape) {
  Result<DataCases> f = ParseCasesJson(kFunctionCases);
  ASSERT_THAT(f, IsOk());
  EXPECT_THAT(RenderPythonTestCode(*f),
              IsOkAndHolds(std::string("assert largest(1, 2, 3) == 3\n\nassert largest({'a': 1}) == ('a', 1)\n")));

  Result<DataCases> c = ParseCasesJson(kClassCases);
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(RenderPythonTestCode(*c), IsOkAndHolds(std::string(
                                            "_obj = Account(10)\n"
                                            "assert _obj.deposit(5) == None\n"
                                            "assert _obj.balance() == 15\n"
                                            "\n"
                                            "_obj = Account(0)\n"
                                            "try:\n"
                                            "    _obj.withdraw(5)\n"
                                            "    _raised = False\n"
                                            "except ValueError:\n"
                                            "    _raised = True\n"
                                            "assert _raised, '_obj.withdraw(5) should raise ValueError'\n")));

  Result<DataCases> floats = ParseCasesJson(R"json({"mode": "function", "entry": "mean", "float_tolerance": 1e-06,
      "cases": [{"args": [[1, 2]], "expected": 1.5, "public": true},
                {"args": [[]], "expected": {"$float": "nan"}, "public": true},
                {"args": [[7]], "expected": 7.0}]})json");
  ASSERT_THAT(floats, IsOk());
  EXPECT_THAT(RenderPythonTestCode(*floats),
              IsOkAndHolds(std::string("import math\n\nassert abs(mean([1, 2]) - 1.5) <= 1e-06 * max(1, abs(1.5))\n"
                                       "\nassert math.isnan(mean([]))\n")));
  floats->cases[0].is_public = floats->cases[1].is_public = false;
  EXPECT_THAT(RenderPythonTestCode(*floats), IsOkAndHolds(std::string()));
}

}  // namespace
}  // namespace clash::testing
