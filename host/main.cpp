// clash-host: serves libclash over HTTP and WebSockets, and runs admin commands.
//
//   clash-host serve [--storage URL] [--port N] [--web-root DIR] [--load-levels] ...
//   clash-host load-levels [--storage URL] [--levels-dir DIR]
//   clash-host load-store [--storage URL] [--store-catalogue FILE]
//   clash-host version | help
// Every option is also read from CLASH_<NAME> and from --config FILE (docs/configuration.md).
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "clash/clash.h"
#include "host_options.h"
#include "http/server.h"
#include "routes/auth_routes.h"
#include "routes/core_routes.h"
#include "routes/economy_routes.h"
#include "routes/judge_routes.h"
#include "routes/internal_routes.h"
#include "routes/oauth_routes.h"  // OAuth login
#include "ws/echo_session.h"

namespace {

using clash::Config;
using clash::Status;

int Fail(const Status& s) {
  std::fprintf(stderr, "clash-host: %s\n", s.ToString().c_str());
  return s.code() == clash::StatusCode::kInvalidArgument ? 2 : 1;
}

void RaiseFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

clash::Result<std::unique_ptr<clash::Engine>> OpenEngine(const Config& cfg, clash::Logger& logger) {
  clash::EngineOptions opts;
  opts.storage_url = cfg.Get("storage");
  opts.logger = &logger;
  opts.data_dir = cfg.Get("data_dir");
  opts.auth.secret_key = cfg.Get("secret_key");
  opts.auth.mail_from = cfg.Get("mail_from");
  if (!cfg.Get("jwt_private_key_file").empty() || !cfg.Get("jwt_private_key").empty()) {
    clash::TokenKeys keys;
    for (const std::string& file : clash::host::SplitList(cfg.Get("jwt_verify_key_files"))) {
      CLASH_RETURN_IF_ERROR(keys.AddVerificationKeyFile(file));
    }
    if (!cfg.Get("jwt_private_key_file").empty()) {
      CLASH_RETURN_IF_ERROR(keys.AddSigningKeyFile(cfg.Get("jwt_private_key_file")));
    } else {
      CLASH_RETURN_IF_ERROR(keys.AddSigningKeyPem(cfg.Get("jwt_private_key")));
    }
    opts.token_keys = std::move(keys);
  }
  if (!cfg.Get("smtp_host").empty()) {
    clash::SmtpOptions smtp;
    smtp.host = cfg.Get("smtp_host");
    CLASH_ASSIGN_OR_RETURN(std::int64_t port, cfg.GetInt("smtp_port"));
    smtp.port = static_cast<int>(port);
    smtp.username = cfg.Get("smtp_username");
    smtp.password = cfg.Get("smtp_password");
    CLASH_ASSIGN_OR_RETURN(smtp.starttls, cfg.GetBool("smtp_starttls"));
    smtp.from = cfg.Get("mail_from");
    CLASH_ASSIGN_OR_RETURN(opts.mailer, clash::NewSmtpMailer(std::move(smtp)));
  }
  // The economy: the check-in zone and freeze cap, and Razorpay (secrets from the environment).
  CLASH_ASSIGN_OR_RETURN(opts.check_in, clash::host::CheckInOptionsFrom(cfg));
  opts.razorpay = clash::host::RazorpayOptionsFrom(cfg);
  return clash::Engine::Open(std::move(opts));
}

int CreateSuperuser(const Config& cfg, clash::Engine& engine, clash::Logger& logger) {
  std::string password;
  if (const char* env = std::getenv("CLASH_SUPERUSER_PASSWORD"); env != nullptr && *env != '\0') {
    password = env;
  } else {
    std::getline(std::cin, password);
  }
  clash::Result<clash::User> user = engine.auth().CreateSuperuser(cfg.Get("username"), cfg.Get("email"), password);
  if (!user.ok()) return Fail(user.status());
  logger.Info("superuser created", {{"user_id", user->id}, {"username", user->username}});
  return 0;
}

int LoadLevels(const Config& cfg, clash::Engine& engine, clash::Logger& logger) {
  clash::Result<int> n = engine.catalogue().LoadFromDirectory(cfg.Get("levels_dir"));
  if (!n.ok()) return Fail(n.status());
  logger.Info("levels loaded", {{"count", *n}, {"dir", cfg.Get("levels_dir")}});
  return 0;
}

int LoadStore(const Config& cfg, clash::Engine& engine, clash::Logger& logger) {
  clash::Result<int> n = engine.shop().LoadCatalogue(cfg.Get("store_catalogue"));
  if (!n.ok()) return Fail(n.status());
  logger.Info("store catalogue loaded", {{"count", *n}, {"file", cfg.Get("store_catalogue")}});
  return 0;
}

int Serve(const Config& cfg, clash::Engine& engine, clash::Logger& logger) {
  clash::Result<clash::host::ServerOptions> server_opts = clash::host::ServerOptionsFrom(cfg);
  if (!server_opts.ok()) return Fail(server_opts.status());
  clash::Result<clash::host::WsOptions> ws_opts = clash::host::WsOptionsFrom(cfg);
  if (!ws_opts.ok()) return Fail(ws_opts.status());
  clash::Result<bool> test_routes = cfg.GetBool("enable_test_routes");
  if (!test_routes.ok()) return Fail(test_routes.status());
  clash::Result<clash::host::CallerOptions> caller_opts = clash::host::CallerOptionsFrom(cfg);
  if (!caller_opts.ok()) return Fail(caller_opts.status());
  clash::Result<bool> rate_limits = cfg.GetBool("rate_limits");
  if (!rate_limits.ok()) return Fail(rate_limits.status());
  std::unique_ptr<clash::RateLimiter> limiter;
  if (*rate_limits) {
    if (cfg.Get("redis_url").empty()) {
      limiter = clash::NewInProcessRateLimiter(engine.clock());
    } else {
      clash::Result<std::unique_ptr<clash::RateLimiter>> redis =
          clash::NewRedisRateLimiter(cfg.Get("redis_url"), engine.clock());
      if (!redis.ok()) return Fail(redis.status());
      limiter = std::move(redis).value();
    }
  }

  // Block the stop signals in every thread we start; the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  RaiseFileLimit();

  clash::host::Metrics metrics;
  clash::host::Router router;
  clash::host::RouteContext route_ctx{engine, limiter.get(), *caller_opts};
  clash::host::AddCoreRoutes(router, engine, metrics);
  clash::host::AddAuthRoutes(router, route_ctx);
  clash::host::AddEconomyRoutes(router, route_ctx);
  clash::host::AddStoreRoutes(router, route_ctx);
  clash::host::AddPaymentRoutes(router, route_ctx);
  if (!engine.payments().configured()) logger.Info("payments disabled: no Razorpay keys; /api/payments/ answers 503");
  // --- OAuth login (routes/oauth_routes.h): providers without a client id answer 503 ---
  clash::Result<std::unique_ptr<clash::HttpClient>> oauth_http = clash::NewHttpClient({});
  if (!oauth_http.ok()) return Fail(oauth_http.status());
  clash::Result<std::unique_ptr<clash::OAuthLogin>> oauth = clash::host::NewOAuthLogin(cfg, engine, **oauth_http);
  if (!oauth.ok()) return Fail(oauth.status());
  clash::host::AddOAuthRoutes(router, route_ctx, oauth->get());
  // --- end OAuth ---
  std::unique_ptr<clash::ServiceRequestVerifier> service_verifier;
  if (!cfg.Get("internal_api_keys").empty()) {
    clash::ServiceAuthOptions service_opts;
    for (const std::string& pair : clash::host::SplitList(cfg.Get("internal_api_keys"))) {
      std::size_t colon = pair.find(':');
      if (colon == std::string::npos || colon == 0) {
        return Fail(Status::InvalidArgument("internal_api_keys entries must be key_id:secret"));
      }
      service_opts.keys[pair.substr(0, colon)] = pair.substr(colon + 1);
    }
    clash::Result<std::unique_ptr<clash::ServiceRequestVerifier>> verifier =
        clash::ServiceRequestVerifier::Create(std::move(service_opts), engine.clock());
    if (!verifier.ok()) return Fail(verifier.status());
    service_verifier = std::move(verifier).value();
  }
  clash::host::AddInternalRoutes(router, engine, service_verifier.get());
  if (*test_routes) clash::host::AddTestRoutes(router);
#if CLASH_HOST_WITH_JUDGE
  // The judge (docs/judge.md): a pool in front of the sandbox judge; without a sandbox the
  // judge routes answer 503. Declared before the server, so it outlives every request.
  clash::Result<clash::host::HostJudge> judge = clash::host::StartHostJudge(cfg, logger);
  if (!judge.ok()) return Fail(judge.status());
  clash::host::AddJudgeRoutes(router, route_ctx, judge->pool.get());
#endif

  // HTTP connections and WebSockets share one event loop per core (docs/architecture.md).
  clash::host::net::LoopGroup loops(server_opts->loop_threads);
  loops.Start();
  clash::host::WsHub hub(*ws_opts, loops);
  hub.Start();
  metrics.SetWebSocketGauges([&hub] { return hub.stats().open; }, [&hub] { return hub.stats().opened_total; });
  bool enable_test = *test_routes;
  // Every socket route refuses (403, before the upgrade) a browser Origin that is not allowed.
  const clash::host::CallerOptions& callers = *caller_opts;
  auto ws_routes = [enable_test, &callers](const std::string& path) -> std::optional<clash::host::WsSessionFactory> {
    if (enable_test && path == "/ws/test/echo") {
      return clash::host::WsSessionFactory(
          [&callers](const Poco::Net::HTTPServerRequest& req) -> std::shared_ptr<clash::host::WsSessionHandler> {
            std::optional<std::string> origin;
            if (req.has("Origin")) origin = req.get("Origin");
            if (!clash::host::WebSocketOriginAllowed(origin, req.getHost(), callers)) return nullptr;
            return std::make_shared<clash::host::EchoSession>();
          });
    }
    return std::nullopt;
  };

  clash::host::HostServer server(*server_opts, loops, router, metrics, hub, ws_routes, logger, engine.rng());
  try {
    server.Start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "clash-host: %s\n", e.what());
    return 1;
  }
  std::printf("listening on http://%s:%d\n", server_opts->bind_host.c_str(), server.port());
  std::fflush(stdout);
  logger.Info("serving", {{"port", server.port()}, {"storage", std::string(engine.storage().backend_name())},
                          {"web_root", server_opts->web_root}});

