// clash-host: serves libclash over HTTP and WebSockets, and runs admin commands.
//
//   clash-host serve [--storage URL] [--port N] [--web-root DIR] [--load-levels] ...
//   clash-host judge-worker [--storage URL] [--judge-lease-ms N]   judge the storage's judge queue
//   clash-host load-levels [--storage URL] [--levels-dir DIR]
//   clash-host load-store [--storage URL] [--store-catalogue FILE]
//   clash-host backup FILE | restore FILE   SQLite online backup / restore (docs/operations.md)
//   clash-host check-data                  storage integrity and ledger = balances
//   clash-host check-config [options]   validate the options, print the effective values (secrets masked)
//   clash-host validate-levels DIR      authoring checks + mutation score of level folders
//   clash-host version | help
// Every option is also read from CLASH_<NAME> and from --config FILE (docs/configuration.md).
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "clash/clash.h"
#include "clash/engine_config.h"
#include "clash/judge_gateway.h"
#include "clash/judge_queue_gateway.h"
#include "clash/level_validator.h"
#include "host_options.h"
#include "judge_worker_command.h"
#include "http/server.h"
#include "routes/admin_routes.h"
#include "routes/api_docs_routes.h"
#include "routes/auth_routes.h"
#include "routes/campaign_routes.h"
#include "routes/match_routes.h"
#include "routes/core_routes.h"
#include "routes/economy_routes.h"
#include "routes/judge_routes.h"
#include "routes/internal_routes.h"
#include "routes/oauth_routes.h"
#include "routes/social_routes.h"
#include "routes/chat_routes.h"
#include "routes/welcome_page.h"
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

// `--judge remote`: the campaign's judge work goes to the storage's judge queue, over a storage
// connection of its own that the gateway keeps (the engine owns the gateway).
class RemoteJudgeGateway final : public clash::JudgeGateway {
 public:
  static clash::Result<std::unique_ptr<clash::JudgeGateway>> Open(const Config& cfg, int capacity) {
    auto g = std::unique_ptr<RemoteJudgeGateway>(new RemoteJudgeGateway());
    CLASH_ASSIGN_OR_RETURN(g->storage_, clash::OpenStorage(cfg.Get("storage")));
    CLASH_ASSIGN_OR_RETURN(g->queue_, clash::NewStorageJudgeQueue(*g->storage_, clash::Clock::Real(),
                                                                 {.capacity = std::max(1, capacity)}));
    g->inner_ = clash::NewQueueJudgeGateway(*g->queue_);
    return std::unique_ptr<clash::JudgeGateway>(std::move(g));
  }
  Status Submit(clash::JudgeRequest request, Callback done) override { return inner_->Submit(std::move(request), std::move(done)); }
  bool Busy() override { return inner_->Busy(); }
  clash::JudgeLimits MaxLimits() override { return inner_->MaxLimits(); }

 private:
  RemoteJudgeGateway() = default;
  std::unique_ptr<clash::Storage> storage_;
  std::unique_ptr<clash::JudgeQueue> queue_;
  std::unique_ptr<clash::JudgeGateway> inner_;  // last: stops its poller before the queue goes
};

bool RemoteJudge(const Config& cfg) { return cfg.Get("judge") == "remote"; }

