// Fuzz target: whole HTTP requests through the host's real router and routes (every JSON request
// decoder of the library behind them) on a real Engine (fuzz_engine.h). The input is a raw request
// as a client sends it; the harness parses it with the host's HTTP/1.1 parser, builds the request
// as the connection does, routes it and runs the handler. Placeholders let the fuzzer pass the
// checks it cannot forge: "Bearer @user" / "Bearer @staff" become real access tokens, a header
// "x-razorpay-signature: @sign" the webhook's HMAC of the body, "x-internal-api-key: @sign" the
// four signed internal-request headers. A handler that throws or answers 500 is a finding: bad
// input must get a 4xx.
#include <cctype>
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "clash/service_auth.h"
#include "common/crypto.h"
#include "fuzz_engine.h"
#include "http/guard.h"
#include "http/http1_parser.h"
#include "http/metrics.h"
#include "http/router.h"
#include "routes/admin_routes.h"
#include "routes/auth_routes.h"
#include "routes/campaign_routes.h"
#include "routes/chat_routes.h"
#include "routes/core_routes.h"
#include "routes/economy_routes.h"
#include "routes/internal_routes.h"
#include "routes/oauth_routes.h"
#include "routes/social_routes.h"

namespace {

using clash::fuzz::SharedEngine;
using clash::host::HttpRequest;
using clash::host::HttpResponse;
using clash::host::RouteMatch;
using clash::host::Router;

const Router& SharedRouter() {
  static Router* router = [] {
    auto* r = new Router();
    clash::Engine& engine = *SharedEngine().engine;
    static clash::host::Metrics metrics;
    static clash::host::RouteContext ctx{engine, clash::host::CallerOptions{}};
    clash::host::AddCoreRoutes(*r, engine, metrics);
    clash::host::AddAuthRoutes(*r, ctx);
    clash::host::AddEconomyRoutes(*r, ctx);
    clash::host::AddStoreRoutes(*r, ctx);
    clash::host::AddPaymentRoutes(*r, ctx);
    clash::host::AddOAuthRoutes(*r, ctx);
    clash::host::AddSocialRoutes(*r, ctx);
    clash::host::AddCampaignRoutes(*r, ctx);
    clash::host::AddCertificateRoutes(*r, ctx);
    clash::host::AddNotificationRoutes(*r, ctx);
    clash::host::AddChatRoutes(*r, ctx);
    clash::host::AddPostRoutes(*r, ctx);
    clash::host::AddAdminRoutes(*r, ctx);
    clash::host::AddInternalRoutes(*r, engine);
    return r;
  }();
  return *router;
}

// Replaces the placeholders described above; returns false if signing refused the request.
bool FillPlaceholders(HttpRequest& req) {
  clash::fuzz::FuzzEngine& fe = SharedEngine();
  std::vector<std::pair<std::string, std::string>> extra;
  for (auto& [name, value] : req.headers) {
    if (name == "authorization" && value == "Bearer @user") value = "Bearer " + fe.user.access_token;
    if (name == "authorization" && value == "Bearer @staff") value = "Bearer " + fe.staff.access_token;
    if (name == "x-razorpay-signature" && value == "@sign") {
      value = clash::internal::HexEncode(clash::internal::HmacSha256(clash::fuzz::kWebhookSecret, req.body));
    }
    if (name == "x-internal-api-key" && value == "@sign") {
      static clash::SeededRng rng(3);
      auto signed_headers = clash::SignServiceRequest(clash::fuzz::kInternalKeyId, clash::fuzz::kInternalSecret,
                                                      req.method, req.target, req.body, fe.clock.Now(), rng);
      if (!signed_headers.ok()) return false;
      value = signed_headers->front().second;
      for (std::size_t i = 1; i < signed_headers->size(); ++i) {
        std::string lower = (*signed_headers)[i].first;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        extra.emplace_back(lower, (*signed_headers)[i].second);
      }
    }
  }
  for (auto& h : extra) req.headers.push_back(std::move(h));
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Router& router = SharedRouter();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  clash::host::http1::RequestHead head;
  clash::host::http1::Error err;
  if (clash::host::http1::ParseRequestHead(input, {}, &head, &err) != clash::host::http1::ParseStatus::kDone) return 0;
  if (!clash::host::http1::IsKnownMethod(head.method)) return 0;
  HttpRequest req;
  req.method = head.method;
  req.target = head.target;
  req.headers = std::move(head.headers);
  req.remote_address = "127.0.0.1:40000";
  // The body: what follows the head (Content-Length is not enforced; the routes see what came).
  req.body = std::string(input.substr(head.head_bytes));
  try {  // as http_connection.cpp decodes the target
    Poco::URI uri(req.target);
    req.path = uri.getPath();
    for (auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
  } catch (const Poco::Exception&) {
    return 0;  // the connection answers 400
  }
  if (req.path.empty()) req.path = "/";
  if (!FillPlaceholders(req)) return 0;
  RouteMatch match = router.Match(req);
  if (match.kind != RouteMatch::Kind::kFound) return 0;
  HttpResponse resp;
  try {
    (*match.handler)(req, resp);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "route %s threw: %s\n", match.pattern.c_str(), e.what());
    __builtin_trap();
  }
  if (resp.status == 500) {
    std::fprintf(stderr, "route %s answered 500: %s\n", match.pattern.c_str(), resp.body.c_str());
    __builtin_trap();
  }
  return 0;
}
