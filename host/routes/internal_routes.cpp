#include "routes/internal_routes.h"

#include <nlohmann/json.hpp>

#include "http/json_response.h"

namespace clash::host {

void AddInternalRoutes(Router& router, Engine& engine) {
  router.Add("GET", "/api/challenges/internal-list/", [&engine](HttpRequest& req, HttpResponse& resp) {
    ServiceRequestVerifier* verifier = engine.service_verifier();
    if (verifier == nullptr) return WriteError(resp, 403, "Internal API is not configured.");
    auto header = [&req](std::string_view name) {
      std::string lower(name);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return req.Header(lower);
    };
    Status s = verifier->Verify(header, req.method, req.target, req.body);
    if (!s.ok()) return WriteError(resp, 403, "Unauthorized");
    Result<std::vector<Level>> levels = engine.catalogue().List();
    if (!levels.ok()) return WriteError(resp, levels.status());
    nlohmann::json out = nlohmann::json::array();
    for (const Level& summary : *levels) {
      Result<Level> l = engine.catalogue().GetForJudging(summary.slug);
      if (!l.ok()) return WriteError(resp, l.status());
      out.push_back({{"id", l->id},
                     {"slug", l->slug},
                     {"title", l->title},
                     {"order", l->order},
                     {"description", l->description},
                     {"initial_code", l->initial_code},
                     {"test_code", l->test_code},
                     // Every case as data (public and hidden), for the AI service.
                     {"cases", nlohmann::json::parse(l->secrets.cases_json, nullptr, false)},
                     {"stage", l->stage},
                     {"topics", l->topics},
                     {"created_for_user", l->created_for_user ? nlohmann::json(*l->created_for_user)
                                                              : nlohmann::json(nullptr)},
                     {"solution", l->secrets.solution},
                     {"hints", l->secrets.hints},
                     {"xp_reward", l->xp_reward},
                     {"time_limit", l->time_limit_seconds},
                     {"target_time_seconds", l->target_time_seconds}});
    }
    WriteJson(resp, 200, out);
  });
}

}  // namespace clash::host
