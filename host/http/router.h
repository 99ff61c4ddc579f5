// host/http/router.h — the routing table: method + path pattern -> handler.
//
// Patterns are literal segments and `{name}` placeholders matching one non-empty segment:
//   router.Add("GET", "/api/challenges/{slug}/", GetChallenge);
// The trailing slash is significant, as in the reference API. When several patterns match, the one
// with the most literal segments wins (`/api/challenges/leaderboard/` beats `/api/challenges/{slug}/`),
// then the first added. A path that matches a pattern under another method yields 405 with an Allow header.
//
// Thread-safety: build the table before serving; Match() is then safe for concurrent use.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_types.h"
#include "http/route_doc.h"

namespace clash::host {

using RouteHandler = std::function<void(HttpRequest&, HttpResponse&)>;

// A route's answer from the event loop, for routes whose answer is often ready in memory (a cached
// rendering, typically set as HttpResponse::shared_body): it returns true if it wrote the response,
// false to run the route's handler on the worker pool as usual. It runs on the loop thread, so it
// must never block (no storage, no outbound calls, only short locks) and must apply every rule
// the handler would (credentials, throttling): when in doubt, it returns false.
using LoopAnswer = std::function<bool(const HttpRequest&, HttpResponse&)>;

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  const RouteHandler* handler = nullptr;
  const LoopAnswer* on_loop = nullptr;  // set if the route has one
  std::string pattern;            // the matched pattern, the metrics label ("/api/challenges/{slug}/")
  std::string allow;              // for kMethodNotAllowed: "GET, POST"
};

class Router {
 public:
  void Add(std::string method, std::string pattern, RouteHandler handler, LoopAnswer on_loop = {});
  // Fills request.path_params on a match.
  RouteMatch Match(HttpRequest& request) const;
  // Whether `pattern` is registered for `method` (exactly as added).
  bool Has(std::string_view method, std::string_view pattern) const;

  // The API description (docs/api.md, GET /api/schema/): attaches each entry of `docs` to the route
  // with its method and pattern; returns "METHOD pattern" of the entries that match no route.
  std::vector<std::string> AttachDocs(const std::vector<RouteDoc>& docs);
  struct RouteInfo {
    std::string method;
    std::string pattern;
    const RouteDoc* doc = nullptr;  // null: undocumented
  };
  // Every route in the order added.
  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    RouteHandler handler;
    LoopAnswer on_loop;
    int literals = 0;
    const RouteDoc* doc = nullptr;
  };
  static bool MatchSegments(const Route& route, const std::vector<std::string_view>& parts,
                            std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

}  // namespace clash::host
