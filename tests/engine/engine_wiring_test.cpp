// Engine::Open builds everything a server needs from EngineOptions (the rate limiter, the OAuth
// login, the internal-request verifier, the judge pool), and EngineOptionsFromConfig validates the
// options in the library.
#include "clash/engine.h"

#include <algorithm>
#include <future>
#include <string>
#include <vector>

#include "clash/engine_config.h"
#include "support/engine_fixture.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

class EngineWiringTest : public ::testing::Test {
 protected:
  Result<std::unique_ptr<Engine>> Open(EngineOptions opts) {
    opts.storage_url = "sqlite::memory:";
    opts.data_dir = dir_.path().string();
    opts.auth.secret_key = std::string(40, 's');
    opts.token_keys = ::clash::testing::SharedTokenKeys();
    return Engine::Open(std::move(opts));
  }

  ::clash::testing::TempDir dir_;
};

TEST_F(EngineWiringTest, BuildsTheLimiterThePolicyAndTheOAuthLogin) {
  Result<RateLimitPolicy> policy = RateLimitPolicy::WithOverrides({"otp=2/10m"});
  ASSERT_THAT(policy, IsOk());
  EngineOptions opts;
  opts.rate_limits.policy = *policy;
  auto engine = Open(std::move(opts));
  ASSERT_THAT(engine, IsOk());
  ASSERT_NE((*engine)->rate_limiter(), nullptr);
  EXPECT_EQ((*engine)->rate_limits().Limit("otp")->capacity, 2);
  // The limiter the engine built enforces what it is given.
  RateLimit otp = *(*engine)->rate_limits().Limit("otp");
  EXPECT_THAT(CheckRateLimit(*(*engine)->rate_limiter(), "otp:ip1", otp), IsOk());
  EXPECT_THAT(CheckRateLimit(*(*engine)->rate_limiter(), "otp:ip1", otp), IsOk());
  EXPECT_THAT(CheckRateLimit(*(*engine)->rate_limiter(), "otp:ip1", otp), StatusIs(StatusCode::kResourceExhausted));
  // OAuth: a provider without a client id is "not configured"; one with an id builds an authorize URL.
  EXPECT_THAT((*engine)->oauth().Begin("github", "", "http://localhost/cb"), StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT((*engine)->oauth().Begin("myspace", "", "http://localhost/cb"), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ((*engine)->service_verifier(), nullptr);
}

TEST_F(EngineWiringTest, OAuthClientsAndInternalKeysComeFromTheOptions) {
  EngineOptions opts;
  opts.oauth.providers["github"].client_id = "gh-client";
  opts.internal_api_keys["ai"] = std::string(24, 'x');
  opts.rate_limits.enabled = false;
  auto engine = Open(std::move(opts));
  ASSERT_THAT(engine, IsOk());
  Result<OAuthStart> start = (*engine)->oauth().Begin("github", "", "http://localhost/cb");
  ASSERT_THAT(start, IsOk());
  EXPECT_NE(start->url.find("client_id=gh-client"), std::string::npos);
  EXPECT_NE((*engine)->service_verifier(), nullptr);
  EXPECT_EQ((*engine)->rate_limiter(), nullptr);
}

TEST_F(EngineWiringTest, BadWiringOptionsAreRefusedAtOpen) {
  EngineOptions short_secret;
  short_secret.internal_api_keys["ai"] = "short";
  EXPECT_THAT(Open(std::move(short_secret)), StatusIs(StatusCode::kInvalidArgument));
  EngineOptions workers;
  workers.judge.workers = -1;
  EXPECT_THAT(Open(std::move(workers)), StatusIs(StatusCode::kInvalidArgument));
  EngineOptions queue;
  queue.judge.queue = -1;
  EXPECT_THAT(Open(std::move(queue)), StatusIs(StatusCode::kInvalidArgument));
  EngineOptions state;
  state.oauth.state_secret = "too short";
  EXPECT_THAT(Open(std::move(state)), StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(EngineWiringTest, ADisabledJudgeIsUnavailableAndStaysSo) {
  EngineOptions opts;
  opts.judge.enabled = false;
  auto engine = Open(std::move(opts));
  ASSERT_THAT(engine, IsOk());
  Result<JudgePool*> judge = (*engine)->judge();
  EXPECT_THAT(judge, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(judge.status().message(), "judge disabled");
  EXPECT_THAT((*engine)->judge(), StatusIs(StatusCode::kUnavailable));
}

TEST(EngineConfigTest, EveryOptionHasHelpAndTheDefaultsBuildTheDefaultOptions) {
  const std::vector<ConfigOption>& options = EngineConfigOptions();
  for (const ConfigOption& o : options) EXPECT_FALSE(o.help.empty()) << o.key;
  Result<Config> cfg = Config::Load(options, {}, {});
  ASSERT_THAT(cfg, IsOk());
  Result<EngineOptions> from = EngineOptionsFromConfig(*cfg);
  ASSERT_THAT(from, IsOk());
  const EngineOptions defaults;
  EXPECT_EQ(from->storage_url, defaults.storage_url);
  EXPECT_EQ(from->data_dir, defaults.data_dir);
  EXPECT_EQ(from->check_in.time_zone.name(), defaults.check_in.time_zone.name());
  EXPECT_EQ(from->check_in.max_freezes, defaults.check_in.max_freezes);
  EXPECT_EQ(from->judge.enabled, defaults.judge.enabled);
  EXPECT_EQ(from->judge.workers, defaults.judge.workers);
  EXPECT_EQ(from->judge.queue, defaults.judge.queue);
  EXPECT_EQ(from->rate_limits.enabled, defaults.rate_limits.enabled);
  EXPECT_EQ(from->rate_limits.policy.ToString(), defaults.rate_limits.policy.ToString());
  EXPECT_EQ(from->auth.mail_from, defaults.auth.mail_from);
  EXPECT_EQ(from->razorpay.api_base, defaults.razorpay.api_base);
  EXPECT_TRUE(from->internal_api_keys.empty());
  EXPECT_FALSE(from->token_keys.has_value());
  EXPECT_EQ(from->mailer, nullptr);
}

TEST(EngineConfigTest, ValuesAreCheckedAndNamed) {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"--judge-workers=-1"}, "judge_workers"},
      {{"--judge-queue=-1"}, "judge_queue"},
      {{"--internal-api-keys=nocolon"}, "internal_api_keys"},
      {{"--secret-key=short"}, "secret_key"},
      {{"--oauth-state-secret=short"}, "oauth_state_secret"},
      {{"--smtp-host=mail.example", "--smtp-port=70000"}, "smtp_port"},
      {{"--rate-limits=maybe"}, "rate_limits"},
  };
  for (const auto& [args, option] : cases) {
    Result<Config> cfg = Config::Load(EngineConfigOptions(), args, {});
    ASSERT_THAT(cfg, IsOk());
    Result<EngineOptions> o = EngineOptionsFromConfig(*cfg);
    EXPECT_THAT(o, StatusIs(StatusCode::kInvalidArgument)) << option;
    EXPECT_NE(o.status().message().find(option), std::string::npos) << o.status().message();
  }
  Result<Config> ok = Config::Load(EngineConfigOptions(), {"--internal-api-keys=a:" + std::string(20, 'x')}, {});
  ASSERT_THAT(ok, IsOk());
  Result<EngineOptions> o = EngineOptionsFromConfig(*ok);
  ASSERT_THAT(o, IsOk());
  EXPECT_EQ(o->internal_api_keys.at("a"), std::string(20, 'x'));
}

}  // namespace
}  // namespace clash

