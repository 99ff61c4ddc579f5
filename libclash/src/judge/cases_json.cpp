// A level's cases.json: parsing with the shape checks, the canonical encoding, and the form the
// player's harness receives (arguments only: expected values never leave the judge).
#include <cmath>
#include <string>

#include "judge/case_json.h"

namespace clash::internal {
namespace {

using nlohmann::json;

bool IsIdentifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

Status CaseError(size_t index, const std::string& what) {
  return Status::InvalidArgument("case " + std::to_string(index + 1) + ": " + what);
}

Result<std::vector<CaseValue>> Args(const json& j) {
  if (!j.is_array()) return Status::InvalidArgument("\"args\" must be a list of encoded values");
  std::vector<CaseValue> args;
  for (const json& a : j) {
    CLASH_ASSIGN_OR_RETURN(CaseValue v, CaseValueFromJson(a, {.convenience_dicts = true}));
    args.push_back(std::move(v));
  }
  return args;
}

Result<std::vector<CaseOp>> Ops(const json& j) {
  if (!j.is_array() || j.empty()) return Status::InvalidArgument("\"ops\" must be a non-empty list of [method, args]");
  std::vector<CaseOp> ops;
  for (const json& op : j) {
    if (!op.is_array() || op.size() != 2 || !op[0].is_string()) {
      return Status::InvalidArgument("each op must be [method, args]");
    }
    CaseOp parsed;
    parsed.method = op[0].get<std::string>();
    const bool first = ops.empty();
    if (first != (parsed.method == "__init__") || !IsIdentifier(parsed.method)) {
      return Status::InvalidArgument(first ? "the first op must be \"__init__\""
                                           : "op " + std::to_string(ops.size() + 1) + ": \"" + parsed.method +
                                                 "\" is not a method name (only the first op is \"__init__\")");
    }
    CLASH_ASSIGN_OR_RETURN(parsed.args, Args(op[1]));
    ops.push_back(std::move(parsed));
  }
  return ops;
}

Result<DataCase> ParseCase(const json& c, CaseMode mode, size_t index) {
  if (!c.is_object()) return CaseError(index, "must be an object");
  const char* call_key = mode == CaseMode::kFunction ? "args" : "ops";
  for (const auto& [key, value] : c.items()) {
    if (key != call_key && key != "expected" && key != "public" && key != "name") {
      return CaseError(index, "unknown key \"" + key + "\"");
    }
  }
  if (!c.contains(call_key) || !c.contains("expected")) {
    return CaseError(index, std::string("needs \"") + call_key + "\" and \"expected\"");
  }
  DataCase out;
  if (c.contains("name")) {
    if (!c["name"].is_string()) return CaseError(index, "\"name\" must be a string");
    out.name = c["name"].get<std::string>();
  }
  if (c.contains("public")) {
    if (!c["public"].is_boolean()) return CaseError(index, "\"public\" must be true or false");
    out.is_public = c["public"].get<bool>();
  }
  Result<CaseValue> expected =
      CaseValueFromJson(c["expected"], {.convenience_dicts = true, .allow_raises = true});
  if (!expected.ok()) return CaseError(index, "expected: " + expected.status().message());
  out.expected = std::move(expected).value();
  if (mode == CaseMode::kFunction) {
    Result<std::vector<CaseValue>> args = Args(c["args"]);
    if (!args.ok()) return CaseError(index, args.status().message());
    out.args = std::move(args).value();
    return out;
  }
  Result<std::vector<CaseOp>> ops = Ops(c["ops"]);
  if (!ops.ok()) return CaseError(index, ops.status().message());
  out.ops = std::move(ops).value();
  if (out.expected.kind() != CaseValue::Kind::kList || out.expected.items().size() != out.ops.size()) {
    return CaseError(index, "\"expected\" must be a list with one value per op");
  }
  if (out.expected.items()[0].kind() != CaseValue::Kind::kNone) {
    return CaseError(index, "the expected value of \"__init__\" must be null");
  }
  return out;
}

json ValuesToJson(const std::vector<CaseValue>& values) {
  json a = json::array();
  for (const CaseValue& v : values) a.push_back(CaseValueToJson(v));
  return a;
}

}  // namespace

json CallToJson(const DataCase& c, CaseMode mode) {
  if (mode == CaseMode::kFunction) return ValuesToJson(c.args);
  json ops = json::array();
  for (const CaseOp& op : c.ops) ops.push_back(json::array({op.method, ValuesToJson(op.args)}));
  return ops;
}

Result<DataCases> DataCasesFromJson(const json& j) {
  if (!j.is_object()) return Status::InvalidArgument("cases must be a JSON object");
  DataCases out;
  const json* mode = j.contains("mode") ? &j["mode"] : nullptr;
  if (mode == nullptr || !mode->is_string() || (*mode != "function" && *mode != "class")) {
    return Status::InvalidArgument("\"mode\" must be \"function\" or \"class\"");
  }
  out.mode = *mode == "function" ? CaseMode::kFunction : CaseMode::kClass;
  if (!j.contains("entry") || !j["entry"].is_string() || !IsIdentifier(j["entry"].get<std::string>())) {
    return Status::InvalidArgument("\"entry\" must be a Python identifier");
  }
  out.entry = j["entry"].get<std::string>();
  if (j.contains("float_tolerance")) {
    const json& t = j["float_tolerance"];
    if (!t.is_number() || !std::isfinite(t.get<double>()) || t.get<double>() < 0) {
      return Status::InvalidArgument("\"float_tolerance\" must be a number >= 0");
    }
    out.float_tolerance = t.get<double>();
  }
  if (!j.contains("cases") || !j["cases"].is_array() || j["cases"].empty()) {
    return Status::InvalidArgument("\"cases\" must be a non-empty list");
  }
  for (const json& c : j["cases"]) {
    CLASH_ASSIGN_OR_RETURN(DataCase parsed, ParseCase(c, out.mode, out.cases.size()));
    out.cases.push_back(std::move(parsed));
  }
  return out;
}

json DataCasesToJson(const DataCases& cases) {
  json list = json::array();
  for (const DataCase& c : cases.cases) {
    json one = {{cases.mode == CaseMode::kFunction ? "args" : "ops", CallToJson(c, cases.mode)},
                {"expected", CaseValueToJson(c.expected)},
                {"public", c.is_public}};
    if (!c.name.empty()) one["name"] = c.name;
    list.push_back(std::move(one));
  }
  return {{"mode", cases.mode == CaseMode::kFunction ? "function" : "class"},
          {"entry", cases.entry},
          {"float_tolerance", cases.float_tolerance},
          {"cases", std::move(list)}};
}

std::string HarnessCasesJson(const DataCases& cases) {
  json calls = json::array();
  for (const DataCase& c : cases.cases) calls.push_back(CallToJson(c, cases.mode));
  json j = {{"mode", cases.mode == CaseMode::kFunction ? "function" : "class"},
            {"entry", cases.entry},
            {"calls", std::move(calls)}};
  return j.dump(-1, ' ', true, json::error_handler_t::replace);
}

}  // namespace clash::internal

namespace clash {

Result<DataCases> ParseCasesJson(std::string_view text) {
  CLASH_ASSIGN_OR_RETURN(nlohmann::json j, internal::ParseJsonStrict(text, "cases.json"));
  return internal::DataCasesFromJson(j);
}

std::string EncodeCasesJson(const DataCases& cases) {
  return internal::DataCasesToJson(cases).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace clash
