#include "routes/api_docs_routes.h"

#include <memory>
#include <string>

#include "http/json_response.h"
#include "http/openapi.h"
#include "routes/docs/route_docs.h"

namespace clash::host {
namespace {

// The page: fetches /api/schema/ and lists the operations by tag, each with its access, parameters
// and request/response schemas. Plain DOM, no outside script.
constexpr const char* kDocsPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clash API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
details{border:1px solid #ddd;border-radius:4px;margin:.3rem 0;padding:.3rem .6rem}
summary{cursor:pointer}.m{display:inline-block;width:4.5rem;font-weight:bold;font-family:monospace}
.p{font-family:monospace}.a{color:#666;font-size:.85em;margin-left:.5rem}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:.85em}
</style></head><body>
<h1>Clash API</h1>
<p>Generated from the host's route table; the document itself is at <a href="/api/schema/">/api/schema/</a>
(OpenAPI 3.1). Prose: <code>docs/api.md</code>.</p>
<div id="ops">Loading&hellip;</div>
<script>
(function () {
  function el(tag, text, cls) { var e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; }
  fetch('/api/schema/').then(function (r) { return r.json(); }).then(function (doc) {
    var root = document.getElementById('ops'); root.textContent = '';
    var byTag = {};
    Object.keys(doc.paths).sort().forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method]; var tag = (op.tags || ['undocumented'])[0];
        (byTag[tag] = byTag[tag] || []).push([method, path, op]);
      });
    });
    Object.keys(byTag).sort().forEach(function (tag) {
      root.appendChild(el('h2', tag));
      byTag[tag].forEach(function (item) {
        var d = el('details'), s = el('summary');
        s.appendChild(el('span', item[0].toUpperCase(), 'm')); s.appendChild(el('span', item[1], 'p'));
        s.appendChild(el('span', ' ' + (item[2].summary || ''))); s.appendChild(el('span', item[2]['x-access'] || '', 'a'));
        d.appendChild(s);
        var body = {};
        ['parameters', 'requestBody', 'responses'].forEach(function (k) { if (item[2][k]) body[k] = item[2][k]; });
        d.appendChild(el('pre', JSON.stringify(body, null, 2)));
        root.appendChild(d);
      });
    });
  }).catch(function (e) { document.getElementById('ops').textContent = 'Cannot load /api/schema/: ' + e; });
})();
</script></body></html>
)html";

}  // namespace

const std::vector<RouteDoc>& AllRouteDocs() {
  static const std::vector<RouteDoc> kDocs = [] {
    std::vector<RouteDoc> out;
    docs::AddCoreDocs(out);
    docs::AddAuthDocs(out);
    docs::AddCampaignDocs(out);
    docs::AddEconomyDocs(out);
    docs::AddSocialDocs(out);
    docs::AddAdminDocs(out);
    docs::AddMatchDocs(out);
    return out;
  }();
  return kDocs;
}

Status AddApiDocsRoutes(Router& router) {
  auto document = std::make_shared<std::string>();
  router.Add("GET", "/api/schema/", [document](HttpRequest&, HttpResponse& resp) {
    resp.content_type = "application/json";
    resp.SetHeader("Cache-Control", "public, max-age=60");
    resp.body = *document;
  });
  router.Add("GET", "/api/docs/", [](HttpRequest&, HttpResponse& resp) {
    resp.content_type = "text/html; charset=utf-8";
    resp.body = kDocsPage;
  });
  std::vector<std::string> stale;
  for (const std::string& entry : router.AttachDocs(AllRouteDocs())) {
    if (entry.find(" /api/test/") == std::string::npos) stale.push_back(entry);  // only with --enable-test-routes
  }
  CLASH_ASSIGN_OR_RETURN(nlohmann::json doc, OpenApiDocument(router, stale, docs::Components(), CLASH_VERSION));
  *document = doc.dump();
  return Status::Ok();
}

}  // namespace clash::host
