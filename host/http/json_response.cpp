#include "http/json_response.h"

namespace clash::host {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kFailedPrecondition: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kInsufficientFunds: return 402;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kAborted: return 409;
    case StatusCode::kPayloadTooLarge: return 413;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kInternal: return 500;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDeadlineExceeded: return 504;
  }
  return 500;
}

void WriteJson(HttpResponse& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void WriteError(HttpResponse& response, const Status& status) {
  WriteError(response, status, nlohmann::json::object());
}

void WriteError(HttpResponse& response, const Status& status, const nlohmann::json& extra) {
  nlohmann::json body = nlohmann::json::object();
  bool internal = status.code() == StatusCode::kInternal;
  body["error"] = internal ? "Internal server error" : status.message();
  if (!internal) {
    for (const StatusDetail& d : status.details()) {
      std::visit([&](const auto& v) { body[d.key] = v; }, d.value);
    }
    for (const auto& [key, value] : extra.items()) body[key] = value;
  }
  if (auto retry = status.retry_after_seconds()) response.SetHeader("Retry-After", std::to_string(*retry));
  WriteJson(response, HttpStatusFor(status.code()), body);
}

void WriteError(HttpResponse& response, int http_status, std::string_view message) {
  WriteJson(response, http_status, nlohmann::json{{"error", std::string(message)}});
}

}  // namespace clash::host
