// Shared by the fuzz targets that need a whole Engine (routes, chat_socket): one Engine per process
// on SQLite :memory:, a fake clock and seeded randomness, throttles off, no outbound HTTP (every
// call answers Unavailable, as an unreachable provider would), the shipped levels loaded, a staff
// user and a plain user logged in through the library, Razorpay and internal-request secrets the
// harness can sign with.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "clash/auth.h"
#include "clash/clock.h"
#include "clash/engine.h"
#include "clash/log.h"
#include "clash/rng.h"
#include "clash/transport.h"

namespace clash::fuzz {

inline constexpr const char* kWebhookSecret = "fuzz-webhook-secret";
inline constexpr const char* kInternalKeyId = "fuzz-worker";
inline constexpr const char* kInternalSecret = "fuzz-internal-secret-0123456789";

class NoHttp final : public HttpClient {
 public:
  Result<HttpClientResponse> Send(const HttpClientRequest&) override {
    return Status::Unavailable("no network in the fuzz harness");
  }
};

class NoLog final : public LogSink {
 public:
  void WriteLine(std::string_view) override {}
};

struct FuzzEngine {
  FakeClock clock{Timestamp::FromUnixSeconds(1'800'000'000)};
  SeededRng rng{7};
  NoLog sink;
  Logger logger{sink, clock, LogLevel::kError};
  std::filesystem::path dir;
  std::unique_ptr<Engine> engine;
  Session user;   // "fuzzuser"
  Session staff;  // "fuzzstaff", a superuser
};

inline FuzzEngine& SharedEngine() {
  static FuzzEngine* fe = [] {
    auto* f = new FuzzEngine();
    // data_dir (the mail outbox, media) on tmpfs when there is one: disk writes would dominate.
    std::error_code ec;
    const bool shm = std::filesystem::is_directory("/dev/shm", ec);
    f->dir = (shm ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path()) /
             ("clash-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(f->dir);
    std::atexit([] { std::filesystem::remove_all(SharedEngine().dir); });
    EngineOptions opts;
    opts.storage_url = "sqlite::memory:";
    opts.clock = &f->clock;
    opts.rng = &f->rng;
    opts.logger = &f->logger;
    opts.data_dir = f->dir.string();
    opts.auth.secret_key = std::string(40, 'k');
    opts.http_client = std::make_unique<NoHttp>();
    opts.rate_limits.enabled = false;
    opts.razorpay = {.key_id = "rzp_test_fuzz", .key_secret = "fuzz-key-secret", .webhook_secret = kWebhookSecret,
                     .api_base = "http://127.0.0.1:9"};
    opts.internal_api_keys[kInternalKeyId] = kInternalSecret;
    opts.judge.enabled = false;
    auto engine = Engine::Open(std::move(opts));
    if (!engine.ok()) std::abort();
    f->engine = std::move(*engine);
    auto admin = f->engine->auth().CreateSuperuser("fuzzstaff", "staff@example.com", "fuzz-Password-123");
    auto staff = f->engine->auth().AdminLogin("fuzzstaff", "fuzz-Password-123");
    auto user = f->engine->auth().LoginWithIdentity(
        {.provider = "github", .provider_uid = "1", .email = "user@example.com", .email_verified = true,
         .username_hint = "fuzzuser"});
    auto levels = f->engine->catalogue().LoadFromDirectory(CLASH_SOURCE_DIR "/data/levels");
    if (!admin.ok() || !staff.ok() || !user.ok() || !levels.ok()) std::abort();
    f->staff = *staff;
    f->user = *user;
    return f;
  }();
  return *fe;
}

}  // namespace clash::fuzz