clash::Result<std::unique_ptr<clash::Engine>> OpenEngine(const Config& cfg, clash::Logger& logger) {
  CLASH_ASSIGN_OR_RETURN(clash::EngineOptions opts, clash::EngineOptionsFromConfig(cfg));
  opts.logger = &logger;
  if (RemoteJudge(cfg)) {
    CLASH_ASSIGN_OR_RETURN(opts.judge_gateway, RemoteJudgeGateway::Open(cfg, opts.judge.queue));
  }
  // The puzzles shipped with the host unless --puzzles-dir names others.
  if (opts.matches.puzzles_dir.empty()) opts.matches.puzzles_dir = CLASH_DEFAULT_PUZZLES_DIR;
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

// "\rbackup: 42% (1234/2900 pages)" on a terminal; nothing otherwise.
clash::CopyProgressFn TerminalProgress(const char* what) {
  if (isatty(STDERR_FILENO) == 0) return {};
  return [what](const clash::CopyProgress& p) {
    int percent = p.total > 0 ? static_cast<int>(p.done * 100 / p.total) : 100;
    std::fprintf(stderr, "\r%s: %3d%% (%lld/%lld pages)%s", what, percent, static_cast<long long>(p.done),
                 static_cast<long long>(p.total), p.done >= p.total ? "\n" : "");
  };
}

int BackupOrRestore(const Config& cfg, const std::string& command) {
  if (cfg.positional().size() != 2) {
    return Fail(Status::InvalidArgument("usage: clash-host " + command + " FILE [--storage URL]"));
  }
  const std::string& file = cfg.positional()[1];
  Status done = command == "backup"
                    ? clash::BackupStorage(cfg.Get("storage"), file, TerminalProgress("backup"))
                    : clash::RestoreStorage(file, cfg.Get("storage"), TerminalProgress("restore"));
  if (!done.ok()) return Fail(done);
  std::string storage = clash::MaskedConfigValue({"storage"}, cfg.Get("storage"));
  if (command == "backup") {
    std::printf("backup: %s -> %s\n", storage.c_str(), file.c_str());
  } else {
    std::printf("restore: %s -> %s\n", file.c_str(), storage.c_str());
  }
  return 0;
}

// Storage integrity and the ledger against the balances; exit 1 and one line per problem if any.
int CheckData(const Config& cfg, clash::Engine& engine) {
  int problems = 0;
  if (Status integrity = clash::CheckStorageIntegrity(cfg.Get("storage")); !integrity.ok()) {
    std::printf("storage: %s\n", integrity.message().c_str());
    ++problems;
  } else {
    std::printf("storage: ok (%s)\n", std::string(engine.storage().backend_name()).c_str());
  }
  clash::Result<std::vector<clash::BalanceMismatch>> mismatches = engine.ledger().CheckBalances(1000);
  if (!mismatches.ok()) return Fail(mismatches.status());
  for (const clash::BalanceMismatch& m : *mismatches) {
    std::printf("ledger: user %lld has balance %lld but ledger entries summing to %lld\n",
                static_cast<long long>(m.user_id), static_cast<long long>(m.balance),
                static_cast<long long>(m.ledger_sum));
    ++problems;
  }
  if (mismatches->empty()) std::printf("ledger: ok (every balance is the sum of its entries)\n");
  std::printf(problems == 0 ? "data ok\n" : "%d problem(s)\n", problems);
  return problems == 0 ? 0 : 1;
}

// Validates every option the way `serve` reads them, without opening storage or listening, and prints
// the effective values with their sources; secrets are masked (docs/configuration.md).
int CheckConfig(const Config& cfg) {
  clash::Result<clash::EngineOptions> engine_opts = clash::EngineOptionsFromConfig(cfg);
  if (!engine_opts.ok()) return Fail(engine_opts.status());
  clash::Result<clash::host::ServerOptions> server_opts = clash::host::ServerOptionsFrom(cfg);
  if (!server_opts.ok()) return Fail(server_opts.status());
  clash::Result<clash::host::WsOptions> ws_opts = clash::host::WsOptionsFrom(cfg);
  if (!ws_opts.ok()) return Fail(ws_opts.status());
  clash::Result<clash::host::CallerOptions> caller_opts = clash::host::CallerOptionsFrom(cfg);
  if (!caller_opts.ok()) return Fail(caller_opts.status());
  for (const char* key : {"enable_test_routes", "load_levels", "load_store", "access_log"}) {
    clash::Result<bool> flag = cfg.GetBool(key);
    if (!flag.ok()) return Fail(flag.status());
  }
  clash::LogLevel level = clash::LogLevel::kInfo;
  if (!clash::ParseLogLevel(cfg.Get("log_level"), &level)) {
    return Fail(Status::InvalidArgument("log_level must be debug, info, warn or error"));
  }
  std::printf("%s", cfg.Effective(clash::host::HostOptions()).c_str());
  std::printf("configuration ok\n");
  return 0;
}

// Validates a level folder or a directory of them in the sandbox judge (docs/levels.md): one line
// per level on stdout ("python-007 mutants 23/24 killed 95.8%"), a progress line on a terminal's
// stderr; exit 1 if any level fails its checks or stays under 90 %.
int ValidateLevels(const Config& cfg) {
  if (cfg.positional().size() != 2) {
    return Fail(Status::InvalidArgument("usage: clash-host validate-levels DIR (a level folder or a directory of them)"));
  }
  clash::Result<std::unique_ptr<clash::JudgeGateway>> judge = clash::NewSandboxJudgeGateway({}, {.workers = 2});
  if (!judge.ok()) return Fail(judge.status());
  clash::LevelValidator validator(**judge);
  clash::ValidationOptions options;
  const bool tty = isatty(2) != 0;
  if (tty) {
    options.on_progress = [](const clash::ValidationProgress& p) {
      const int width = 30;
      const int filled = p.total > 0 ? width * p.done / p.total : 0;
      std::fprintf(stderr, "\r[%d/%d] %-12s [%s%s] %d/%d", p.level_index + 1, p.level_count, p.slug.c_str(),
                   std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(width - filled), '.').c_str(), p.done, p.total);
      std::fflush(stderr);
    };
  }
  clash::Result<std::vector<clash::LevelReport>> reports = validator.ValidatePath(cfg.positional()[1], options);
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!reports.ok()) return Fail(reports.status());
  int failed = 0;
  for (const clash::LevelReport& r : *reports) {
    std::printf("%s\n", r.Line().c_str());
    for (std::size_t i = 1; i < r.errors.size(); ++i) std::printf("  %s\n", r.errors[i].c_str());
    if (!r.ok) {
      for (const std::string& s : r.survivors) std::printf("  survivor: %s\n", s.c_str());
    }
    failed += r.ok ? 0 : 1;
  }
  std::printf("%zu level(s), %d failed\n", reports->size(), failed);
  return failed == 0 ? 0 : 1;
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
  clash::host::RouteContext route_ctx{engine, *caller_opts};
  clash::host::AddCoreRoutes(router, engine, metrics);
  clash::host::AddAuthRoutes(router, route_ctx);
  clash::host::AddEconomyRoutes(router, route_ctx);
  clash::host::AddStoreRoutes(router, route_ctx);
  clash::host::AddPaymentRoutes(router, route_ctx);
  clash::host::AddOAuthRoutes(router, route_ctx);
  clash::host::AddSocialRoutes(router, route_ctx);
  clash::host::AddCampaignRoutes(router, route_ctx);
  clash::host::AddCertificateRoutes(router, route_ctx);
  clash::host::AddNotificationRoutes(router, route_ctx);
  clash::host::AddChatRoutes(router, route_ctx);
  clash::host::AddMatchRoutes(router, route_ctx);
  clash::host::AddPostRoutes(router, route_ctx);
  clash::host::AddAdminRoutes(router, route_ctx);
  clash::host::AddInternalRoutes(router, engine);
  if (server_opts->web_root.empty()) clash::host::AddWelcomePage(router, engine);
  if (*test_routes) clash::host::AddTestRoutes(router);
