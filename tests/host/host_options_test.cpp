#include "host_options.h"

#include "support/test_support.h"

namespace clash::host {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;

TEST(HostOptionsTest, DefaultsAreValid) {
  auto cfg = Config::Load(HostOptions(), {"serve"}, {});
  ASSERT_THAT(cfg, IsOk());
  auto server = ServerOptionsFrom(*cfg);
  ASSERT_THAT(server, IsOk());
  EXPECT_EQ(server->port, 8080);
  EXPECT_EQ(server->max_body_bytes, 6291456u);
  EXPECT_THAT(WsOptionsFrom(*cfg), IsOk());
}

TEST(HostOptionsTest, OutOfRangeValuesAreRejected) {
  auto cfg = Config::Load(HostOptions(), {"--port=70000"}, {});
  ASSERT_THAT(cfg, IsOk());
  EXPECT_THAT(ServerOptionsFrom(*cfg), StatusIs(StatusCode::kInvalidArgument));
  auto cfg2 = Config::Load(HostOptions(), {"--http-threads=0"}, {});
  ASSERT_THAT(cfg2, IsOk());
  EXPECT_THAT(ServerOptionsFrom(*cfg2), StatusIs(StatusCode::kInvalidArgument));
  auto cfg3 = Config::Load(HostOptions(), {"--web-root=/does/not/exist"}, {});
  ASSERT_THAT(cfg3, IsOk());
  EXPECT_THAT(ServerOptionsFrom(*cfg3), StatusIs(StatusCode::kInvalidArgument));
  auto cfg4 = Config::Load(HostOptions(), {"--ws-max-frame-bytes=-1"}, {});
  ASSERT_THAT(cfg4, IsOk());
  EXPECT_THAT(WsOptionsFrom(*cfg4), StatusIs(StatusCode::kInvalidArgument));
}

TEST(HostOptionsTest, ListsAndOrigins) {
  auto list = Config::Load(HostOptions(), {"--allowed-origins= a, b ,,c "}, {});
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->GetList("allowed_origins"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(Config::Load(HostOptions(), {}, {})->GetList("allowed_origins").empty());
  auto cfg = Config::Load(HostOptions(), {"--allowed-origins=https://a.example/, http://b.example:8080"}, {});
  ASSERT_THAT(cfg, IsOk());
  auto callers = CallerOptionsFrom(*cfg);
  ASSERT_THAT(callers, IsOk());
  EXPECT_EQ(callers->allowed_origins, (std::vector<std::string>{"https://a.example", "http://b.example:8080"}));
  auto bad = Config::Load(HostOptions(), {"--allowed-origins=ftp://x"}, {});
  ASSERT_THAT(bad, IsOk());
  EXPECT_THAT(CallerOptionsFrom(*bad), StatusIs(StatusCode::kInvalidArgument));
}

// The host reads the engine's options through the library (clash/engine_config.h), so its defaults
// are the library's: a default-constructed EngineOptions and the host's defaults agree.
TEST(HostOptionsTest, EngineDefaultsAreTheLibrarysDefaults) {
  auto cfg = Config::Load(HostOptions(), {"serve"}, {});
  ASSERT_THAT(cfg, IsOk());
  Result<EngineOptions> from_config = EngineOptionsFromConfig(*cfg);
  ASSERT_THAT(from_config, IsOk());
  const EngineOptions defaults;
  EXPECT_EQ(from_config->check_in.time_zone.name(), defaults.check_in.time_zone.name());
  EXPECT_EQ(from_config->check_in.time_zone.name(), "UTC");
  EXPECT_EQ(from_config->check_in.max_freezes, defaults.check_in.max_freezes);
  EXPECT_EQ(from_config->razorpay.api_base, defaults.razorpay.api_base);
  EXPECT_TRUE(from_config->razorpay.key_id.empty() && from_config->razorpay.key_secret.empty());
  EXPECT_EQ(from_config->judge.enabled, defaults.judge.enabled);
  EXPECT_EQ(from_config->judge.workers, defaults.judge.workers);
  EXPECT_EQ(from_config->judge.queue, defaults.judge.queue);
  EXPECT_EQ(from_config->rate_limits.enabled, defaults.rate_limits.enabled);
  EXPECT_EQ(from_config->rate_limits.policy.ToString(), defaults.rate_limits.policy.ToString());
  EXPECT_EQ(from_config->storage_url, defaults.storage_url);
  EXPECT_EQ(from_config->data_dir, defaults.data_dir);
  // Every engine option is a host option with the same default.
  for (const ConfigOption& engine_option : EngineConfigOptions()) {
    EXPECT_EQ(cfg->Get(engine_option.key), engine_option.default_value) << engine_option.key;
  }
  EXPECT_EQ(cfg->Get("load_store"), "false");
}

TEST(HostOptionsTest, EconomyOptionsFromFlagsAndEnvironment) {
  auto cfg = Config::Load(HostOptions(),
                          {"--time-zone=+05:30", "--max-streak-freezes=0", "--razorpay-key-id=rzp_test_x",
                           "--razorpay-api-base=http://127.0.0.1:9"},
                          {{"CLASH_RAZORPAY_KEY_SECRET", "key-secret"}, {"CLASH_RAZORPAY_WEBHOOK_SECRET", "hook"}});
  ASSERT_THAT(cfg, IsOk());
  Result<EngineOptions> o = EngineOptionsFromConfig(*cfg);
  ASSERT_THAT(o, IsOk());
  EXPECT_EQ(o->check_in.time_zone.name(), "+05:30");
  EXPECT_EQ(o->check_in.max_freezes, 0);
  EXPECT_EQ(o->razorpay.key_id, "rzp_test_x");
  EXPECT_EQ(o->razorpay.key_secret, "key-secret");
  EXPECT_EQ(o->razorpay.webhook_secret, "hook");
  EXPECT_EQ(o->razorpay.api_base, "http://127.0.0.1:9");
}

TEST(HostOptionsTest, BadEconomyOptionsNameTheOption) {
  for (const char* flag : {"--time-zone=Mars/Olympus_Mons", "--time-zone=+99:00", "--time-zone=../etc/passwd"}) {
    auto cfg = Config::Load(HostOptions(), {flag}, {});
    ASSERT_THAT(cfg, IsOk());
    Result<EngineOptions> o = EngineOptionsFromConfig(*cfg);
    EXPECT_THAT(o, StatusIs(StatusCode::kInvalidArgument)) << flag;
    EXPECT_NE(o.status().message().find("time_zone"), std::string::npos) << flag;
  }
  for (const char* flag : {"--max-streak-freezes=-1", "--max-streak-freezes=two", "--max-streak-freezes=1001"}) {
    auto cfg = Config::Load(HostOptions(), {flag}, {});
    ASSERT_THAT(cfg, IsOk());
    Result<EngineOptions> o = EngineOptionsFromConfig(*cfg);
    EXPECT_THAT(o, StatusIs(StatusCode::kInvalidArgument)) << flag;
    EXPECT_NE(o.status().message().find("max_streak_freezes"), std::string::npos) << flag;
  }
}

TEST(HostOptionsTest, RateLimitScopesAreConfigurableByRepeatedFlags) {
  auto cfg = Config::Load(HostOptions(), {"--rate-limit", "otp=100/10m", "--rate-limit=anon=30/min,judge=5/1h"}, {});
  ASSERT_THAT(cfg, IsOk());
  Result<EngineOptions> o = EngineOptionsFromConfig(*cfg);
  ASSERT_THAT(o, IsOk());
  const RateLimitPolicy& policy = o->rate_limits.policy;
  EXPECT_THAT(policy.Limit("otp"), IsOkAndHolds(::testing::Field(&RateLimit::capacity, 100)));
  EXPECT_EQ(policy.Limit("otp")->window, std::chrono::seconds(600));
  EXPECT_EQ(policy.Limit("anon")->capacity, 30);
  EXPECT_EQ(policy.Limit("anon")->window, std::chrono::seconds(60));
  EXPECT_EQ(policy.Limit("judge")->capacity, 5);
  EXPECT_EQ(policy.Limit("judge")->window, std::chrono::seconds(3600));
  EXPECT_EQ(policy.Limit("user")->capacity, 100);  // untouched scopes keep their defaults
  for (const char* bad : {"--rate-limit=otpx=1/m", "--rate-limit=otp=0/m", "--rate-limit=otp", "--rate-limit=otp=5/10"}) {
    auto c = Config::Load(HostOptions(), {bad}, {});
    ASSERT_THAT(c, IsOk());
    Result<EngineOptions> r = EngineOptionsFromConfig(*c);
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument)) << bad;
    EXPECT_NE(r.status().message().find("rate_limit"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace clash::host
