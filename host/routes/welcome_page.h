// host/routes/welcome_page.h — what a new user sees at `/` when no web client is served.
//
//   GET /   a small HTML page: version, health (checked when the page is asked for), links to the
//           operator and API pages this host serves, and how to serve the web client.
// Registered only when --web-root is empty (with a web root, `/` is the client's index.html).
#pragma once

#include "clash/engine.h"
#include "http/router.h"

namespace clash::host {

void AddWelcomePage(Router& router, Engine& engine);

}  // namespace clash::host
