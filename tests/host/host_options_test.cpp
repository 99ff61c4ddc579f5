#include "host_options.h"

#include "support/test_support.h"

namespace clash::host {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

TEST(HostOptionsTest, DefaultsAreValid) {
  auto cfg = Config::Load(HostOptions(), {"serve"}, {});
  ASSERT_THAT(cfg, IsOk());
  auto server = ServerOptionsFrom(*cfg);
  ASSERT_THAT(server, IsOk());
  EXPECT_EQ(server->port, 8080);
  EXPECT_EQ(server->max_body_bytes, 1048576u);
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
  EXPECT_EQ(SplitList(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitList("").empty());
  auto cfg = Config::Load(HostOptions(), {"--allowed-origins=https://a.example/, http://b.example:8080"}, {});
  ASSERT_THAT(cfg, IsOk());
  auto callers = CallerOptionsFrom(*cfg);
  ASSERT_THAT(callers, IsOk());
  EXPECT_EQ(callers->allowed_origins, (std::vector<std::string>{"https://a.example", "http://b.example:8080"}));
  auto bad = Config::Load(HostOptions(), {"--allowed-origins=ftp://x"}, {});
  ASSERT_THAT(bad, IsOk());
  EXPECT_THAT(CallerOptionsFrom(*bad), StatusIs(StatusCode::kInvalidArgument));
}

TEST(HostOptionsTest, EconomyDefaultsAreTheReferencesZoneAndTwoFreezes) {
  auto cfg = Config::Load(HostOptions(), {"serve"}, {});
  ASSERT_THAT(cfg, IsOk());
  auto check_in = CheckInOptionsFrom(*cfg);
  ASSERT_THAT(check_in, IsOk());
  EXPECT_EQ(check_in->time_zone.name(), "Asia/Kolkata");
  EXPECT_EQ(check_in->time_zone.OffsetSeconds(Timestamp::FromUnixSeconds(1'767'225'600)), 5 * 3600 + 1800);
  EXPECT_EQ(check_in->max_freezes, 2);
  RazorpayOptions razorpay = RazorpayOptionsFrom(*cfg);
  EXPECT_TRUE(razorpay.key_id.empty() && razorpay.key_secret.empty() && razorpay.webhook_secret.empty());
  EXPECT_EQ(razorpay.api_base, "https://api.razorpay.com");
  EXPECT_EQ(cfg->Get("load_store"), "false");
}

TEST(HostOptionsTest, EconomyOptionsFromFlagsAndEnvironment) {
  auto cfg = Config::Load(HostOptions(),
                          {"--time-zone=+05:30", "--max-streak-freezes=0", "--razorpay-key-id=rzp_test_x",
                           "--razorpay-api-base=http://127.0.0.1:9"},
                          {{"CLASH_RAZORPAY_KEY_SECRET", "key-secret"}, {"CLASH_RAZORPAY_WEBHOOK_SECRET", "hook"}});
  ASSERT_THAT(cfg, IsOk());
  auto check_in = CheckInOptionsFrom(*cfg);
  ASSERT_THAT(check_in, IsOk());
  EXPECT_EQ(check_in->time_zone.name(), "+05:30");
  EXPECT_EQ(check_in->max_freezes, 0);
  RazorpayOptions razorpay = RazorpayOptionsFrom(*cfg);
  EXPECT_EQ(razorpay.key_id, "rzp_test_x");
  EXPECT_EQ(razorpay.key_secret, "key-secret");
  EXPECT_EQ(razorpay.webhook_secret, "hook");
  EXPECT_EQ(razorpay.api_base, "http://127.0.0.1:9");
}

TEST(HostOptionsTest, BadEconomyOptionsNameTheOption) {
  for (const char* flag : {"--time-zone=Mars/Olympus_Mons", "--time-zone=+99:00", "--time-zone=../etc/passwd"}) {
    auto cfg = Config::Load(HostOptions(), {flag}, {});
    ASSERT_THAT(cfg, IsOk());
    auto check_in = CheckInOptionsFrom(*cfg);
    EXPECT_THAT(check_in, StatusIs(StatusCode::kInvalidArgument)) << flag;
    EXPECT_NE(check_in.status().message().find("time_zone"), std::string::npos) << flag;
  }
  for (const char* flag : {"--max-streak-freezes=-1", "--max-streak-freezes=two"}) {
    auto cfg = Config::Load(HostOptions(), {flag}, {});
    ASSERT_THAT(cfg, IsOk());
    EXPECT_THAT(CheckInOptionsFrom(*cfg), StatusIs(StatusCode::kInvalidArgument)) << flag;
  }
}

}  // namespace
}  // namespace clash::host
