#include "clash/engine.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/judge_gateway_internal.h"

namespace clash {
namespace {

namespace fs = std::filesystem;

// Reads `path`, or writes 32 random bytes (hex) there with mode 0600 on first run.
Result<std::string> LoadOrCreateSecret(const fs::path& path, Rng& rng) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || (st.st_mode & 077) != 0) {
      return Status::FailedPrecondition("secret file " + path.string() + " must be readable by its owner only");
    }
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string secret = ss.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.size() < 32) return Status::FailedPrecondition("secret file " + path.string() + " is too short");
    return secret;
  }
  fs::create_directories(path.parent_path(), ec);
  fs::permissions(path.parent_path(), fs::perms::owner_all, ec);
  std::string secret = rng.HexToken(32);
  fs::path tmp = path.string() + ".tmp-" + rng.HexToken(4);
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Status::Unavailable("cannot write secret file in " + path.parent_path().string());
    out << secret << "\n";
  }
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, ec);
  fs::rename(tmp, path, ec);
  if (ec) return Status::Unavailable("cannot write secret file " + path.string());
  return secret;
}

Status ValidateJudging(const EngineOptions::Judging& judge) {
  if (judge.workers < 0 || judge.workers > 256) {
    return Status::InvalidArgument("judge workers must be 0-256 (0: one per core)");
  }
  if (judge.queue < 0 || judge.queue > 100'000) return Status::InvalidArgument("judge queue must be 0-100000");
  return Status::Ok();
}

}  // namespace

Status Engine::OpenRetrieval(EngineOptions::Retrieval options) {
  if (!options.enabled) return Status::Ok();
  std::shared_ptr<Embedder> embedder = std::move(options.custom);
  if (!embedder && options.embedder == "hash") {
    embedder = NewHashEmbedder();
  } else if (!embedder && options.embedder == "openai") {
    CLASH_ASSIGN_OR_RETURN(std::unique_ptr<Embedder> client, NewOpenAiEmbedder(options.openai, *http_client_));
    embedder = std::move(client);
  } else if (!embedder) {
    return Status::InvalidArgument("retrieval embedder must be hash or openai");
  }
  CLASH_ASSIGN_OR_RETURN(retrieval_, RetrievalIndex::Open(*storage_, std::move(embedder), *logger_, options.options));
  if (!options.notes_dir.empty()) {
    CLASH_ASSIGN_OR_RETURN(int notes, retrieval_->LoadNotes(options.notes_dir));
    logger_->Info("tutor notes indexed", {{"count", notes}, {"dir", options.notes_dir}});
  }
  catalogue_->SetIndexer(retrieval_.get());
  return Status::Ok();
}

