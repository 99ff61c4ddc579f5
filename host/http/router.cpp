#include "http/router.h"

#include <algorithm>

namespace clash::host {
namespace {

// "/a/b/" -> {"a", "b", ""}: the trailing empty segment keeps the trailing slash significant.
template <typename Out>
void Split(std::string_view path, std::vector<Out>* out) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::size_t start = 0;
  for (;;) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      out->emplace_back(path.substr(start));
      return;
    }
    out->emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

std::optional<std::string> HttpRequest::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

void Router::Add(std::string method, std::string pattern, RouteHandler handler, LoopAnswer on_loop) {
  Route route{std::move(method), std::move(pattern), {}, std::move(handler), std::move(on_loop), 0};
  Split(route.pattern, &route.segments);
  for (const std::string& seg : route.segments) route.literals += !(seg.size() > 2 && seg.front() == '{');
  routes_.push_back(std::move(route));
}

bool Router::MatchSegments(const Route& route, const std::vector<std::string_view>& parts,
                           std::map<std::string, std::string>* params) {
  if (route.segments.size() != parts.size()) return false;
  // Compare first; build the parameters only for the chosen route (Match tries every route).
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (parts[i].empty()) return false;
    } else if (seg != parts[i]) {
      return false;
    }
  }
  if (params == nullptr) return true;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      found[seg.substr(1, seg.size() - 2)] = std::string(parts[i]);
    }
  }
  *params = std::move(found);
  return true;
}

RouteMatch Router::Match(HttpRequest& request) const {
  std::vector<std::string_view> parts;
  Split(std::string_view(request.path), &parts);
  RouteMatch result;
  std::vector<std::string> allowed;
  std::string method = request.method == "HEAD" ? "GET" : request.method;
  const Route* best = nullptr;
  int best_literals = -1;
  for (const Route& route : routes_) {
    if (route.method == method) {
      if (route.literals > best_literals && MatchSegments(route, parts, nullptr)) {
        best = &route;
        best_literals = route.literals;
      }
    } else if (MatchSegments(route, parts, nullptr)) {
      if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) allowed.push_back(route.method);
      result.pattern = route.pattern;
    }
  }
  if (best != nullptr) {
    MatchSegments(*best, parts, &request.path_params);
    result.kind = RouteMatch::Kind::kFound;
    result.handler = &best->handler;
    result.on_loop = best->on_loop ? &best->on_loop : nullptr;
    result.pattern = best->pattern;
    result.allow.clear();
    return result;
  }
  if (!allowed.empty()) {
    result.kind = RouteMatch::Kind::kMethodNotAllowed;
    for (std::size_t i = 0; i < allowed.size(); ++i) result.allow += (i ? ", " : "") + allowed[i];
  }
  return result;
}

std::vector<std::string> Router::AttachDocs(const std::vector<RouteDoc>& docs) {
  std::vector<std::string> stale;
  for (const RouteDoc& d : docs) {
    bool found = false;
    for (Route& r : routes_) {
      if (r.method == d.method && r.pattern == d.pattern) {
        r.doc = &d;
        found = true;
      }
    }
    if (!found) stale.push_back(std::string(d.method) + " " + d.pattern);
  }
  return stale;
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& r : routes_) out.push_back(RouteInfo{r.method, r.pattern, r.doc});
  return out;
}

bool Router::Has(std::string_view method, std::string_view pattern) const {
  for (const Route& r : routes_) {
    if (r.method == method && r.pattern == pattern) return true;
  }
  return false;
}

}  // namespace clash::host
