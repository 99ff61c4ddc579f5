// JSON forms of JudgeRequest and JudgeResult, for queue backends and the clash-judge tool.
#include <nlohmann/json.hpp>

#include "clash/judge.h"

namespace clash {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json LimitsToJson(const JudgeLimits& l) {
  return {{"cpu_ms", l.cpu_time.count()}, {"wall_ms", l.wall_time.count()},
          {"memory_bytes", l.memory_bytes}, {"output_bytes", l.output_bytes},
          {"file_bytes", l.file_bytes},     {"processes", l.processes},
          {"open_files", l.open_files}};
}

JudgeLimits LimitsFromJson(const json& j) {
  JudgeLimits d;
  JudgeLimits l;
  l.cpu_time = std::chrono::milliseconds(j.value("cpu_ms", d.cpu_time.count()));
  l.wall_time = std::chrono::milliseconds(j.value("wall_ms", d.wall_time.count()));
  l.memory_bytes = j.value("memory_bytes", d.memory_bytes);
  l.output_bytes = j.value("output_bytes", d.output_bytes);
  l.file_bytes = j.value("file_bytes", d.file_bytes);
  l.processes = j.value("processes", d.processes);
  l.open_files = j.value("open_files", d.open_files);
  return l;
}

Result<json> Parse(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::InvalidArgument("judge: malformed JSON");
  return j;
}

}  // namespace

std::string EncodeJudgeRequest(const JudgeRequest& r) {
  json cases = json::array();
  for (const IoCase& c : r.cases) {
    cases.push_back({{"name", c.name}, {"input", c.input}, {"expected_output", c.expected_output}});
  }
  return Dump({{"language", r.language}, {"source", r.source}, {"test_code", r.test_code},
               {"cases", cases}, {"limits", LimitsToJson(r.limits)}});
}

Result<JudgeRequest> DecodeJudgeRequest(std::string_view text) {
  CLASH_ASSIGN_OR_RETURN(json j, Parse(text));
  JudgeRequest r;
  try {
    r.language = j.at("language").get<std::string>();
    r.source = j.at("source").get<std::string>();
    r.test_code = j.value("test_code", std::string());
    for (const json& c : j.value("cases", json::array())) {
      r.cases.push_back({c.value("name", std::string()), c.at("input").get<std::string>(),
                         c.at("expected_output").get<std::string>()});
    }
    if (j.contains("limits")) r.limits = LimitsFromJson(j.at("limits"));
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("judge: malformed request: ") + e.what());
  }
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
                          {"actual_output", f.actual_output}};
  }
  return Dump(j);
}

Result<JudgeResult> DecodeJudgeResult(std::string_view text) {
  CLASH_ASSIGN_OR_RETURN(json j, Parse(text));
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
                                   f.value("actual_output", std::string())};
    }
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("judge: malformed result: ") + e.what());
  }
  return r;
}

}  // namespace clash
