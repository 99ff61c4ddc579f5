// clash/engine.h — the entry point for embedders: one Engine owns storage and every module.
//
// Open an Engine with a storage URL (or a Storage you built), then reach each domain module through
// it. Time, randomness and logging are injected through EngineOptions so tests control them. The
// engine builds everything a server needs from the same options (the rate limiter, the OAuth login,
// the internal-request verifier, the judge pool), so clash-host, the Python module and embedders
// share one wiring and one set of defaults; EngineOptionsFromConfig (clash/engine_config.h) reads
// them from flags, environment and config files.
//
// Thread-safety: Engine and its modules are safe for concurrent use.
//
// Example:
//   clash::EngineOptions opts;
//   opts.storage_url = "sqlite:///var/lib/clash/clash.db";
//   CLASH_ASSIGN_OR_RETURN(std::unique_ptr<clash::Engine> engine, clash::Engine::Open(std::move(opts)));
//   CLASH_ASSIGN_OR_RETURN(auto levels, engine->catalogue().List());
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clash/achievements.h"
#include "clash/admin.h"
#include "clash/auth.h"
#include "clash/campaign.h"
#include "clash/catalogue.h"
#include "clash/clock.h"
#include "clash/economy.h"
#include "clash/events.h"
#include "clash/export.h"
#include "clash/judge.h"
#include "clash/judge_gateway.h"
#include "clash/log.h"
#include "clash/chat.h"
#include "clash/media.h"
#include "clash/notifications.h"
#include "clash/oauth.h"
#include "clash/payments.h"
#include "clash/pubsub.h"
#include "clash/ratelimit.h"
#include "clash/retrieval.h"
#include "clash/service_auth.h"
#include "clash/rng.h"
#include "clash/shop.h"
#include "clash/social.h"
#include "clash/status.h"
#include "clash/storage.h"
#include "clash/tasks.h"
#include "clash/matches.h"
#include "clash/tokens.h"
#include "clash/transport.h"

namespace clash {

struct EngineOptions {
  // Used when `storage` is null; see OpenStorage() for the forms.
  std::string storage_url = "sqlite://clash.db";
  // A ready storage (tests wrap one to inject faults). Takes precedence over storage_url.
  std::unique_ptr<Storage> storage;
  Clock* clock = &Clock::Real();
  Rng* rng = &Rng::Secure();
  Logger* logger = &Logger::Default();

  // Where the embedded default keeps what it generates on first run: the token signing key
  // (keys/), the secret that keys OTP hashes (secret.key) and, without a mailer, the mail outbox
  // (outbox/). Created with owner-only permissions.
  std::string data_dir = "clash-data";
  // Token keys. Empty: TokenKeys::LoadOrCreate(data_dir + "/keys").
  std::optional<TokenKeys> token_keys;
  // Mail transport. Null: a file outbox in data_dir + "/outbox".
  std::unique_ptr<Mailer> mailer;
  // Lifetimes and limits; auth.secret_key empty means: read or create data_dir + "/secret.key".
  AuthOptions auth;
  // Daily check-in: the time zone every date is decided in, and the freeze cap.
  CheckInOptions check_in;
  // Razorpay keys (empty: the payment endpoints answer Unavailable).
  RazorpayOptions razorpay;
  // Outbound HTTP (Razorpay, OAuth providers). Null: NewHttpClient().
  std::unique_ptr<HttpClient> http_client;
  // Live delivery between the parts of the platform (notification and chat sockets). Null:
  // NewInProcessPubSub(), which reaches this process only; several hosts share a Redis one.
  std::unique_ptr<PubSub> pubsub;
  // When `pubsub` is null: redis://host:port[/db] opens NewRedisPubSub (several hosts); empty:
  // NewInProcessPubSub().
  std::string pubsub_url;
  // Chat rooms, resume window, presence (clash/chat.h).
  ChatOptions chat;
  // Pushes to devices through FCM (empty service account: pushes skipped, sockets still served).
  FcmOptions fcm;
  // Where uploaded images go. A ready store wins; else an S3-compatible bucket when s3.bucket is
  // set; else the local directory `local_dir` (empty: data_dir + "/media"), served by the host
  // under /media/.
  struct Media {
    std::unique_ptr<MediaStore> store;
    std::string local_dir;
    S3MediaOptions s3;
    ImageLimits limits;
  } media;

