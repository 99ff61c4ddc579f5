// The level format's value encoding: JSON <-> CaseValue.
#include "judge/case_json.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace clash::internal {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 100;

bool IsDollarForm(const json& j) { return j.size() == 1 && j.begin().key().rfind('$', 0) == 0; }

bool HasDollarKey(const json& j) {
  for (const auto& [key, value] : j.items()) {
    if (!key.empty() && key[0] == '$') return true;
  }
  return false;
}

Result<std::vector<CaseValue>> Items(const json& j, const char* form, const CaseJsonOptions& o, int depth);

// No two equal keys (dicts) or members (sets): Python would have merged them.
Status CheckDistinct(std::vector<CaseValue> values, const char* what) {
  std::sort(values.begin(), values.end(), [](const CaseValue& a, const CaseValue& b) { return CompareCaseValues(a, b) < 0; });
  for (size_t i = 1; i < values.size(); ++i) {
    if (values[i] == values[i - 1]) return Status::InvalidArgument(std::string(what) + " holds the same value twice");
  }
  return Status::Ok();
}

Result<CaseValue> FromJson(const json& j, const CaseJsonOptions& o, int depth);

Result<CaseValue> DollarForm(const std::string& key, const json& v, const CaseJsonOptions& o, int depth) {
  if (key == "$int") {
    if (!v.is_string()) return Status::InvalidArgument("$int takes a string of digits");
    return CaseValue::BigInt(v.get<std::string>());
  }
  if (key == "$float") {
    const std::string s = v.is_string() ? v.get<std::string>() : "";
    if (s == "nan") return CaseValue::Float(std::numeric_limits<double>::quiet_NaN());
    if (s == "inf") return CaseValue::Float(std::numeric_limits<double>::infinity());
    if (s == "-inf") return CaseValue::Float(-std::numeric_limits<double>::infinity());
    return Status::InvalidArgument("$float takes \"nan\", \"inf\" or \"-inf\"");
  }
  if (key == "$raises") {
    if (!o.allow_raises) return Status::InvalidArgument("$raises is only allowed in expected values");
    if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
      return Status::InvalidArgument("$raises takes an exception class name");
    }
    return CaseValue::Raises(v.get<std::string>());
  }
  if (key == "$tuple" || key == "$set" || key == "$frozenset") {
    CLASH_ASSIGN_OR_RETURN(std::vector<CaseValue> items, Items(v, key.c_str(), o, depth));
    if (key == "$tuple") return CaseValue::Tuple(std::move(items));
    CLASH_RETURN_IF_ERROR(CheckDistinct(items, key.c_str()));
    return key == "$set" ? CaseValue::Set(std::move(items)) : CaseValue::FrozenSet(std::move(items));
  }
  if (key == "$dict") {
    if (!v.is_array()) return Status::InvalidArgument("$dict takes a list of [key, value] pairs");
    std::vector<std::pair<CaseValue, CaseValue>> entries;
    std::vector<CaseValue> keys;
    for (const json& e : v) {
      if (!e.is_array() || e.size() != 2) return Status::InvalidArgument("$dict takes a list of [key, value] pairs");
      CLASH_ASSIGN_OR_RETURN(CaseValue k, FromJson(e[0], o, depth + 1));
      CLASH_ASSIGN_OR_RETURN(CaseValue x, FromJson(e[1], o, depth + 1));
      keys.push_back(k);
      entries.emplace_back(std::move(k), std::move(x));
    }
    CLASH_RETURN_IF_ERROR(CheckDistinct(std::move(keys), "$dict"));
    return CaseValue::Dict(std::move(entries));
  }
  return Status::InvalidArgument("unknown encoding " + key);
}

Result<std::vector<CaseValue>> Items(const json& j, const char* form, const CaseJsonOptions& o, int depth) {
  if (!j.is_array()) return Status::InvalidArgument(std::string(form) + " takes a list");
  std::vector<CaseValue> items;
  items.reserve(j.size());
  for (const json& e : j) {
    CLASH_ASSIGN_OR_RETURN(CaseValue v, FromJson(e, o, depth + 1));
    items.push_back(std::move(v));
  }
  return items;
}

