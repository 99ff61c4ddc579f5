#include "host_options.h"

#include <filesystem>
#include <string>
#include <system_error>

namespace clash::host {
namespace {

// The shipped content (data/): the installed copy beside this binary (share/clash next to bin/, so
// an unpacked or relocated package finds its own), else the source tree this binary was built from.
std::string ShippedData(const char* source_path, const char* installed_relative) {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::filesystem::path installed = exe.parent_path() / CLASH_BIN_TO_DATA_DIR / installed_relative;
    if (std::filesystem::exists(installed, ec)) return installed.lexically_normal().string();
  }
  return source_path;
}

}  // namespace

const std::vector<ConfigOption>& HostOptions() {
  // The engine's options (clash/engine_config.h: storage, keys, mail, economy, rate limits, judge,
  // OAuth), then the server's own.
  static const std::vector<ConfigOption> kOptions = [] {
    std::vector<ConfigOption> options = EngineConfigOptions();
    const std::vector<ConfigOption> server = {
      {"host", "127.0.0.1", "address to listen on (0.0.0.0 for every interface)"},
      {"port", "8080", "TCP port to listen on (0 picks a free one)"},
      {"web_root", "", "directory of the web client's built files, served with history fallback to index.html"},
      {"levels_dir", ShippedData(CLASH_DEFAULT_LEVELS_DIR, "levels"), "directory of level folders for load-levels"},
      {"load_levels", "false", "serve: load levels_dir into storage before serving", true},
      {"store_catalogue", ShippedData(CLASH_DEFAULT_STORE_CATALOGUE, "store/items.json"), "JSON file of store items for load-store"},
      {"load_store", "false", "serve: load store_catalogue into storage before serving", true},
      {"http_threads", "48", "most worker threads running route handlers (two per core, more while handlers block)"},
      {"max_queued", "4096", "requests waiting for a worker thread; beyond that 503 + Retry-After"},
      {"loop_threads", "0", "event loops (threads) serving HTTP and WebSocket connections; 0: one per core"},
      {"reuse_port", "false", "SO_REUSEPORT: let other processes listen on the same port and share its traffic", true},
      {"head_timeout_ms", "10000", "a request head must arrive within this; 408 and close after"},
      {"min_body_rate", "1024", "bytes/s a request body must average after head_timeout_ms of grace; 0: no limit"},
      {"max_body_bytes", "6291456", "largest request body; larger gets 413 (uploads need 5 MB and the multipart framing)"},
      {"max_header_bytes", "16384", "largest request header block; larger gets 431"},
      {"keep_alive_timeout", "10", "seconds an idle keep-alive HTTP connection stays open"},
      {"drain_timeout_ms", "10000", "on SIGTERM/SIGINT, how long in-flight requests may take to finish"},
      {"access_log", "true", "write one JSON line per request", true},
      {"log_level", "info", "debug, info, warn or error"},
      {"ws_max_frame_bytes", "65536", "largest incoming WebSocket frame/message; larger closes with 1009"},
      {"ws_max_queue_bytes", "1048576", "bytes queued for a slow WebSocket reader before it is dropped"},
      {"ws_send_buffer_bytes", "0", "SO_SNDBUF of each WebSocket (bounds kernel memory per slow reader); 0: kernel autotuning"},
      {"ws_ping_interval_ms", "30000", "server ping after this much silence from a WebSocket peer"},
      {"ws_idle_timeout_ms", "75000", "close a WebSocket peer silent this long"},
      {"ws_loop_threads", "1", "not used by serve (WebSockets share the HTTP loops, see loop_threads)"},
      {"cookie_secure", "true", "mark session cookies Secure (browsers accept them on http://localhost too)"},
      {"cookie_samesite", "Lax", "SameSite attribute of session cookies: Lax, Strict or None"},
      {"trusted_proxies", "", "comma-separated proxy addresses (e.g. 127.0.0.1) whose X-Forwarded-For is believed for the client address (audit log); empty: none"},
      {"allowed_origins", "", "comma-separated origins allowed for cookie-authenticated unsafe requests; empty: same origin"},
      {"username", "", "create-superuser: the username"},
      {"email", "", "create-superuser: the email (the password is read from CLASH_SUPERUSER_PASSWORD or stdin)"},
      {"judge_lease_ms", "120000", "judge-worker: how long a claimed job is this worker's; after it (a worker that died) another worker takes the job. Must exceed the longest judge run"},
      {"judge_poll_ms", "200", "judge-worker: wait between looks at an empty judge queue"},
      {"judge_worker_id", "", "judge-worker: this worker's name in the queue (default HOSTNAME:PID; unique per process)"},
      {"enable_test_routes", "false", "test-only routes (/api/test/*, /ws/test/echo); never in production", true},
    };
    options.insert(options.end(), server.begin(), server.end());
    return options;
  }();
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
  CLASH_ASSIGN_OR_RETURN(o.loop_threads, PositiveInt(cfg, "loop_threads", /*allow_zero=*/true));
  CLASH_ASSIGN_OR_RETURN(o.reuse_port, cfg.GetBool("reuse_port"));
  CLASH_ASSIGN_OR_RETURN(o.head_timeout_ms, PositiveInt(cfg, "head_timeout_ms"));
  CLASH_ASSIGN_OR_RETURN(o.min_body_rate, PositiveInt(cfg, "min_body_rate", /*allow_zero=*/true));
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
  for (std::string item : cfg.GetList("allowed_origins")) {
    while (!item.empty() && item.back() == '/') item.pop_back();
    if (!item.starts_with("http://") && !item.starts_with("https://")) {
      return Status::InvalidArgument("allowed_origins entries must start with http:// or https://");
    }
    o.allowed_origins.push_back(item);
  }
  for (const std::string& proxy : cfg.GetList("trusted_proxies")) o.trusted_proxies.push_back(proxy);
  return o;
}

Result<WsOptions> WsOptionsFrom(const Config& cfg) {
  WsOptions o;
  CLASH_ASSIGN_OR_RETURN(int frame, PositiveInt(cfg, "ws_max_frame_bytes"));
  o.max_frame_bytes = static_cast<std::size_t>(frame);
  o.max_message_bytes = static_cast<std::size_t>(frame);
  CLASH_ASSIGN_OR_RETURN(int queue, PositiveInt(cfg, "ws_max_queue_bytes"));
  o.max_queue_bytes = static_cast<std::size_t>(queue);
  if (cfg.Get("ws_send_buffer_bytes") != "0") {
    CLASH_ASSIGN_OR_RETURN(o.send_buffer_bytes, PositiveInt(cfg, "ws_send_buffer_bytes"));
  }
  CLASH_ASSIGN_OR_RETURN(o.ping_interval_ms, PositiveInt(cfg, "ws_ping_interval_ms"));
  CLASH_ASSIGN_OR_RETURN(o.idle_timeout_ms, PositiveInt(cfg, "ws_idle_timeout_ms"));
  CLASH_ASSIGN_OR_RETURN(o.loop_threads, PositiveInt(cfg, "ws_loop_threads"));
  return o;
}

}  // namespace clash::host