  // Throttles: whether the limits apply, where they are counted (in process, or a Redis shared by
  // every host), and the limit of each scope (RateLimitPolicy: defaults plus overrides).
  struct RateLimiting {
    bool enabled = true;
    std::string redis_url;             // redis://host:port[/db]; empty: in process
    RateLimitPolicy policy;
  } rate_limits;
  // Signed internal requests (clash/service_auth.h): key id -> secret (>= 16 bytes). Empty: no
  // verifier, and internal routes refuse every request.
  std::map<std::string, std::string> internal_api_keys;
  // GitHub and Google login. A provider without a client id answers Unavailable. An empty
  // state_secret is replaced by a random one (hosts behind one load balancer must share one).
  OAuthOptions oauth;
  // The sandbox judge and the pool in front of it, started on first use of Engine::judge().
  struct Judging {
    bool enabled = true;
    int workers = 0;                   // submissions judged at once (0-256; 0: one per core)
    int queue = 64;                    // waiting beyond those (0-100000); full: Unavailable + retry
    SandboxJudgeOptions sandbox;
  } judge;
  // The campaign (clash/campaign.h): trusting client results (insecure, off), when to queue
  // submissions, the certificate key, the public URL; and what answers hints and reviews (null: the
  // authored hints and the offline static reviewer).
  CampaignOptions campaign;
  std::unique_ptr<HintProvider> hint_provider;
  std::unique_ptr<CodeReviewer> code_reviewer;
  // Where the campaign's judge work goes. Null: the engine's judge pool (judge()).
  std::unique_ptr<JudgeGateway> judge_gateway;
  // Multiplayer matches (clash/matches.h): the puzzle folder, timers, matchmaking bands, XP.
  MatchesOptions matches;
  // The AI tutor's retrieval index (clash/retrieval.h), kept current by every level change: the
  // embedder of its vectors ("hash": the offline hash-v1; "openai": the client below, over
  // http_client), or a ready one in `custom`; the concept notes indexed at open (empty: none).
  struct Retrieval {
    bool enabled = true;
    std::string embedder = "hash";
    OpenAiEmbedderOptions openai;
    std::shared_ptr<Embedder> custom;
    std::string notes_dir;
    RetrievalOptions options;
  } retrieval;
};

// One dependency's state, for /health/.
struct HealthCheck {
  std::string name;   // "database"
  bool ok = false;
  std::string detail; // "ok" or a short reason that never holds exception or driver text
};

class CLASH_EXPORT Engine {
 public:
  // Opens storage (applying migrations) and builds the modules. Errors are OpenStorage()'s.
  static Result<std::unique_ptr<Engine>> Open(EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Catalogue& catalogue() { return *catalogue_; }
  Auth& auth() { return *auth_; }
  Events& events() { return *events_; }
  Ledger& ledger() { return *ledger_; }
  CheckIns& check_ins() { return *check_ins_; }
  Referrals& referrals() { return *referrals_; }
  Shop& shop() { return *shop_; }
  Payments& payments() { return *payments_; }
  Achievements& achievements() { return *achievements_; }
  // The learning campaign: progress, submissions, hints, reviews, certificates, leaderboard.
  Campaign& campaign() { return *campaign_; }
  // Background tasks users poll (queued submissions; later the AI tutor's work).
  Tasks& tasks() { return *tasks_; }
  // Multiplayer matches: lobbies, timers (Tick), submissions, results (clash/matches.h).
  Matches& matches() { return *matches_; }
  // The judge as the campaign reaches it (the pool of judge(), started on first use).
  JudgeGateway& judge_gateway() { return *judge_gateway_; }
  // Live delivery: notifications are published on "notify:user:<id>" after their transaction commits.
  PubSub& pubsub() { return *pubsub_; }
  Notifications& notifications() { return *notifications_; }
  // Public profiles, follows, suggestions and the contributions heatmap.
  Social& social() { return *social_; }
  // Chat rooms and the notification sockets (clash/chat.h).
  Chat& chat() { return *chat_; }
  // Where uploaded images are stored (clash/media.h).
  MediaStore& media() { return *media_; }
  // The admin console (clash/admin.h).
  Admin& admin() { return *admin_; }
  // The login flows of GitHub and Google.
  OAuthLogin& oauth() { return *oauth_; }
  // The AI tutor's retrieval index, or null when options.retrieval.enabled is false.
  RetrievalIndex* retrieval() { return retrieval_.get(); }
  // The limiter of every throttle, or null when rate limits are off.
  RateLimiter* rate_limiter() { return rate_limiter_.get(); }
  // The limit of each throttle scope.
  const RateLimitPolicy& rate_limits() const { return rate_limit_policy_; }
  // The verifier of signed internal requests, or null when no internal keys are configured.
  ServiceRequestVerifier* service_verifier() { return service_verifier_.get(); }
  // The judge pool, started on the first call (the sandbox's self-test runs then). Unavailable
  // ("judge disabled") when options.judge.enabled is false; FailedPrecondition with the sandbox's
  // reason when it cannot start (code never runs unsandboxed); the same error on later calls.
  Result<JudgePool*> judge();
  Storage& storage() { return *storage_; }
  Clock& clock() { return *clock_; }
  Rng& rng() { return *rng_; }
  Logger& logger() { return *logger_; }

  // Checks every dependency; all ok means healthy.
  std::vector<HealthCheck> CheckHealth();

 private:
  Engine() = default;
  Status StartJudge();
  Status OpenRetrieval(EngineOptions::Retrieval options);
  Status OpenCampaign(EngineOptions options, const std::filesystem::path& data_dir, const TimeZone& time_zone);

  std::unique_ptr<Storage> storage_;
  Clock* clock_ = nullptr;
  Rng* rng_ = nullptr;
  Logger* logger_ = nullptr;
  // Declared before the modules, so it outlives every subscription they hold.
  std::unique_ptr<PubSub> pubsub_;
  std::unique_ptr<Catalogue> catalogue_;
  TokenKeys token_keys_;
  std::unique_ptr<Mailer> mailer_;
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<MediaStore> media_;
  std::unique_ptr<Admin> admin_;
  std::unique_ptr<HttpClient> http_client_;
  // After http_client_ (its embedder may use it) and the catalogue (which calls it).
  std::unique_ptr<RetrievalIndex> retrieval_;
  std::unique_ptr<Events> events_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<CheckIns> check_ins_;
  std::unique_ptr<Referrals> referrals_;
  std::unique_ptr<Shop> shop_;
  std::unique_ptr<Payments> payments_;
  std::unique_ptr<Achievements> achievements_;
  std::unique_ptr<Tasks> tasks_;
  std::unique_ptr<JudgeGateway> judge_gateway_;
  std::unique_ptr<HintProvider> hint_provider_;
  std::unique_ptr<CodeReviewer> code_reviewer_;
  std::optional<CertificateKey> certificate_key_;
  std::unique_ptr<Campaign> campaign_;
  std::unique_ptr<Matches> matches_;
  std::unique_ptr<Notifications> notifications_;
  std::unique_ptr<Social> social_;
  std::unique_ptr<OAuthLogin> oauth_;
  RateLimitPolicy rate_limit_policy_;
  std::unique_ptr<RateLimiter> rate_limiter_;
  std::unique_ptr<ServiceRequestVerifier> service_verifier_;
  EngineOptions::Judging judge_options_;
  std::mutex judge_mu_;
  bool judge_started_ = false;
  Status judge_status_;
  std::unique_ptr<Judge> judge_;
  std::unique_ptr<JudgePool> judge_pool_;
  // Last: destroyed first (it uses the pubsub, auth, the limiter and the notifications).
  std::unique_ptr<Chat> chat_;
};

}  // namespace clash
