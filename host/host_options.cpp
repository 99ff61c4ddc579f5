#include "host_options.h"

namespace clash::host {

const std::vector<ConfigOption>& HostOptions() {
  static const std::vector<ConfigOption> kOptions = {
      {"storage", "sqlite://clash.db", "storage URL: sqlite:///abs/path.db, sqlite://rel.db, sqlite::memory:, postgresql://..."},
      {"host", "127.0.0.1", "address to listen on (0.0.0.0 for every interface)"},
      {"port", "8080", "TCP port to listen on (0 picks a free one)"},
      {"web_root", "", "directory of the web client's built files, served with history fallback to index.html"},
      {"levels_dir", CLASH_DEFAULT_LEVELS_DIR, "directory of level folders for load-levels"},
      {"load_levels", "false", "serve: load levels_dir into storage before serving", true},
      {"store_catalogue", CLASH_DEFAULT_STORE_CATALOGUE, "JSON file of store items for load-store"},
      {"load_store", "false", "serve: load store_catalogue into storage before serving", true},
      {"time_zone", "Asia/Kolkata", "zone deciding every check-in date: an IANA name, UTC or +HH:MM"},
      {"max_streak_freezes", "2", "streak freezes a player can hold (one is earned per completed 7-day cycle)"},
      {"razorpay_key_id", "", "Razorpay key id (rzp_live_/rzp_test_...); empty: the payment routes answer 503"},
      {"razorpay_key_secret", "", "Razorpay key secret; set it through the environment (CLASH_RAZORPAY_KEY_SECRET)"},
      {"razorpay_webhook_secret", "", "secret of Razorpay webhook signatures; set it through CLASH_RAZORPAY_WEBHOOK_SECRET; empty: the webhook answers 503"},
      {"razorpay_api_base", "https://api.razorpay.com", "Razorpay API base URL (tests point it at a fake server)"},
      {"http_threads", "48", "HTTP worker threads (Poco holds one per keep-alive connection)"},
      {"max_queued", "256", "accepted connections waiting for a worker thread"},
      {"max_body_bytes", "1048576", "largest request body; larger gets 413"},
      {"max_header_bytes", "16384", "largest request header block; larger gets 431"},
      {"keep_alive_timeout", "10", "seconds an idle keep-alive HTTP connection stays open"},
      {"drain_timeout_ms", "10000", "on SIGTERM/SIGINT, how long in-flight requests may take to finish"},
      {"access_log", "true", "write one JSON line per request", true},
      {"log_level", "info", "debug, info, warn or error"},
      {"ws_max_frame_bytes", "65536", "largest incoming WebSocket frame/message; larger closes with 1009"},
      {"ws_max_queue_bytes", "1048576", "bytes queued for a slow WebSocket reader before it is dropped"},
      {"ws_ping_interval_ms", "30000", "server ping after this much silence from a WebSocket peer"},
      {"ws_idle_timeout_ms", "75000", "close a WebSocket peer silent this long"},
      {"ws_loop_threads", "1", "epoll threads serving WebSockets"},
      {"data_dir", "clash-data", "where the embedded default keeps its token key, OTP secret and mail outbox"},
      {"secret_key", "", "secret (>= 32 chars) keying OTP hashes; empty: data_dir/secret.key, created on first run"},
      {"jwt_private_key_file", "", "PEM file of the RS256 signing key; empty: data_dir/keys (generated on first run)"},
      {"jwt_private_key", "", "PEM of the RS256 signing key (literal \\n allowed), e.g. from a secret store"},
      {"jwt_verify_key_files", "", "comma-separated PEM files of older keys that still verify (rotation)"},
      {"cookie_secure", "true", "mark session cookies Secure (browsers accept them on http://localhost too)"},
      {"cookie_samesite", "Lax", "SameSite attribute of session cookies: Lax, Strict or None"},
      {"allowed_origins", "", "comma-separated origins allowed for cookie-authenticated unsafe requests; empty: same origin"},
      {"rate_limits", "true", "enforce the per-route rate limits (anon 20/min, user 100/min, otp, auth, sensitive)"},
      {"redis_url", "", "redis://host:port for rate limits shared by several hosts; empty: in-process"},
      {"smtp_host", "", "SMTP relay for mail; empty: write .eml files to data_dir/outbox"},
      {"smtp_port", "587", "SMTP port"},
      {"smtp_username", "", "SMTP user (the password comes from CLASH_SMTP_PASSWORD)"},
      {"smtp_password", "", "SMTP password; set it through the environment, never on the command line"},
      {"smtp_starttls", "true", "require STARTTLS"},
      {"mail_from", "Clash <noreply@localhost>", "sender of OTP mail"},
      {"internal_api_keys", "", "signed internal requests: comma-separated key_id:secret pairs (secrets >= 16 chars); set via CLASH_INTERNAL_API_KEYS"},
      {"username", "", "create-superuser: the username"},
      {"email", "", "create-superuser: the email (the password is read from CLASH_SUPERUSER_PASSWORD or stdin)"},
      {"judge", "true", "run code in the sandbox judge (POST /api/judge/run/); false, or a sandbox that cannot start: 503", true},
      {"judge_workers", "0", "submissions the host's judge runs at once (0: one per core)"},
      {"judge_queue", "64", "submissions waiting for a judge worker; a full queue answers 503 + Retry-After"},
      // --- OAuth login (routes/oauth_routes.h; docs/security.md "OAuth") ---
      {"github_client_id", "", "GitHub OAuth app client id; empty: GitHub login answers 503"},
      {"github_client_secret", "", "GitHub OAuth app client secret; set it through the environment"},
      {"google_client_id", "", "Google OAuth client id; empty: Google login answers 503"},
      {"google_client_secret", "", "Google OAuth client secret; set it through the environment"},
      {"oauth_redirect_base", "", "origin providers redirect back to (<base>/auth/<provider>/callback); empty: the request's origin"},
      {"oauth_state_secret", "", "secret (>= 32 chars) signing OAuth flow cookies; empty: random per process (share one across hosts)"},
      {"oauth_github_base_url", "", "tests only: one base URL replacing GitHub's OAuth and API endpoints"},
      {"oauth_google_base_url", "", "tests only: one base URL replacing Google's OAuth endpoints"},
      // --- end OAuth ---
      {"enable_test_routes", "false", "test-only routes (/api/test/*, /ws/test/echo); never in production", true},
  };
  return kOptions;
}

namespace {
Result<int> PositiveInt(const Config& cfg, const std::string& key, bool allow_zero = false) {
  CLASH_ASSIGN_OR_RETURN(std::int64_t v, cfg.GetInt(key));
  if (v < (allow_zero ? 0 : 1) || v > (1LL << 31) - 1) {
    return Status::InvalidArgument("option " + key + " is out of range: " + std::to_string(v));
  }
  return static_cast<int>(v);
}
}  // namespace

Result<ServerOptions> ServerOptionsFrom(const Config& cfg) {
  ServerOptions o;
  o.bind_host = cfg.Get("host");
  CLASH_ASSIGN_OR_RETURN(o.port, PositiveInt(cfg, "port", /*allow_zero=*/true));
  if (o.port > 65535) return Status::InvalidArgument("option port must be 0-65535");
  CLASH_ASSIGN_OR_RETURN(o.http_threads, PositiveInt(cfg, "http_threads"));
  CLASH_ASSIGN_OR_RETURN(o.max_queued, PositiveInt(cfg, "max_queued"));
  CLASH_ASSIGN_OR_RETURN(int body, PositiveInt(cfg, "max_body_bytes"));
  o.max_body_bytes = static_cast<std::size_t>(body);
  CLASH_ASSIGN_OR_RETURN(int header, PositiveInt(cfg, "max_header_bytes"));
  o.max_header_bytes = static_cast<std::size_t>(header);
  CLASH_ASSIGN_OR_RETURN(o.keep_alive_timeout_seconds, PositiveInt(cfg, "keep_alive_timeout"));
  CLASH_ASSIGN_OR_RETURN(o.drain_timeout_ms, PositiveInt(cfg, "drain_timeout_ms", true));
  CLASH_ASSIGN_OR_RETURN(o.access_log, cfg.GetBool("access_log"));
  o.web_root = cfg.Get("web_root");
  if (!o.web_root.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(o.web_root, ec)) {
      return Status::InvalidArgument("web_root '" + o.web_root + "' is not a directory");
    }
  }
  return o;
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Result<CallerOptions> CallerOptionsFrom(const Config& cfg) {
  CallerOptions o;
  CLASH_ASSIGN_OR_RETURN(o.cookie_secure, cfg.GetBool("cookie_secure"));
  o.cookie_samesite = cfg.Get("cookie_samesite");
  if (o.cookie_samesite != "Lax" && o.cookie_samesite != "Strict" && o.cookie_samesite != "None") {
    return Status::InvalidArgument("option cookie_samesite must be Lax, Strict or None");
  }
  if (o.cookie_samesite == "None" && !o.cookie_secure) {
    return Status::InvalidArgument("cookie_samesite None needs cookie_secure true");
  }
  for (std::string item : SplitList(cfg.Get("allowed_origins"))) {
    while (!item.empty() && item.back() == '/') item.pop_back();
    if (!item.starts_with("http://") && !item.starts_with("https://")) {
      return Status::InvalidArgument("allowed_origins entries must start with http:// or https://");
    }
    o.allowed_origins.push_back(item);
  }
  return o;
}

Result<CheckInOptions> CheckInOptionsFrom(const Config& cfg) {
  CheckInOptions o;
  const std::string& zone_name = cfg.Get("time_zone");
  Result<TimeZone> zone = TimeZone::Load(zone_name);
  if (!zone.ok()) return Status::InvalidArgument("option time_zone '" + zone_name + "': " + zone.status().message());
  o.time_zone = std::move(zone).value();
  CLASH_ASSIGN_OR_RETURN(std::int64_t freezes, cfg.GetInt("max_streak_freezes"));
  if (freezes < 0 || freezes > 1000) return Status::InvalidArgument("option max_streak_freezes must be 0-1000");
  o.max_freezes = static_cast<int>(freezes);
  return o;
}

RazorpayOptions RazorpayOptionsFrom(const Config& cfg) {
  RazorpayOptions o;
  o.key_id = cfg.Get("razorpay_key_id");
  o.key_secret = cfg.Get("razorpay_key_secret");
  o.webhook_secret = cfg.Get("razorpay_webhook_secret");
  o.api_base = cfg.Get("razorpay_api_base");
  return o;
}

Result<WsOptions> WsOptionsFrom(const Config& cfg) {
  WsOptions o;
  CLASH_ASSIGN_OR_RETURN(int frame, PositiveInt(cfg, "ws_max_frame_bytes"));
  o.max_frame_bytes = static_cast<std::size_t>(frame);
  o.max_message_bytes = static_cast<std::size_t>(frame);
  CLASH_ASSIGN_OR_RETURN(int queue, PositiveInt(cfg, "ws_max_queue_bytes"));
  o.max_queue_bytes = static_cast<std::size_t>(queue);
  CLASH_ASSIGN_OR_RETURN(o.ping_interval_ms, PositiveInt(cfg, "ws_ping_interval_ms"));
  CLASH_ASSIGN_OR_RETURN(o.idle_timeout_ms, PositiveInt(cfg, "ws_idle_timeout_ms"));
  CLASH_ASSIGN_OR_RETURN(o.loop_threads, PositiveInt(cfg, "ws_loop_threads"));
  return o;
}

}  // namespace clash::host
