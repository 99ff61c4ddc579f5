#include "routes/welcome_page.h"

#include <string>
#include <utility>
#include <vector>

namespace clash::host {
namespace {

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Pages linked from `/` when this host serves them: {path, what it is}.
const std::vector<std::pair<std::string, std::string>>& Links() {
  static const std::vector<std::pair<std::string, std::string>> kLinks = {
      {"/api/docs/", "API documentation"},
      {"/api/schema/", "OpenAPI document"},
      {"/arena/", "Arena: play a match"},
      {"/health/", "Health (JSON)"},
      {"/ready/", "Readiness (JSON)"},
      {"/metrics", "Metrics (Prometheus)"},
      {"/api/challenges/", "Campaign levels (JSON)"},
  };
  return kLinks;
}

}  // namespace

void AddWelcomePage(Router& router, Engine& engine) {
  router.Add("GET", "/", [&router, &engine](HttpRequest&, HttpResponse& resp) {
    bool healthy = true;
    std::string checks;
    for (const HealthCheck& c : engine.CheckHealth()) {
      healthy = healthy && c.ok;
      checks += "<li>" + Escape(c.name) + ": " + (c.ok ? "ok" : "error: " + Escape(c.detail)) + "</li>";
    }
    std::string links;
    for (const auto& [path, label] : Links()) {
      if (router.Has("GET", path)) links += "<li><a href=\"" + path + "\">" + Escape(label) + "</a></li>";
    }
    resp.content_type = "text/html; charset=utf-8";
    resp.body =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Clash</title>"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.5}code{background:#eee;padding:0 .2rem}</style></head><body>"
        "<h1>Clash</h1><p>clash-host " CLASH_VERSION " on <code>" +
        Escape(engine.storage().backend_name()) + "</code> storage: <strong>" +
        (healthy ? "healthy" : "unhealthy") + "</strong></p><ul>" + checks +
        "</ul><h2>Pages</h2><ul>" + links +
        "</ul><h2>The web client</h2><p>This host serves the API only. To serve the web client from the "
        "same origin, build it and start the host with <code>clash-host serve --web-root DIR</code> (the "
        "built files; unknown paths fall back to <code>index.html</code>). See "
        "<code>docs/configuration.md</code>.</p></body></html>";
  });
}

}  // namespace clash::host
