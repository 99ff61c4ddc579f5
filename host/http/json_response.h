// host/http/json_response.h — JSON bodies and the one table from library status to HTTP.
#pragma once

#include <nlohmann/json.hpp>

#include "clash/status.h"
#include "http/http_types.h"

namespace clash::host {

// The HTTP status for a library status code (docs/api.md, "Errors"). The only such table.
int HttpStatusFor(StatusCode code);

// Writes `body` as JSON with `status`.
void WriteJson(HttpResponse& response, int status, const nlohmann::json& body);

// Writes {"error": message, ...details} with the mapped status, and Retry-After when the status
// carries one. Internal errors show a generic message: their text is for the log only.
void WriteError(HttpResponse& response, const Status& status);

// The same, with `extra`'s fields added to the body (e.g. the check-in a 400 "Already checked in
// today" refers to).
void WriteError(HttpResponse& response, const Status& status, const nlohmann::json& extra);

// Writes {"error": message} with an explicit HTTP status (for host-level errors: 404 route, 413...).
void WriteError(HttpResponse& response, int http_status, std::string_view message);

}  // namespace clash::host