Result<std::unique_ptr<Engine>> Engine::Open(EngineOptions options) {
  std::unique_ptr<Engine> engine(new Engine());
  if (options.storage) {
    engine->storage_ = std::move(options.storage);
  } else {
    CLASH_ASSIGN_OR_RETURN(engine->storage_, OpenStorage(options.storage_url));
  }
  engine->clock_ = options.clock ? options.clock : &Clock::Real();
  engine->rng_ = options.rng ? options.rng : &Rng::Secure();
  engine->logger_ = options.logger ? options.logger : &Logger::Default();
  if (options.pubsub) {
    engine->pubsub_ = std::move(options.pubsub);
  } else if (!options.pubsub_url.empty()) {
    RedisPubSubOptions redis;
    redis.logger = engine->logger_;
    CLASH_ASSIGN_OR_RETURN(engine->pubsub_, NewRedisPubSub(options.pubsub_url, std::move(redis)));
  } else {
    engine->pubsub_ = NewInProcessPubSub();
  }
  engine->catalogue_ = std::make_unique<Catalogue>(*engine->storage_, *engine->clock_);

  const fs::path data_dir = options.data_dir.empty() ? fs::path("clash-data") : fs::path(options.data_dir);
  if (options.token_keys) {
    engine->token_keys_ = std::move(*options.token_keys);
  } else {
    CLASH_ASSIGN_OR_RETURN(engine->token_keys_, TokenKeys::LoadOrCreate(data_dir / "keys", *engine->rng_));
  }
  if (engine->token_keys_.signing_kid().empty()) {
    return Status::FailedPrecondition("token keys have no signing key");
  }
  if (options.mailer) {
    engine->mailer_ = std::move(options.mailer);
  } else {
    FileOutboxOptions outbox;
    outbox.clock = engine->clock_;
    engine->mailer_ = NewFileOutboxMailer((data_dir / "outbox").string(), outbox);
  }
  AuthOptions auth = options.auth;
  CLASH_ASSIGN_OR_RETURN(auth.otp_per_mailbox, options.rate_limits.policy.Limit("otp_email"));
  if (auth.secret_key.empty()) {
    CLASH_ASSIGN_OR_RETURN(auth.secret_key, LoadOrCreateSecret(data_dir / "secret.key", *engine->rng_));
  } else if (auth.secret_key.size() < 32) {
    return Status::InvalidArgument("auth secret key must have at least 32 characters");
  }
  engine->auth_ = std::make_unique<Auth>(*engine->storage_, *engine->clock_, *engine->rng_, *engine->logger_,
                                         *engine->mailer_, engine->token_keys_, std::move(auth));

  Storage& storage = *engine->storage_;
  Clock& clock = *engine->clock_;
  engine->events_ = std::make_unique<Events>(storage, clock);
  engine->ledger_ = std::make_unique<Ledger>(storage, clock);
  const TimeZone time_zone = options.check_in.time_zone;
  engine->check_ins_ =
      std::make_unique<CheckIns>(storage, clock, *engine->rng_, *engine->events_, std::move(options.check_in));
  engine->referrals_ = std::make_unique<Referrals>(storage, clock, *engine->rng_);
  engine->shop_ = std::make_unique<Shop>(storage, clock);
  engine->achievements_ = std::make_unique<Achievements>(storage, clock, *engine->events_);
  CLASH_RETURN_IF_ERROR(engine->achievements_->SyncCatalogue());
  if (options.http_client) {
    engine->http_client_ = std::move(options.http_client);
  } else {
    CLASH_ASSIGN_OR_RETURN(engine->http_client_, NewHttpClient());
  }
  CLASH_RETURN_IF_ERROR(engine->OpenRetrieval(std::move(options.retrieval)));
  CLASH_ASSIGN_OR_RETURN(engine->notifications_,
                         Notifications::Create(storage, clock, *engine->pubsub_, *engine->logger_,
                                               engine->http_client_.get(), std::move(options.fcm)));
  if (options.media.store) {
    engine->media_ = std::move(options.media.store);
  } else if (!options.media.s3.bucket.empty()) {
    CLASH_ASSIGN_OR_RETURN(engine->media_,
                           NewS3MediaStore(std::move(options.media.s3), *engine->http_client_, clock));
  } else {
    LocalMediaOptions local;
    local.dir = options.media.local_dir.empty() ? (data_dir / "media").string() : options.media.local_dir;
    CLASH_ASSIGN_OR_RETURN(engine->media_, NewLocalMediaStore(std::move(local)));
  }
  SocialOptions social;
  social.image_limits = options.media.limits;
  social.time_zone = engine->check_ins_->options().time_zone;
  engine->social_ = std::make_unique<Social>(storage, clock, *engine->rng_, *engine->events_, *engine->notifications_,
                                             *engine->media_, std::move(social));
  engine->admin_ = std::make_unique<Admin>(storage, clock, *engine->notifications_, *engine->shop_);
  engine->payments_ = std::make_unique<Payments>(storage, clock, *engine->logger_, engine->http_client_.get(),
                                                 std::move(options.razorpay));

  OAuthOptions oauth = std::move(options.oauth);
  if (oauth.state_secret.empty()) oauth.state_secret = engine->rng_->HexToken(32);
  CLASH_ASSIGN_OR_RETURN(engine->oauth_, OAuthLogin::Create(*engine->auth_, *engine->http_client_, clock,
                                                            *engine->rng_, std::move(oauth)));

  engine->rate_limit_policy_ = options.rate_limits.policy;
  if (options.rate_limits.enabled) {
    if (options.rate_limits.redis_url.empty()) {
      engine->rate_limiter_ = NewInProcessRateLimiter(clock);
    } else {
      CLASH_ASSIGN_OR_RETURN(engine->rate_limiter_, NewRedisRateLimiter(options.rate_limits.redis_url, clock));
    }
  }
  if (!options.internal_api_keys.empty()) {
    ServiceAuthOptions service;
    service.keys = std::move(options.internal_api_keys);
    CLASH_ASSIGN_OR_RETURN(engine->service_verifier_, ServiceRequestVerifier::Create(std::move(service), clock));
  }
  // Access that ends (block, logout) closes sockets on every host.
  PubSub* pubsub = engine->pubsub_.get();
  engine->auth_->SetAccessRevokedListener([pubsub](const AccessRevoked& r) {
    (void)pubsub->Publish(kAccessRevokedTopic, EncodeAccessRevoked(r));
  });
  ChatDeps chat{.storage = storage, .clock = clock, .rng = *engine->rng_, .logger = *engine->logger_,
                .pubsub = *engine->pubsub_, .auth = *engine->auth_, .limiter = engine->rate_limiter_.get(),
                .policy = engine->rate_limit_policy_, .notifications = engine->notifications_.get()};
  CLASH_ASSIGN_OR_RETURN(engine->chat_, Chat::Create(chat, std::move(options.chat)));
  CLASH_RETURN_IF_ERROR(ValidateJudging(options.judge));
  engine->judge_options_ = std::move(options.judge);
  CLASH_RETURN_IF_ERROR(engine->OpenCampaign(std::move(options), data_dir, time_zone));
  return engine;
}

