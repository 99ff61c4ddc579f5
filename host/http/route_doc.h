// host/http/route_doc.h — what the API description (OpenAPI 3.1 at GET /api/schema/, the page at
// /api/docs/) says about one route. Every route added to the Router needs one entry, in the
// module's table in host/routes/docs/ (tests/python/test_api_schema.py fails naming the routes
// without one, and the entries that match no route).
//
// Shapes are a compact notation turned into JSON Schema (ShapeToSchema):
//   {email: string, otp: string, remember?: boolean}   an object; `?` marks an optional key
//   [ {id: integer, name: string} ]                     an array of that
//   string integer number boolean any object            scalars (`object`: any JSON object)
//   string|null                                         nullable
// A response shape starting with "text/" or "image/" is a media type, not JSON ("text/html").
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "clash/status.h"

namespace clash::host {

struct RouteDoc {
  const char* method;
  const char* pattern;            // exactly as passed to Router::Add
  const char* tag;                // the module: auth, campaign, store, ...
  const char* access;             // public, user (signed in), optional (either), staff, internal, test
  const char* summary;            // one line
  const char* request = "";       // the JSON body's shape; "" for none
  const char* response = "";      // the success body's shape; "" for no body
  int status = 200;               // the success status
  const char* query = "";         // query parameters as an object shape: "{page?: integer}"
};

// The JSON Schema of `shape`; InvalidArgument naming the position of a syntax error.
Result<nlohmann::json> ShapeToSchema(const std::string& shape);

}  // namespace clash::host
