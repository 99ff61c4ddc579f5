#include "routes/judge_routes.h"

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "http/json_response.h"

namespace clash::host {
namespace {

using nlohmann::json;

// The limit fields a caller may set (names as in EncodeJudgeRequest).
constexpr const char* kLimitKeys[] = {"cpu_ms",     "wall_ms",   "memory_bytes", "output_bytes",
                                      "file_bytes", "processes", "open_files"};

// Validates the route's body and turns it into the codec's form; the message of the 400 otherwise.
Result<JudgeRequest> RequestFromBody(const std::string& body_text) {
  json body = json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return Status::InvalidArgument("Request body must be a JSON object.");
  for (const char* key : {"language", "source"}) {
    if (!body.contains(key) || !body[key].is_string() || body[key].get_ref<const std::string&>().empty()) {
      return Status::InvalidArgument(std::string("\"") + key + "\" is required and must be a non-empty string.");
    }
  }
  json codec = {{"language", body["language"]}, {"source", body["source"]}};
  if (body.contains("test_code") && !body["test_code"].is_null()) {
    if (!body["test_code"].is_string()) return Status::InvalidArgument("\"test_code\" must be a string.");
    codec["test_code"] = body["test_code"];
  }
  json cases = json::array();
  if (body.contains("cases") && !body["cases"].is_null()) {
    if (!body["cases"].is_array()) return Status::InvalidArgument("\"cases\" must be a list of [stdin, expected].");
    for (const json& c : body["cases"]) {
      if (!c.is_array() || c.size() != 2 || !c[0].is_string() || !c[1].is_string()) {
        return Status::InvalidArgument("each case must be [stdin, expected] with two strings.");
      }
      cases.push_back({{"name", ""}, {"input", c[0]}, {"expected_output", c[1]}});
    }
  }
  if (!cases.empty() && codec.contains("test_code") && !codec["test_code"].get_ref<const std::string&>().empty()) {
    return Status::InvalidArgument("give either \"test_code\" or \"cases\", not both.");
  }
  codec["cases"] = cases;
  if (body.contains("limits") && !body["limits"].is_null()) {
    if (!body["limits"].is_object()) return Status::InvalidArgument("\"limits\" must be an object.");
    json limits = json::object();
    for (const auto& [key, value] : body["limits"].items()) {
      bool known = false;
      for (const char* k : kLimitKeys) known |= key == k;
      if (!known) return Status::InvalidArgument("unknown limit \"" + key + "\".");
      const bool count = key == "processes" || key == "open_files";  // ints in JudgeLimits
      const std::int64_t max = count ? (1LL << 20) : (1LL << 40);
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > max) {
        return Status::InvalidArgument("limit \"" + key + "\" must be a positive integer (at most " +
                                       std::to_string(max) + ").");
      }
      limits[key] = value;
    }
    codec["limits"] = limits;
  }
  Result<JudgeRequest> request = DecodeJudgeRequest(codec.dump());
  if (!request.ok()) return Status::InvalidArgument("Malformed judge request.");
  return request;
}

}  // namespace

void AddJudgeRoutes(Router& router, RouteContext& ctx) {
  router.Add("POST", "/api/judge/run/",
             Guard(ctx, Access::kStaff, "judge",
                   [&engine = ctx.engine](HttpRequest& req, HttpResponse& resp, const Caller&) {
                     Result<JudgePool*> judge = engine.judge();
                     if (!judge.ok()) {
                       return WriteError(resp, Status::Unavailable("judge unavailable").WithRetryAfter(60));
                     }
                     JudgePool* pool = *judge;
                     std::string type = req.Header("content-type").value_or("");
                     if (type.find("application/json") == std::string::npos) {
                       return WriteError(resp, 415, "Content-Type must be application/json.");
                     }
                     Result<JudgeRequest> request = RequestFromBody(req.body);
                     if (!request.ok()) return WriteError(resp, request.status());
                     // Blocks this HTTP thread while the submission waits and runs; a full queue
                     // answers Unavailable + retry-after at once (503 + Retry-After).
                     Result<JudgeResult> result = pool->Run(std::move(request).value());
                     if (!result.ok()) return WriteError(resp, result.status());
                     resp.status = 200;
                     resp.content_type = "application/json";
                     resp.body = EncodeJudgeResult(*result);
                   }));
}

}  // namespace clash::host