namespace clash {
namespace {

using ::clash::testing::IsOk;

// Records what is published, delivering nothing.
class RecordingPubSub final : public PubSub {
 public:
  explicit RecordingPubSub(std::vector<std::string>* log) : log_(log) {}
  Status Publish(std::string_view topic, std::string_view payload) override {
    log_->push_back(std::string(topic) + "=" + std::string(payload));
    return Status::Ok();
  }
  Result<std::unique_ptr<Subscription>> Subscribe(std::string_view pattern, PubSubCallback) override {
    log_->push_back("subscribe " + std::string(pattern));
    return std::make_unique<Subscription>();  // records only: never calls back
  }

 private:
  std::vector<std::string>* log_;
};

TEST(EngineWiringPubSub, DefaultsToInProcessAndUsesAGivenBackend) {
  ::clash::testing::TempDir dir;
  auto open = [&](EngineOptions opts) {
    opts.storage_url = "sqlite::memory:";
    opts.data_dir = dir.path().string();
    opts.auth.secret_key = std::string(40, 's');
    opts.token_keys = ::clash::testing::SharedTokenKeys();
    return Engine::Open(std::move(opts));
  };
  auto embedded = open(EngineOptions{});
  ASSERT_THAT(embedded, IsOk());
  std::promise<std::string> got;
  auto sub = (*embedded)->pubsub().Subscribe("notify:user:*", [&](const PubSubMessage& m) { got.set_value(m.payload); });
  ASSERT_THAT(sub, IsOk());
  ASSERT_THAT((*embedded)->pubsub().Publish("notify:user:1", "hello"), IsOk());
  EXPECT_EQ(got.get_future().get(), "hello");
  sub->reset();

  std::vector<std::string> log;
  EngineOptions opts;
  opts.pubsub = std::make_unique<RecordingPubSub>(&log);
  auto given = open(std::move(opts));
  ASSERT_THAT(given, IsOk());
  // The chat subscribed to its rooms through the given backend.
  EXPECT_NE(std::find(log.begin(), log.end(), "subscribe chat:room:*"), log.end());
  ASSERT_THAT((*given)->pubsub().Publish("t", "p"), IsOk());
  EXPECT_EQ(log.back(), "t=p");
}

}  // namespace
}  // namespace clash