Status Engine::OpenCampaign(EngineOptions options, const std::filesystem::path& data_dir, const TimeZone& time_zone) {
  tasks_ = std::make_unique<Tasks>(*storage_, *clock_, *rng_, options.campaign.tasks);
  judge_gateway_ = options.judge_gateway ? std::move(options.judge_gateway)
                                         : internal::NewLazyPoolGateway([this] { return judge(); }, judge_options_.workers);
  hint_provider_ = options.hint_provider ? std::move(options.hint_provider) : NewAuthoredHints();
  code_reviewer_ = options.code_reviewer ? std::move(options.code_reviewer) : NewStaticReviewer(*judge_gateway_);
  const std::string key_file = options.campaign.certificate_key_file.empty()
                                   ? (data_dir / "certificate-ed25519.key").string()
                                   : options.campaign.certificate_key_file;
  CLASH_ASSIGN_OR_RETURN(CertificateKey key, CertificateKey::LoadOrCreate(key_file, *rng_));
  certificate_key_ = std::move(key);
  campaign_ = std::make_unique<Campaign>(CampaignDeps{.storage = *storage_,
                                                      .clock = *clock_,
                                                      .rng = *rng_,
                                                      .logger = *logger_,
                                                      .catalogue = *catalogue_,
                                                      .events = *events_,
                                                      .tasks = *tasks_,
                                                      .judge = *judge_gateway_,
                                                      .hints = *hint_provider_,
                                                      .reviewer = *code_reviewer_,
                                                      .certificate_key = *certificate_key_,
                                                      .time_zone = time_zone},
                                         std::move(options.campaign));
  matches_ = std::make_unique<Matches>(*storage_, *clock_, *rng_, *judge_gateway_, pubsub_.get(), events_.get(),
                                       std::move(options.matches));
  return Status::Ok();
}

Result<JudgePool*> Engine::judge() {
  std::lock_guard lock(judge_mu_);
  if (!judge_started_) {
    judge_status_ = StartJudge();
    judge_started_ = true;
    if (judge_status_.ok()) {
      const JudgePoolStats stats = judge_pool_->Stats();  // workers: the machine's cores when 0 was asked
      logger_->Info("judge ready", {{"workers", stats.workers}, {"queue", stats.queue_capacity}});
    } else if (judge_options_.enabled) {
      logger_->Error("judge unavailable: the sandbox cannot start; no code is run",
                     {{"reason", judge_status_.ToString()}});
    }
  }
  if (!judge_status_.ok()) return judge_status_;
  return judge_pool_.get();
}

Status Engine::StartJudge() {
  if (!judge_options_.enabled) return Status::Unavailable("judge disabled");
#if CLASH_WITH_JUDGE
  // The sandbox keeps its own clock (SandboxJudgeOptions::clock, real by default): wall-time limits
  // are measured on it, so an engine under a FakeClock still judges correctly.
  Result<std::unique_ptr<Judge>> judge = NewSandboxJudge(judge_options_.sandbox);
  if (!judge.ok()) return Status::FailedPrecondition("judge unavailable: " + judge.status().message());
  JudgePoolOptions pool;
  if (judge_options_.workers > 0) pool.workers = judge_options_.workers;  // else one per core
  pool.queue_capacity = judge_options_.queue;
  CLASH_ASSIGN_OR_RETURN(judge_pool_, JudgePool::Create(**judge, pool));
  judge_ = std::move(judge).value();
  return Status::Ok();
#else
  return Status::FailedPrecondition("judge unavailable: this build has no sandbox judge (CLASH_WITH_JUDGE=OFF)");
#endif
}

Engine::~Engine() {
  // Queued and running judge jobs call back into the campaign and storage: finish them first.
  judge_pool_.reset();
  judge_.reset();
  judge_gateway_.reset();  // an injected gateway may still call back into the campaign
  if (catalogue_) catalogue_->SetIndexer(nullptr);
}

std::vector<HealthCheck> Engine::CheckHealth() {
  std::vector<HealthCheck> checks;
  Status db = storage_->Ping();
  checks.push_back({"database", db.ok(), db.ok() ? "ok" : "unreachable"});
  PubSubHealth live = pubsub_->Health();
  // A lost pub/sub link degrades (each host serves its own sockets) but does not make a host
  // unhealthy: a load balancer must not drain every host when Redis restarts.
  checks.push_back({"pubsub", true,
                    live.connected ? "ok" : "degraded: " + live.backend + " " + live.detail + " (serving this host's sockets only)"});
  return checks;
}

}  // namespace clash
