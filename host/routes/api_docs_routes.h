// host/routes/api_docs_routes.h — the API description.
//
//   GET /api/schema/   the OpenAPI 3.1 document (JSON) generated from the route table and the
//                      RouteDoc tables in host/routes/docs/ (host/http/openapi.h)
//   GET /api/docs/     an HTML page listing every operation of that document (rendered in the
//                      browser from /api/schema/, no outside script)
#pragma once

#include "clash/status.h"
#include "http/router.h"

namespace clash::host {

// Every RouteDoc this host knows (host/routes/docs/*.cpp).
const std::vector<RouteDoc>& AllRouteDocs();

// Adds both routes and attaches AllRouteDocs() to the router's routes. Call it after every other
// route is added. InvalidArgument if a RouteDoc's shape does not parse.
Status AddApiDocsRoutes(Router& router);

}  // namespace clash::host
