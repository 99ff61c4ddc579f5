// EngineConfigOptions and EngineOptionsFromConfig: the engine's options, their defaults and checks.
#include "clash/engine_config.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "clash/timezone.h"

namespace clash {
namespace {

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

Result<int> IntIn(const Config& cfg, const std::string& key, std::int64_t lo, std::int64_t hi) {
  CLASH_ASSIGN_OR_RETURN(std::int64_t v, cfg.GetInt(key));
  if (v < lo || v > hi) {
    return Status::InvalidArgument("option " + key + " must be " + std::to_string(lo) + "-" + std::to_string(hi));
  }
  return static_cast<int>(v);
}

Status ReadTokenKeys(const Config& cfg, EngineOptions& o) {
  if (cfg.Get("jwt_private_key_file").empty() && cfg.Get("jwt_private_key").empty()) return Status::Ok();
  TokenKeys keys;
  for (const std::string& file : cfg.GetList("jwt_verify_key_files")) {
    CLASH_RETURN_IF_ERROR(keys.AddVerificationKeyFile(file));
  }
  if (!cfg.Get("jwt_private_key_file").empty()) {
    CLASH_RETURN_IF_ERROR(keys.AddSigningKeyFile(cfg.Get("jwt_private_key_file")));
  } else {
    CLASH_RETURN_IF_ERROR(keys.AddSigningKeyPem(cfg.Get("jwt_private_key")));
  }
  o.token_keys = std::move(keys);
  return Status::Ok();
}

Status ReadMail(const Config& cfg, EngineOptions& o) {
  o.auth.mail_from = cfg.Get("mail_from");
  if (cfg.Get("smtp_host").empty()) return Status::Ok();
  SmtpOptions smtp;
  smtp.host = cfg.Get("smtp_host");
  CLASH_ASSIGN_OR_RETURN(smtp.port, IntIn(cfg, "smtp_port", 1, 65535));
  smtp.username = cfg.Get("smtp_username");
  smtp.password = cfg.Get("smtp_password");
  CLASH_ASSIGN_OR_RETURN(smtp.starttls, cfg.GetBool("smtp_starttls"));
  smtp.from = cfg.Get("mail_from");
  CLASH_ASSIGN_OR_RETURN(o.mailer, NewSmtpMailer(std::move(smtp)));
  return Status::Ok();
}

Status ReadEconomy(const Config& cfg, EngineOptions& o) {
  const std::string& zone_name = cfg.Get("time_zone");
  Result<TimeZone> zone = TimeZone::Load(zone_name);
  if (!zone.ok()) return Status::InvalidArgument("option time_zone '" + zone_name + "': " + zone.status().message());
  o.check_in.time_zone = std::move(zone).value();
  CLASH_ASSIGN_OR_RETURN(o.check_in.max_freezes, IntIn(cfg, "max_streak_freezes", 0, 1000));
  o.razorpay.key_id = cfg.Get("razorpay_key_id");
  o.razorpay.key_secret = cfg.Get("razorpay_key_secret");
  o.razorpay.webhook_secret = cfg.Get("razorpay_webhook_secret");
  o.razorpay.api_base = cfg.Get("razorpay_api_base");
  return Status::Ok();
}

Status ReadMedia(const Config& cfg, EngineOptions& o) {
  o.media.local_dir = cfg.Get("media_dir");
  if (cfg.Get("media_s3_endpoint").empty()) return Status::Ok();
  o.media.s3.endpoint = cfg.Get("media_s3_endpoint");
  o.media.s3.region = cfg.Get("media_s3_region");
  o.media.s3.bucket = cfg.Get("media_s3_bucket");
  o.media.s3.access_key = cfg.Get("media_s3_access_key");
  o.media.s3.secret_key = cfg.Get("media_s3_secret_key");
  o.media.s3.public_base_url = cfg.Get("media_public_base_url");
  if (o.media.s3.bucket.empty()) return Status::InvalidArgument("option media_s3_bucket is required with media_s3_endpoint");
  return Status::Ok();
}

Status ReadPush(const Config& cfg, EngineOptions& o) {
  const std::string& file = cfg.Get("fcm_service_account_file");
  o.fcm.api_base = cfg.Get("fcm_api_base");
  if (file.empty()) return Status::Ok();
  std::ifstream in(file);
  if (!in) return Status::InvalidArgument("option fcm_service_account_file: cannot read " + file);
  std::stringstream ss;
  ss << in.rdbuf();
  o.fcm.service_account_json = ss.str();
  return Status::Ok();
}

Status ReadRateLimits(const Config& cfg, EngineOptions& o) {
  CLASH_ASSIGN_OR_RETURN(o.rate_limits.enabled, cfg.GetBool("rate_limits"));
  o.rate_limits.redis_url = cfg.Get("redis_url");
  Result<RateLimitPolicy> policy = RateLimitPolicy::WithOverrides(cfg.GetList("rate_limit"));
  if (!policy.ok()) return Status::InvalidArgument("option rate_limit: " + policy.status().message());
  o.rate_limits.policy = std::move(policy).value();
  return Status::Ok();
}

Status ReadChat(const Config& cfg, EngineOptions& o) {
  o.pubsub_url = cfg.Get("pubsub_url");
  o.chat.rooms = cfg.GetList("chat_rooms");
  CLASH_ASSIGN_OR_RETURN(int window, IntIn(cfg, "chat_resume_window", 0, 7 * 24 * 3600));
  o.chat.resume_window = std::chrono::seconds(window);
  CLASH_ASSIGN_OR_RETURN(o.chat.resume_max_events, IntIn(cfg, "chat_resume_events", 0, 1'000'000));
  CLASH_ASSIGN_OR_RETURN(o.chat.anyone_may_pin, cfg.GetBool("chat_anyone_may_pin"));
  o.chat.host_id = cfg.Get("chat_host_id");
  return Status::Ok();
}

Status ReadInternalKeys(const Config& cfg, EngineOptions& o) {
  for (const std::string& pair : cfg.GetList("internal_api_keys")) {
    std::size_t colon = pair.find(':');
    if (colon == std::string::npos || colon == 0) {
      return Status::InvalidArgument("option internal_api_keys: entries must be key_id:secret");
    }
    o.internal_api_keys[pair.substr(0, colon)] = pair.substr(colon + 1);
  }
  return Status::Ok();
}

Status ReadJudge(const Config& cfg, EngineOptions& o) {
  const std::string& judge = cfg.Get("judge");
  if (judge == "true" || judge == "1" || judge == "local") {
    o.judge.enabled = true;
  } else if (judge == "false" || judge == "0" || judge == "off") {
    o.judge.enabled = false;
  } else if (judge == "remote") {
    // This process runs no code: clash-host gives the campaign a queue gateway (judge_gateway) whose
    // jobs `clash-host judge-worker` processes judge; Engine::judge() answers "judge disabled".
    o.judge.enabled = false;
  } else {
    return Status::InvalidArgument("option judge must be local (true), remote or off (false)");
  }
  CLASH_ASSIGN_OR_RETURN(o.judge.workers, IntIn(cfg, "judge_workers", 0, 256));
  CLASH_ASSIGN_OR_RETURN(o.judge.queue, IntIn(cfg, "judge_queue", 0, 100'000));
  return Status::Ok();
}

Status ReadCampaign(const Config& cfg, EngineOptions& o) {
  CLASH_ASSIGN_OR_RETURN(o.campaign.trust_client_results, cfg.GetBool("trust_client_results"));
  const std::string& judging = cfg.Get("submit_judging");
  if (judging == "auto") {
    o.campaign.judging = CampaignOptions::Judging::kAuto;
  } else if (judging == "queue") {
    o.campaign.judging = CampaignOptions::Judging::kQueue;
  } else if (judging == "wait") {
    o.campaign.judging = CampaignOptions::Judging::kWait;
  } else {
    return Status::InvalidArgument("option submit_judging must be auto, queue or wait");
  }
  o.campaign.certificate_key_file = cfg.Get("certificate_key_file");
  o.matches.puzzles_dir = cfg.Get("puzzles_dir");
  o.campaign.public_url = TrimSlash(cfg.Get("public_url"));
  return Status::Ok();
}

Status ReadRetrieval(const Config& cfg, EngineOptions& o) {
  const std::string& embedder = cfg.Get("tutor_embedder");
  if (embedder != "hash" && embedder != "openai" && embedder != "off") {
    return Status::InvalidArgument("option tutor_embedder must be hash, openai or off");
  }
  o.retrieval.enabled = embedder != "off";
  o.retrieval.embedder = embedder == "off" ? "hash" : embedder;
  o.retrieval.openai.base_url = TrimSlash(cfg.Get("tutor_embeddings_base_url"));
  o.retrieval.openai.model = cfg.Get("tutor_embeddings_model");
  o.retrieval.openai.api_key = cfg.Get("tutor_embeddings_api_key");
  CLASH_ASSIGN_OR_RETURN(int timeout_ms, IntIn(cfg, "tutor_embeddings_timeout_ms", 100, 120'000));
  o.retrieval.openai.timeout = std::chrono::milliseconds(timeout_ms);
  if (embedder == "openai" && o.retrieval.openai.base_url.empty()) {
    return Status::InvalidArgument("option tutor_embedder=openai needs tutor_embeddings_base_url");
  }
  o.retrieval.notes_dir = cfg.Get("tutor_notes_dir");
  return Status::Ok();
}

Status ReadOAuth(const Config& cfg, EngineOptions& o) {
  o.oauth.state_secret = cfg.Get("oauth_state_secret");
  if (!o.oauth.state_secret.empty() && o.oauth.state_secret.size() < 32) {
    return Status::InvalidArgument("option oauth_state_secret must have at least 32 characters");
  }
  OAuthProviderConfig& gh = o.oauth.providers["github"];
  OAuthProviderConfig& go = o.oauth.providers["google"];
  gh.client_id = cfg.Get("github_client_id");
  gh.client_secret = cfg.Get("github_client_secret");
  go.client_id = cfg.Get("google_client_id");
  go.client_secret = cfg.Get("google_client_secret");
  if (std::string base = TrimSlash(cfg.Get("oauth_redirect_base")); !base.empty()) {
    gh.redirect_uri = base + "/auth/github/callback";
    go.redirect_uri = base + "/auth/google/callback";
  }
  if (std::string base = TrimSlash(cfg.Get("oauth_github_base_url")); !base.empty()) {
    gh.authorize_url = base + "/login/oauth/authorize";
    gh.token_url = base + "/login/oauth/access_token";
    gh.user_url = base + "/user";
    gh.emails_url = base + "/user/emails";
  }
  if (std::string base = TrimSlash(cfg.Get("oauth_google_base_url")); !base.empty()) {
    go.authorize_url = base + "/o/oauth2/v2/auth";
    go.token_url = base + "/token";
    go.user_url = base + "/v1/userinfo";
  }
  return Status::Ok();
}

// Options whose values are never printed (clash-host check-config, logs).
std::vector<ConfigOption> MarkSecrets(std::vector<ConfigOption> options) {
  static const std::set<std::string> kSecrets = {
      "secret_key", "jwt_private_key", "smtp_password", "razorpay_key_secret", "razorpay_webhook_secret",
      "internal_api_keys", "github_client_secret", "google_client_secret", "oauth_state_secret",
      "media_s3_secret_key", "tutor_embeddings_api_key"};
  for (ConfigOption& o : options) o.secret = kSecrets.count(o.key) > 0;
  return options;
}

}  // namespace

const std::vector<ConfigOption>& EngineConfigOptions() {
  static const std::vector<ConfigOption> kOptions = MarkSecrets({
      {"storage", "sqlite://clash.db", "storage URL: sqlite:///abs/path.db, sqlite://rel.db, sqlite::memory:, postgresql://..."},
      {"data_dir", "clash-data", "where the embedded default keeps its token key, OTP secret and mail outbox"},
      {"secret_key", "", "secret (>= 32 chars) keying OTP hashes; empty: data_dir/secret.key, created on first run"},
      {"jwt_private_key_file", "", "PEM file of the RS256 signing key; empty: data_dir/keys (generated on first run)"},
      {"jwt_private_key", "", "PEM of the RS256 signing key (literal \\n allowed), e.g. from a secret store"},
      {"jwt_verify_key_files", "", "comma-separated PEM files of older keys that still verify (rotation)"},
      {"smtp_host", "", "SMTP relay for mail; empty: write .eml files to data_dir/outbox"},
      {"smtp_port", "587", "SMTP port"},
      {"smtp_username", "", "SMTP user (the password comes from CLASH_SMTP_PASSWORD)"},
      {"smtp_password", "", "SMTP password; set it through the environment, never on the command line"},
      {"smtp_starttls", "true", "require STARTTLS"},
      {"mail_from", "Clash <noreply@localhost>", "sender of OTP mail"},
      {"time_zone", "UTC", "zone deciding every check-in date: an IANA name (e.g. Asia/Kolkata), UTC or +HH:MM"},
      {"max_streak_freezes", "2", "streak freezes a player can hold (one is earned per completed 7-day cycle), 0-1000"},
      {"razorpay_key_id", "", "Razorpay key id (rzp_live_/rzp_test_...); empty: the payment routes answer 503"},
      {"razorpay_key_secret", "", "Razorpay key secret; set it through the environment (CLASH_RAZORPAY_KEY_SECRET)"},
      {"razorpay_webhook_secret", "", "secret of Razorpay webhook signatures; set it through CLASH_RAZORPAY_WEBHOOK_SECRET; empty: the webhook answers 503"},
      {"razorpay_api_base", "https://api.razorpay.com", "Razorpay API base URL (tests point it at a fake server)"},
      {"fcm_service_account_file", "", "Firebase service account JSON for push notifications (FCM HTTP v1); empty: pushes skipped"},
      {"fcm_api_base", "https://fcm.googleapis.com", "FCM API base URL (tests point it at a fake server)"},
      {"media_dir", "", "directory of uploaded images, served under /media/; empty: data_dir/media"},
      {"media_s3_endpoint", "", "S3-compatible endpoint (http(s)://host[:port]) for uploaded images; empty: media_dir"},
      {"media_s3_region", "us-east-1", "S3 region of the media bucket"},
      {"media_s3_bucket", "", "S3 bucket of uploaded images (path-style URLs)"},
      {"media_s3_access_key", "", "S3 access key id"},
      {"media_s3_secret_key", "", "S3 secret key; set it through CLASH_MEDIA_S3_SECRET_KEY"},
      {"media_public_base_url", "", "public URL of the S3 bucket (a CDN); empty: endpoint/bucket"},
      {"rate_limits", "true", "enforce the rate limits of every throttle scope (see rate_limit)", true},
      {"rate_limit", "", "override a throttle scope: SCOPE=N/PERIOD, e.g. otp=100/10m (repeat the flag or separate with commas); scopes: anon, user, otp, otp_verify, otp_email, auth, sensitive, store, notifications, judge, chat_connect, chat_message, chat_burst, chat_typing", false, true},
      {"redis_url", "", "redis://host:port[/db] where rate limits are counted, shared by several hosts; empty: in process"},
      {"pubsub_url", "", "redis://host:port[/db]: live delivery (chat, notification sockets) shared by several hosts; empty: in process"},
      {"chat_rooms", "global", "chat rooms clients may join (comma-separated names of [A-Za-z0-9_-])", false, true},
      {"chat_resume_window", "600", "seconds a reconnecting chat client can resume from its last sequence number"},
      {"chat_resume_events", "1000", "events a reconnecting chat client can resume (more: history with a gap flag)"},
      {"chat_anyone_may_pin", "false", "let every user pin chat messages (the reference's behaviour); default: staff only", true},
      {"chat_host_id", "", "this host's name on the pub/sub (presence); empty: random"},
      {"internal_api_keys", "", "signed internal requests: comma-separated key_id:secret pairs (secrets >= 16 chars); set via CLASH_INTERNAL_API_KEYS"},
      {"judge", "true", "where code runs: true (local: this process's sandbox judge), remote (submissions go to the storage's judge queue for `clash-host judge-worker` processes; /api/judge/run/ answers 503) or false (off); off, or a sandbox that cannot start: judging answers 503"},
      {"judge_workers", "0", "submissions the judge runs at once (0-256; 0: one per core)"},
      {"judge_queue", "64", "submissions waiting for a judge worker (0-100000); a full queue answers 503 + Retry-After"},
      {"trust_client_results", "false", "INSECURE legacy switch: accept {passed: true} from clients that judge in the browser (anyone can then complete any unlocked level); off: submissions must send code, judged on the server", true},
      {"submit_judging", "auto", "judged submissions: auto (wait for the verdict while a judge worker is free, else queue and answer 202 with a task id), queue (always 202), wait (always wait)"},
      {"puzzles_dir", "", "directory of the match puzzles (data/puzzles); empty: matches cannot be created"},
      {"certificate_key_file", "", "Ed25519 key file signing certificates (32-byte seed, base64url, mode 0600); empty: data_dir/certificate-ed25519.key, created on first run; every host must share it"},
      {"public_url", "", "origin of the web client (https://clash.example), used in certificate verification URLs; empty: the request's origin"},
      {"github_client_id", "", "GitHub OAuth app client id; empty: GitHub login answers 503"},
      {"github_client_secret", "", "GitHub OAuth app client secret; set it through the environment"},
      {"google_client_id", "", "Google OAuth client id; empty: Google login answers 503"},
      {"google_client_secret", "", "Google OAuth client secret; set it through the environment"},
      {"oauth_redirect_base", "", "origin providers redirect back to (<base>/auth/<provider>/callback); empty: the request's origin"},
      {"oauth_state_secret", "", "secret (>= 32 chars) signing OAuth flow cookies; empty: random per process (share one across hosts)"},
      {"oauth_github_base_url", "", "tests only: one base URL replacing GitHub's OAuth and API endpoints"},
      {"oauth_google_base_url", "", "tests only: one base URL replacing Google's OAuth endpoints"},
      {"tutor_embedder", "hash", "vectors of the AI tutor's retrieval index: hash (offline hash-v1), openai (an OpenAI-compatible /v1/embeddings service) or off (no retrieval index)"},
      {"tutor_embeddings_base_url", "", "tutor_embedder=openai: base URL of the embeddings service (https://api.openai.com; /v1/embeddings is appended)"},
      {"tutor_embeddings_model", "text-embedding-3-small", "tutor_embedder=openai: the embeddings model"},
      {"tutor_embeddings_api_key", "", "tutor_embedder=openai: API key (Bearer); set it through CLASH_TUTOR_EMBEDDINGS_API_KEY"},
      {"tutor_embeddings_timeout_ms", "15000", "tutor_embedder=openai: one embeddings request, connect to last byte (100-120000)"},
      {"tutor_notes_dir", "", "directory of the tutor's concept notes (<slug>.md), indexed at start; empty: none"},
  });
  return kOptions;
}

Result<EngineOptions> EngineOptionsFromConfig(const Config& cfg) {
  EngineOptions o;
  o.storage_url = cfg.Get("storage");
  o.data_dir = cfg.Get("data_dir");
  o.auth.secret_key = cfg.Get("secret_key");
  if (!o.auth.secret_key.empty() && o.auth.secret_key.size() < 32) {
    return Status::InvalidArgument("option secret_key must have at least 32 characters");
  }
  CLASH_RETURN_IF_ERROR(ReadTokenKeys(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadMail(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadEconomy(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadPush(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadMedia(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadRateLimits(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadInternalKeys(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadChat(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadJudge(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadCampaign(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadOAuth(cfg, o));
  CLASH_RETURN_IF_ERROR(ReadRetrieval(cfg, o));
  return o;
}

}  // namespace clash
