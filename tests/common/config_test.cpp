#include "clash/config.h"

#include <fstream>

#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;

const std::vector<ConfigOption> kOptions = {
    {"port", "8080", "port"},
    {"storage_url", "sqlite://clash.db", "storage"},
    {"web_root", "", "static files"},
    {"enable_test_routes", "false", "test routes", /*is_flag=*/true},
};

TEST(ConfigTest, DefaultsApply) {
  auto cfg = Config::Load(kOptions, {}, {});
  ASSERT_THAT(cfg, IsOk());
  EXPECT_THAT(cfg->GetInt("port"), IsOkAndHolds(8080));
  EXPECT_EQ(cfg->SourceOf("port"), "default");
  EXPECT_THAT(cfg->GetBool("enable_test_routes"), IsOkAndHolds(false));
}

TEST(ConfigTest, FlagsBeatEnvBeatFileBeatDefaults) {
  testing::TempDir dir;
  auto path = (dir.path() / "clash.conf").string();
  std::ofstream(path) << "# comment\nport = 1111\nstorage_url = sqlite:///from-file.db\nweb-root = /srv/file\n";
  std::map<std::string, std::string> env = {{"CLASH_PORT", "2222"}, {"CLASH_WEB_ROOT", "/srv/env"}};
  auto cfg = Config::Load(kOptions, {"serve", "--config", path, "--port=3333"}, env);
  ASSERT_THAT(cfg, IsOk());
  EXPECT_THAT(cfg->GetInt("port"), IsOkAndHolds(3333));
  EXPECT_EQ(cfg->SourceOf("port"), "flag");
  EXPECT_EQ(cfg->Get("web_root"), "/srv/env");
  EXPECT_EQ(cfg->SourceOf("web_root"), "env");
  EXPECT_EQ(cfg->Get("storage_url"), "sqlite:///from-file.db");
  EXPECT_EQ(cfg->SourceOf("storage_url"), "file");
  EXPECT_EQ(cfg->positional(), std::vector<std::string>{"serve"});
}

TEST(ConfigTest, SpaceSeparatedValuesAndBareFlags) {
  auto cfg = Config::Load(kOptions, {"--web-root", "/x", "--enable-test-routes", "serve"}, {});
  ASSERT_THAT(cfg, IsOk());
  EXPECT_EQ(cfg->Get("web_root"), "/x");
  EXPECT_THAT(cfg->GetBool("enable_test_routes"), IsOkAndHolds(true));
  EXPECT_EQ(cfg->positional(), std::vector<std::string>{"serve"});
}

TEST(ConfigTest, UnknownKeysAreErrors) {
  EXPECT_THAT(Config::Load(kOptions, {"--prot=1"}, {}), StatusIs(StatusCode::kInvalidArgument));
  testing::TempDir dir;
  auto path = (dir.path() / "bad.conf").string();
  std::ofstream(path) << "prot = 1\n";
  EXPECT_THAT(Config::Load(kOptions, {"--config=" + path}, {}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Config::Load(kOptions, {"--config=/does/not/exist"}, {}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Config::Load(kOptions, {"--port"}, {}), StatusIs(StatusCode::kInvalidArgument));
}

TEST(ConfigTest, BadTypesAreReported) {
  auto cfg = Config::Load(kOptions, {"--port=eighty", "--enable-test-routes=maybe"}, {});
  ASSERT_THAT(cfg, IsOk());
  EXPECT_THAT(cfg->GetInt("port"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(cfg->GetBool("enable_test_routes"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(ConfigTest, UsageListsEveryOption) {
  std::string usage = Config::Usage(kOptions);
  EXPECT_NE(usage.find("--storage-url VALUE"), std::string::npos);
  EXPECT_NE(usage.find("CLASH_STORAGE_URL"), std::string::npos);
  EXPECT_NE(usage.find("--enable-test-routes\n"), std::string::npos);
}

TEST(ConfigTest, MaskedValuesHideSecretsAndUrlPasswords) {
  ConfigOption plain{"storage", "", ""};
  ConfigOption secret{"smtp_password", "", ""};
  secret.secret = true;
  EXPECT_EQ(MaskedConfigValue(secret, "hunter2"), "(set)");
  EXPECT_EQ(MaskedConfigValue(secret, ""), "");
  EXPECT_EQ(MaskedConfigValue(plain, "postgresql://u:pw@h:5432/db"), "postgresql://u:****@h:5432/db");
  EXPECT_EQ(MaskedConfigValue(plain, "postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(MaskedConfigValue(plain, "postgresql://h/db?user=u&password=pw&sslmode=require"),
            "postgresql://h/db?user=u&password=****&sslmode=require");
  EXPECT_EQ(MaskedConfigValue(plain, "host=h password=pw dbname=d"), "host=h password=**** dbname=d");
  EXPECT_EQ(MaskedConfigValue(plain, "http://example.com/a@b"), "http://example.com/a@b");
  EXPECT_EQ(MaskedConfigValue(plain, "sqlite:///tmp/c.db"), "sqlite:///tmp/c.db");
}

TEST(ConfigTest, EffectiveListsEveryOptionWithItsSource) {
  std::vector<ConfigOption> options = {{"port", "8080", ""}, {"host", "127.0.0.1", ""}, {"token", "", ""}};
  options[2].secret = true;
  Result<Config> cfg = Config::Load(options, {"--port", "9"}, {{"CLASH_TOKEN", "abc"}});
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->Effective(options), "port = 9  (flag)\nhost = 127.0.0.1  (default)\ntoken = (set)  (env)\n");
}

}  // namespace
}  // namespace clash
