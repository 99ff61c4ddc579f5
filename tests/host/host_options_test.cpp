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

}  // namespace
}  // namespace clash::host
