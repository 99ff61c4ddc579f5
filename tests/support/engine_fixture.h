// A parameterised fixture that opens one Engine per test on every storage backend (SQLite file,
// SQLite :memory:, PostgreSQL) with a FakeClock, a SeededRng, a temporary data_dir and the shared
// signing key. Suites adjust the options in Configure() (it runs in SetUp() before the engine
// opens) and add their own helpers.
//
// Usage:
//   class ShopTest : public EngineTest {};
//   TEST_P(ShopTest, Buys) { User u = CreateUser("ada"); ... engine().shop()... }
//   INSTANTIATE_TEST_SUITE_P(Backends, ShopTest, ::testing::ValuesIn(AllBackends()), BackendParamName);
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "clash/engine.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"

namespace clash::testing {

// One RSA signing key for every engine test (generation is slow under sanitizers).
inline const TokenKeys& SharedTokenKeys() {
  static const TokenKeys* keys = [] {
    auto* k = new TokenKeys();
    if (!k->Rotate().ok()) std::abort();
    return k;
  }();
  return *keys;
}

// Test names end in the backend's name: ".../SqliteFile", ".../Postgres".
inline std::string BackendParamName(const ::testing::TestParamInfo<BackendParam>& p) { return p.param.name; }

class EngineTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  explicit EngineTest(Timestamp start = Timestamp::FromUnixSeconds(1'800'000'000), std::uint64_t seed = 7)
      : clock_(start), rng_(seed) {}

  void SetUp() override {
    backend_ = GetParam().make();
    EngineOptions opts;
    opts.storage_url = backend_->url();
    opts.clock = &clock_;
    opts.rng = &rng_;
    opts.data_dir = dir_.path().string();
    opts.token_keys = SharedTokenKeys();
    opts.auth.secret_key = std::string(40, 'k');
    Configure(opts);
    auto engine = Engine::Open(std::move(opts));
    ASSERT_THAT(engine, IsOk());
    engine_ = std::move(engine).value();
  }

  // Adjusts the options before the engine opens (default: none).
  virtual void Configure(EngineOptions& /*opts*/) {}

  Engine& engine() { return *engine_; }
  Storage& storage() { return engine_->storage(); }

  // Mail goes to files in <data_dir>/outbox (call from Configure); see LastMailedCode.
  void UseFileOutbox(EngineOptions& opts) {
    FileOutboxOptions outbox;
    outbox.clock = &clock_;
    opts.mailer = NewFileOutboxMailer(outbox_dir().string(), outbox);
  }
  std::filesystem::path outbox_dir() const { return dir_.path() / "outbox"; }

  // The 6-digit code in the newest mail to `email` in the outbox ("" if there is none).
  std::string LastMailedCode(const std::string& email) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(outbox_dir())) {
      if (e.path().extension() == ".eml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (auto it = files.rbegin(); it != files.rend(); ++it) {
      std::ifstream in(*it);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string text = ss.str();
      if (text.find("To: " + email) == std::string::npos) continue;
      std::smatch m;
      if (std::regex_search(text, m, std::regex("code is ([0-9]{6})"))) return m[1];
    }
    return "";
  }

  // Creates a user directly in storage (no OTP round trip). Records a test failure and returns a
  // User with id 0 if the store refuses.
  User CreateUser(const std::string& username, bool is_staff = false, bool is_superuser = false) {
    NewUser nu;
    nu.username = username;
    nu.email = username + "@example.com";
    nu.first_name = username;
    nu.is_staff = is_staff || is_superuser;
    nu.is_superuser = is_superuser;
    nu.created_at = clock_.Now();
    User out;
    Status s = storage().Transact([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(out, tx.users().Create(nu));
      return Status::Ok();
    });
    EXPECT_THAT(s, IsOk()) << "creating user " << username;
    return out;
  }

  TempDir dir_;
  FakeClock clock_;
  SeededRng rng_;
  std::unique_ptr<ScratchBackend> backend_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace clash::testing
