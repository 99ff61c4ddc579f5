// host/routes/docs/route_docs.h — the RouteDoc tables of each route module (host/http/route_doc.h).
// Adding a route? Add its entry to the module's table here; tests/python/test_api_schema.py fails
// naming every route without one. A new module: a new file and one line in AllRouteDocs().
#pragma once

#include <utility>
#include <vector>

#include "http/route_doc.h"

namespace clash::host::docs {

// Named shapes (`@Name` in a shape), published as components/schemas.
const std::vector<std::pair<const char*, const char*>>& Components();

void AddCoreDocs(std::vector<RouteDoc>& out);      // core, welcome page, API docs, test, internal, judge
void AddAuthDocs(std::vector<RouteDoc>& out);      // auth, OAuth, own profile
void AddCampaignDocs(std::vector<RouteDoc>& out);  // challenges, certificates
void AddEconomyDocs(std::vector<RouteDoc>& out);   // check-in, achievements, referral, XP, store, payments
void AddSocialDocs(std::vector<RouteDoc>& out);    // profiles, follows, posts, notifications, chat
void AddAdminDocs(std::vector<RouteDoc>& out);     // /api/admin/
void AddMatchDocs(std::vector<RouteDoc>& out);     // /api/matches/

}  // namespace clash::host::docs