Result<CaseValue> FromJson(const json& j, const CaseJsonOptions& o, int depth) {
  if (depth > kMaxDepth) return Status::InvalidArgument("a value is nested deeper than 100 levels");
  switch (j.type()) {
    case json::value_t::null:
      return CaseValue::None();
    case json::value_t::boolean:
      return CaseValue::Bool(j.get<bool>());
    case json::value_t::number_integer:
      return CaseValue::Int(j.get<std::int64_t>());
    case json::value_t::number_unsigned:
      return CaseValue::BigInt(std::to_string(j.get<std::uint64_t>()));
    case json::value_t::number_float:
      return CaseValue::Float(j.get<double>());
    case json::value_t::string:
      return CaseValue::Str(j.get<std::string>());
    case json::value_t::array: {
      CLASH_ASSIGN_OR_RETURN(std::vector<CaseValue> items, Items(j, "a list", o, depth));
      return CaseValue::List(std::move(items));
    }
    case json::value_t::object: {
      if (IsDollarForm(j)) return DollarForm(j.begin().key(), j.begin().value(), o, depth);
      if (!o.convenience_dicts || HasDollarKey(j)) {
        return Status::InvalidArgument("an object must be one of the $ forms ($int, $float, $tuple, $dict, $set, "
                                       "$frozenset" + std::string(o.allow_raises ? ", $raises)" : ")"));
      }
      std::vector<std::pair<CaseValue, CaseValue>> entries;
      for (const auto& [key, value] : j.items()) {
        CLASH_ASSIGN_OR_RETURN(CaseValue v, FromJson(value, o, depth + 1));
        entries.emplace_back(CaseValue::Str(key), std::move(v));
      }
      return CaseValue::Dict(std::move(entries));
    }
    default:
      return Status::InvalidArgument("not a JSON value");
  }
}

json Sequence(const char* form, const std::vector<CaseValue>& items) {
  json a = json::array();
  for (const CaseValue& i : items) a.push_back(CaseValueToJson(i));
  return form == nullptr ? a : json{{form, a}};
}

// Digits of an integer literal that fit the 64-bit form nlohmann reads it into.
bool FitsJsonInteger(std::string_view digits, bool negative) {
  const std::string_view max = negative ? "9223372036854775808" : "18446744073709551615";
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  return digits.size() < max.size() || (digits.size() == max.size() && digits <= max);
}

bool FitsInt64(std::string_view t) {
  const bool negative = t[0] == '-';
  const std::string_view digits = t.substr(negative ? 1 : 0);
  const std::string_view max = negative ? "9223372036854775808" : "9223372036854775807";
  return digits.size() < max.size() || (digits.size() == max.size() && digits <= max);
}

}  // namespace

Result<CaseValue> CaseValueFromJson(const nlohmann::json& j, const CaseJsonOptions& options) {
  return FromJson(j, options, 0);
}

nlohmann::json CaseValueToJson(const CaseValue& v) {
  using Kind = CaseValue::Kind;
  switch (v.kind()) {
    case Kind::kNone:
      return nullptr;
    case Kind::kBool:
      return v.bool_value();
    case Kind::kInt: {
      const std::string& t = v.int_text();
      if (FitsInt64(t)) return std::stoll(t);
      return json{{"$int", t}};
    }
    case Kind::kFloat: {
      const double d = v.float_value();
      if (std::isnan(d)) return json{{"$float", "nan"}};
      if (std::isinf(d)) return json{{"$float", d > 0 ? "inf" : "-inf"}};
      return d;
    }
    case Kind::kStr:
      return v.str();
    case Kind::kRaises:
      return json{{"$raises", v.str()}};
    case Kind::kList:
      return Sequence(nullptr, v.items());
    case Kind::kTuple:
      return Sequence("$tuple", v.items());
    case Kind::kSet:
      return Sequence("$set", v.items());
    case Kind::kFrozenSet:
      return Sequence("$frozenset", v.items());
    case Kind::kDict: {
      json a = json::array();
      for (const auto& [key, value] : v.entries()) a.push_back(json::array({CaseValueToJson(key), CaseValueToJson(value)}));
      return json{{"$dict", a}};
    }
  }
  return nullptr;
}

Status CheckIntegerLiterals(std::string_view text) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) continue;
    size_t end = i + 1;
    while (end < text.size() && std::string_view("0123456789.eE+-").find(text[end]) != std::string_view::npos) ++end;
    std::string_view token = text.substr(i, end - i);
    i = end - 1;
    if (token.find_first_of(".eE") != std::string_view::npos) continue;
    const bool negative = token[0] == '-';
    if (!FitsJsonInteger(token.substr(negative ? 1 : 0), negative)) {
      return Status::InvalidArgument("the integer " + std::string(token.substr(0, 40)) +
                                     " does not fit 64 bits: write it as {\"$int\": \"...\"}");
    }
  }
  return Status::Ok();
}

Result<nlohmann::json> ParseJsonStrict(std::string_view text, const char* what) {
  CLASH_RETURN_IF_ERROR(CheckIntegerLiterals(text));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument(std::string(what) + " is not valid JSON");
  return j;
}

}  // namespace clash::internal

namespace clash {

Result<CaseValue> ParseCaseValueJson(std::string_view text) {
  CLASH_ASSIGN_OR_RETURN(nlohmann::json j, internal::ParseJsonStrict(text, "the value"));
  return internal::CaseValueFromJson(j, {});
}

std::string EncodeCaseValueJson(const CaseValue& value) {
  return internal::CaseValueToJson(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace clash
