// An embedder's program against the installed library: opens storage, loads the shipped levels,
// creates a user, awards XP through the ledger (twice with one idempotency key) and prints what it saw.
//   embedder STORAGE_URL LEVELS_DIR
#include <cstdio>
#include <memory>

#include "clash/clash.h"

namespace {
int Fail(const clash::Status& status) {
  std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s STORAGE_URL LEVELS_DIR\n", argv[0]);
    return 2;
  }
  clash::EngineOptions options;
  options.storage_url = argv[1];
  clash::Result<std::unique_ptr<clash::Engine>> engine = clash::Engine::Open(std::move(options));
  if (!engine.ok()) return Fail(engine.status());
  clash::Result<int> loaded = (*engine)->catalogue().LoadFromDirectory(argv[2]);
  if (!loaded.ok()) return Fail(loaded.status());
  clash::Result<std::vector<clash::Level>> levels = (*engine)->catalogue().List();
  if (!levels.ok()) return Fail(levels.status());
  std::printf("levels: %zu\n", levels->size());

  clash::Result<clash::User> user = (*engine)->auth().CreateSuperuser("embedder", "embedder@example.com",
                                                                      "a long enough password 1");
  if (!user.ok()) return Fail(user.status());
  for (int i = 0; i < 2; ++i) {
    clash::Result<clash::LedgerResult> applied = (*engine)->ledger().Apply(
        {.user_id = user->id, .amount = 25, .reference = "embedder", .idempotency_key = "embedder-award-1"});
    if (!applied.ok()) return Fail(applied.status());
  }
  clash::Result<std::int64_t> balance = (*engine)->ledger().Balance(user->id);
  if (!balance.ok()) return Fail(balance.status());
  std::printf("balance: %lld\n", static_cast<long long>(*balance));
  return 0;
}
