// host/http/openapi.h — the OpenAPI 3.1 document of a Router, generated from its routes and the
// RouteDoc attached to each (GET /api/schema/). A route without a RouteDoc appears with
// `x-undocumented: true`; RouteDocs matching no route are listed in `x-stale-docs`.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "clash/status.h"
#include "http/route_doc.h"
#include "http/router.h"

namespace clash::host {

// `components`: named shapes ({"User", "{id: integer, ...}"}), referred to as `@User`.
// InvalidArgument if a shape does not parse or names an undefined component.
Result<nlohmann::json> OpenApiDocument(const Router& router, const std::vector<std::string>& stale_docs,
                                       const std::vector<std::pair<const char*, const char*>>& components,
                                       const std::string& version);

}  // namespace clash::host
