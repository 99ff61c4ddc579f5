// JSON forms of JudgeRequest and JudgeResult: the one request decoder (HTTP, Python, queue rows)
// and the stable encodings queue backends store.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "clash/judge.h"
#include "judge/case_json.h"
#include "judge/limit_fields.h"

namespace clash {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json LimitsToJson(const JudgeLimits& l) {
  json j = json::object();
  for (const internal::LimitField& f : internal::kLimitFields) j[f.key] = f.get(l);
  return j;
}

Result<json> Parse(std::string_view text, const char* what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::InvalidArgument(std::string(what) + " must be a JSON object");
  return j;
}

// The field `key` of `j` if present and not null.
const json* Optional(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

Result<std::int64_t> LimitValue(const std::string& key, const json& v, std::int64_t lo, std::int64_t hi) {
  const bool integer = v.is_number_integer() &&
                       !(v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi));
  if (!integer || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi) {
    return Status::InvalidArgument("limit \"" + key + "\" must be an integer from " + std::to_string(lo) +
                                   " to " + std::to_string(hi));
  }
  return v.get<std::int64_t>();
}

Result<JudgeLimits> ParseLimits(const json* j, const JudgeLimits& max) {
  JudgeLimits limits;
  const JudgeLimits min = MinJudgeLimits();
  for (const internal::LimitField& f : internal::kLimitFields) {
    f.set(limits, std::min(f.get(limits), f.get(max)));
  }
  if (j == nullptr) return limits;
  if (!j->is_object()) return Status::InvalidArgument("\"limits\" must be an object");
  for (const auto& [key, value] : j->items()) {
    const internal::LimitField* field = nullptr;
    for (const internal::LimitField& f : internal::kLimitFields) {
      if (key == f.key) field = &f;
    }
    if (field == nullptr) return Status::InvalidArgument("unknown limit \"" + key + "\"");
    CLASH_ASSIGN_OR_RETURN(std::int64_t v, LimitValue(key, value, field->get(min), field->get(max)));
    field->set(limits, v);
  }
  return limits;
}

Result<IoCase> ParseCase(const json& c) {
  if (c.is_array() && c.size() == 2 && c[0].is_string() && c[1].is_string()) {
    return IoCase{"", c[0].get<std::string>(), c[1].get<std::string>()};
  }
  const json* name = c.is_object() ? Optional(c, "name") : nullptr;
  if (c.is_object() && c.contains("input") && c["input"].is_string() && c.contains("expected_output") &&
      c["expected_output"].is_string() && (name == nullptr || name->is_string())) {
    return IoCase{name != nullptr ? name->get<std::string>() : "", c["input"].get<std::string>(),
                  c["expected_output"].get<std::string>()};
  }
  return Status::InvalidArgument(
      "each case must be [stdin, expected] or {name, input, expected_output} with strings");
}

Result<JudgeRequest> ParseRequest(const json& j, const JudgeLimits& max) {
  JudgeRequest r;
  for (auto [key, out] : {std::pair{"language", &r.language}, std::pair{"source", &r.source}}) {
    const json* v = Optional(j, key);
    if (v == nullptr || !v->is_string() || v->get_ref<const std::string&>().empty()) {
      return Status::InvalidArgument(std::string("\"") + key + "\" is required and must be a non-empty string");
    }
    *out = v->get<std::string>();
  }
  if (const json* tests = Optional(j, "test_code")) {
    if (!tests->is_string()) return Status::InvalidArgument("\"test_code\" must be a string");
    r.test_code = tests->get<std::string>();
  }
  if (const json* cases = Optional(j, "cases")) {
    if (!cases->is_array()) return Status::InvalidArgument("\"cases\" must be a list");
    for (const json& c : *cases) {
      CLASH_ASSIGN_OR_RETURN(IoCase parsed, ParseCase(c));
      r.cases.push_back(std::move(parsed));
    }
  }
  if (const json* data = Optional(j, "data_cases")) {
    Result<DataCases> cases = internal::DataCasesFromJson(*data);
    if (!cases.ok()) return Status::InvalidArgument("\"data_cases\": " + cases.status().message());
    r.data_cases = std::move(cases).value();
  }
  if (!r.test_code.empty() + !r.cases.empty() + r.data_cases.has_value() > 1) {
    return Status::InvalidArgument("give only one of \"test_code\", \"cases\" and \"data_cases\"");
  }
  CLASH_ASSIGN_OR_RETURN(r.limits, ParseLimits(Optional(j, "limits"), max));
  return r;
}

// An encoded value (text) as a JSON value of the result: readable in HTTP answers; null if empty.
json Embedded(const std::string& encoded) {
  if (encoded.empty()) return nullptr;
  json j = json::parse(encoded, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? json(encoded) : j;
}

std::string Unembedded(const json& f, const char* key) {
  auto it = f.find(key);
  return it == f.end() || it->is_null() ? std::string() : Dump(*it);
}

}  // namespace

Result<JudgeRequest> ParseJudgeRequestJson(std::string_view text, const JudgeLimits& max) {
  if (!internal::CheckIntegerLiterals(text).ok()) {
    return Status::InvalidArgument("a judge request holds an integer beyond 64 bits (write it as {\"$int\": \"...\"})");
  }
  CLASH_ASSIGN_OR_RETURN(json j, Parse(text, "a judge request"));
  return ParseRequest(j, max);
}

std::string EncodeJudgeRequest(const JudgeRequest& r) {
  json cases = json::array();
  for (const IoCase& c : r.cases) {
    cases.push_back({{"name", c.name}, {"input", c.input}, {"expected_output", c.expected_output}});
  }
  json j = {{"language", r.language}, {"source", r.source}, {"test_code", r.test_code},
            {"cases", cases}, {"limits", LimitsToJson(r.limits)}};
  if (r.data_cases) j["data_cases"] = internal::DataCasesToJson(*r.data_cases);
  return Dump(j);
}

Result<JudgeRequest> DecodeJudgeRequest(std::string_view text) {
  constexpr std::int64_t kInt = std::numeric_limits<int>::max();
  constexpr std::int64_t kBig = std::numeric_limits<std::int64_t>::max();
  const JudgeLimits unbounded{std::chrono::milliseconds(kBig), std::chrono::milliseconds(kBig), kBig, kBig,
                              kBig, static_cast<int>(kInt), static_cast<int>(kInt)};
  Result<JudgeRequest> r = ParseJudgeRequestJson(text, unbounded);
  if (!r.ok()) return Status::InvalidArgument("judge: malformed request: " + r.status().message());
  return r;
}

std::string EncodeJudgeResult(const JudgeResult& r) {
  json j = {{"verdict", VerdictName(r.verdict)}, {"message", r.message},
            {"stderr_excerpt", r.stderr_excerpt}, {"compile_output", r.compile_output},
            {"tests_passed", r.tests_passed},     {"tests_total", r.tests_total},
            {"cpu_ms", r.cpu_time.count()},       {"wall_ms", r.wall_time.count()},
            {"memory_bytes", r.memory_bytes}};
  if (r.first_failure) {
    const FailedCase& f = *r.first_failure;
    j["first_failure"] = {{"index", f.index},     {"name", f.name},
                          {"message", f.message}, {"line", f.line},
                          {"input", f.input},     {"expected_output", f.expected_output},
                          {"actual_output", f.actual_output}, {"public", f.is_public},
                          {"args", Embedded(f.args)}, {"expected", Embedded(f.expected)},
                          {"actual", Embedded(f.actual)}};
  }
  json cases = json::array();
  for (const CaseResult& c : r.case_results) cases.push_back({{"passed", c.passed}, {"public", c.is_public}});
  j["case_results"] = std::move(cases);
  j["stdout_excerpt"] = r.stdout_excerpt;
  return Dump(j);
}

Result<JudgeResult> DecodeJudgeResult(std::string_view text) {
  CLASH_ASSIGN_OR_RETURN(json j, Parse(text, "a judge result"));
  JudgeResult r;
  try {
    CLASH_ASSIGN_OR_RETURN(r.verdict, ParseVerdict(j.at("verdict").get<std::string>()));
    r.message = j.value("message", std::string());
    r.stderr_excerpt = j.value("stderr_excerpt", std::string());
    r.compile_output = j.value("compile_output", std::string());
    r.tests_passed = j.value("tests_passed", 0);
    r.tests_total = j.value("tests_total", 0);
    r.cpu_time = std::chrono::milliseconds(j.value("cpu_ms", std::int64_t{0}));
    r.wall_time = std::chrono::milliseconds(j.value("wall_ms", std::int64_t{0}));
    r.memory_bytes = j.value("memory_bytes", std::int64_t{0});
    if (j.contains("first_failure")) {
      const json& f = j.at("first_failure");
      r.first_failure = FailedCase{f.value("index", 0), f.value("name", std::string()),
                                   f.value("message", std::string()), f.value("line", 0),
                                   f.value("input", std::string()),
                                   f.value("expected_output", std::string()),
                                   f.value("actual_output", std::string()),
                                   f.value("public", false), Unembedded(f, "args"),
                                   Unembedded(f, "expected"), Unembedded(f, "actual")};
    }
    for (const json& c : j.value("case_results", json::array())) {
      r.case_results.push_back({c.value("passed", false), c.value("public", false)});
    }
    r.stdout_excerpt = j.value("stdout_excerpt", std::string());
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("judge: malformed result: ") + e.what());
  }
  return r;
}

}  // namespace clash