#if CLASH_HOST_WITH_JUDGE
  clash::host::AddJudgeRoutes(router, route_ctx);
  if (RemoteJudge(cfg)) {
    logger.Info("judge remote: submissions go to the storage's judge queue for clash-host judge-worker processes");
  } else {
    (void)engine.judge();  // starts the sandbox now, so a judge that cannot start is logged at start-up
  }
#endif
  // Last: the API description covers every route added above (docs/api.md).
  if (Status docs = clash::host::AddApiDocsRoutes(router); !docs.ok()) return Fail(docs);
  if (!engine.payments().configured()) logger.Info("payments disabled: no Razorpay keys; /api/payments/ answers 503");
  logger.Info("rate limits", {{"enabled", engine.rate_limiter() != nullptr},
                              {"limits", engine.rate_limits().ToString()}});

  // HTTP connections and WebSockets share one event loop per core (docs/architecture.md).
  clash::host::net::LoopGroup loops(server_opts->loop_threads);
  loops.Start();
  clash::host::WsHub hub(*ws_opts, loops);
  hub.Start();
  metrics.SetWebSocketGauges([&hub] { return hub.stats().open; }, [&hub] { return hub.stats().opened_total; });
  metrics.SetExtraMetrics([&hub, &engine] {
    return clash::host::ChatMetrics(engine) +
           "# HELP clash_websocket_slow_readers_dropped_total Sockets dropped because their send queue filled.\n"
           "# TYPE clash_websocket_slow_readers_dropped_total counter\n"
           "clash_websocket_slow_readers_dropped_total " + std::to_string(hub.stats().dropped_slow_readers) + "\n";
  });
  bool enable_test = *test_routes;
  // Every socket route refuses (403, before the upgrade) a browser Origin that is not allowed.
  const clash::host::CallerOptions& callers = *caller_opts;
  clash::Engine& eng = engine;
  auto ws_routes = [enable_test, &callers, &eng](const std::string& path) -> std::optional<clash::host::WsSessionFactory> {
    if (auto chat = clash::host::ChatSocketRoute(path, eng, callers)) return chat;
    if (auto match = clash::host::MatchSocketRoute(path, eng, callers)) return match;
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

  clash::host::ServerOptions served = *server_opts;
  served.media_dir = engine.media().local_dir();
  clash::host::HostServer server(served, loops, router, metrics, hub, ws_routes, logger, engine.rng());
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

  // The matches' countdowns and ends (server-side timers; any number of hosts may tick).
  clash::host::MatchTicker match_ticker(engine, std::chrono::milliseconds(250));

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
    std::printf("usage: clash-host serve|load-levels|load-store|create-superuser|validate-levels DIR|check-config|"
                "check-data|backup FILE|restore FILE|judge-worker|version [options]\n\noptions:\n%s",
                Config::Usage(options).c_str());
    return cfg->positional().empty() ? 2 : 0;
  }
  if (command == "validate-levels") return ValidateLevels(*cfg);
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

  if (command == "check-config") return CheckConfig(*cfg);
  if (command == "backup" || command == "restore") return BackupOrRestore(*cfg, command);
  if (command == "judge-worker") return clash::host::RunJudgeWorker(*cfg, logger);
  if (command != "serve" && command != "load-levels" && command != "load-store" && command != "create-superuser" &&
      command != "check-data") {
    return Fail(Status::InvalidArgument("unknown command '" + command + "' (try: clash-host help)"));
  }
  clash::Result<std::unique_ptr<clash::Engine>> engine = OpenEngine(*cfg, logger);
  if (!engine.ok()) return Fail(engine.status());
  if (command == "load-levels") return LoadLevels(*cfg, **engine, logger);
  if (command == "load-store") return LoadStore(*cfg, **engine, logger);
  if (command == "create-superuser") return CreateSuperuser(*cfg, **engine, logger);
  if (command == "check-data") return CheckData(*cfg, **engine);

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