  int sig = 0;
  sigwait(&stop_signals, &sig);
  logger.Info("shutting down", {{"signal", sig}, {"in_flight", server.in_flight()}});
  server.Shutdown();
  hub.Stop();
  loops.Stop();
  logger.Info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const auto& options = clash::host::HostOptions();
  clash::Result<Config> cfg = Config::Load(options, args, Config::ProcessEnv());
  if (!cfg.ok()) return Fail(cfg.status());
  std::string command = cfg->positional().empty() ? "help" : cfg->positional()[0];
  if (command == "help" || command == "--help") {
    std::printf("usage: clash-host serve|load-levels|load-store|create-superuser|version [options]\n\noptions:\n%s",
                Config::Usage(options).c_str());
    return cfg->positional().empty() ? 2 : 0;
  }
  if (command == "version") {
    std::printf("clash-host %s\n", CLASH_VERSION);
    return 0;
  }
  clash::LogLevel level = clash::LogLevel::kInfo;
  if (!clash::ParseLogLevel(cfg->Get("log_level"), &level)) {
    return Fail(Status::InvalidArgument("log_level must be debug, info, warn or error"));
  }
  auto sink = clash::NewFdLogSink(2);
  clash::Logger logger(*sink, clash::Clock::Real(), level);

  if (command != "serve" && command != "load-levels" && command != "load-store" && command != "create-superuser") {
    return Fail(Status::InvalidArgument("unknown command '" + command + "' (try: clash-host help)"));
  }
  clash::Result<std::unique_ptr<clash::Engine>> engine = OpenEngine(*cfg, logger);
  if (!engine.ok()) return Fail(engine.status());
  if (command == "load-levels") return LoadLevels(*cfg, **engine, logger);
  if (command == "load-store") return LoadStore(*cfg, **engine, logger);
  if (command == "create-superuser") return CreateSuperuser(*cfg, **engine, logger);

  clash::Result<bool> load = cfg->GetBool("load_levels");
  if (!load.ok()) return Fail(load.status());
  if (*load) {
    int rc = LoadLevels(*cfg, **engine, logger);
    if (rc != 0) return rc;
  }
  clash::Result<bool> load_store = cfg->GetBool("load_store");
  if (!load_store.ok()) return Fail(load_store.status());
  if (*load_store) {
    int rc = LoadStore(*cfg, **engine, logger);
    if (rc != 0) return rc;
  }
  return Serve(*cfg, **engine, logger);
}
