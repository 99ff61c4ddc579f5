#include "judge/python_runner.h"

#include <nlohmann/json.hpp>

#include "judge/case_json.h"

namespace clash::internal {
std::vector<std::string> PythonRunnerArgv(const std::string& python_path) {
  // -I: no environment, no user site, no script dir on sys.path. -S: no site (third-party packages
  // are not offered to submissions; it also trims interpreter start). -B: no .pyc writes.
  return {python_path, "-I", "-S", "-B", "-c", std::string(PythonHarness()) + "\n_clash_job()\n"};
}

std::string EncodePythonJob(PythonMode mode, std::string_view source, std::string_view tests,
                            const JudgeLimits& limits, std::string_view nonce) {
  // "key value" header lines, a blank line, then the code and test bytes back to back.
  std::string job;
  job.reserve(256 + source.size() + tests.size());
  auto field = [&job](std::string_view key, const std::string& value) {
    job.append(key).append(" ").append(value).append("\n");
  };
  field("nonce", std::string(nonce));
  field("mode", mode == PythonMode::kSuite ? "suite" : mode == PythonMode::kStdin ? "stdin" : "data");
  field("cpu_ms", std::to_string(limits.cpu_time.count()));
  field("memory", std::to_string(limits.memory_bytes));
  field("nproc", std::to_string(limits.processes));
  field("fsize", std::to_string(limits.file_bytes));
  field("nofile", std::to_string(limits.open_files));
  job.append("code ").append(std::to_string(source.size())).append("\n\n");
  job.append(source).append(tests);
  return job;
}

namespace {

bool ParseCaseRecord(std::string_view line, const nlohmann::json& j, std::vector<CaseReport>& cases) {
  auto index = j.find("index");
  if (index == j.end() || !index->is_number_integer() || index->get<std::int64_t>() != static_cast<std::int64_t>(cases.size())) {
    return false;
  }
  CaseReport c;
  c.error = j.value("error", std::string());
  if (auto bad = j.find("unencodable"); bad != j.end()) {
    if (!bad->is_string() || j.contains("value")) return false;
    c.unencodable = bad->get<std::string>();
    c.op = j.value("op", 0);
    cases.push_back(std::move(c));
    return true;
  }
  auto value = j.find("value");
  if (value == j.end() || !CheckIntegerLiterals(line).ok()) return false;
  Result<CaseValue> v = CaseValueFromJson(*value, {.allow_raises = true});
  if (!v.ok()) return false;
  c.returned = true;
  c.value = std::move(v).value();
  cases.push_back(std::move(c));
  return true;
}

}  // namespace

RunnerReport ParseRunnerReport(std::string_view control, std::string_view nonce) {
  RunnerReport r;
  size_t pos = 0;
  while (pos < control.size()) {
    size_t end = control.find('\n', pos);
    if (end == std::string_view::npos) break;  // an incomplete last line is never trusted
    std::string_view line = control.substr(pos, end - pos);
    pos = end + 1;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || j.value("nonce", std::string()) != nonce) continue;
    std::string event = j.value("event", std::string());
    if (event == "start" && !r.started) {
      r.started = true;
      r.base_cpu_ms = j.value("cpu_ms", std::int64_t{0});
    } else if (event == "case") {
      // In order, once each, before the result, and well-formed: anything else means the
      // player's code wrote to the channel.
      if (!r.started || r.finished || !ParseCaseRecord(line, j, r.cases)) r.corrupt = true;
    } else if (event == "result" && r.started && !r.finished) {
      r.finished = true;
      r.status = j.value("status", std::string());
      r.message = j.value("message", std::string());
      r.index = j.value("index", 0);
      r.line = j.value("line", 0);
      r.test = j.value("test", std::string());
      r.passed = j.value("passed", 0);
      r.total = j.value("total", 0);
    }
  }
  return r;
}

}  // namespace clash::internal
