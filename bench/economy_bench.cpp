// clash-economy-bench STORAGE_URL [CLIENTS=16] [SECONDS=20] [USERS=1000]
//
// XP awards per second through the library (Ledger::Apply: one transaction with the ledger entry,
// its idempotency check and the balance update) from CLIENTS threads for SECONDS seconds, on
// USERS users picked at random (like pgbench's random accounts). Prints one line:
//   awards/s=<n> awards=<n> errors=<n> p50_us=<n> p99_us=<n>
// then checks that every balance equals the sum of its ledger entries (exit 1 if not).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "clash/economy.h"
#include "clash/storage.h"

namespace {

using Clock = std::chrono::steady_clock;

int Fail(const clash::Status& s, const char* what) {
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: clash-economy-bench STORAGE_URL [CLIENTS=16] [SECONDS=20] [USERS=1000]\n");
    return 2;
  }
  const std::string url = argv[1];
  const int clients = argc > 2 ? std::atoi(argv[2]) : 16;
  const int seconds = argc > 3 ? std::atoi(argv[3]) : 20;
  const int users = argc > 4 ? std::atoi(argv[4]) : 1000;

  auto storage = clash::OpenStorage(url);
  if (!storage.ok()) return Fail(storage.status(), "open");
  clash::Storage& db = **storage;
  clash::Clock& clock = clash::Clock::Real();

  // Users (created once; a rerun on the same database reuses them).
  std::vector<std::int64_t> ids;
  clash::Status made = db.Transact([&](clash::StorageTransaction& tx) -> clash::Status {
    ids.clear();
    for (int i = 0; i < users; ++i) {
      std::string name = "bench" + std::to_string(i);
      clash::Result<clash::User> existing = tx.users().GetByUsername(name);
      if (existing.ok()) {
        ids.push_back(existing->id);
        continue;
      }
      clash::NewUser u;
      u.username = name;
      u.email = name + "@bench.invalid";
      u.created_at = clock.Now();
      CLASH_ASSIGN_OR_RETURN(clash::User created, tx.users().Create(u));
      ids.push_back(created.id);
    }
    return clash::Status::Ok();
  });
  if (!made.ok()) return Fail(made, "create users");

  clash::Ledger ledger(db, clock);
  std::atomic<bool> stop{false};
  std::atomic<long> awards{0}, errors{0};
  std::vector<std::vector<int>> latencies(clients);
  const std::string run = std::to_string(clock.Now().unix_micros());
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::mt19937_64 gen(c + 1);
      long n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        std::int64_t user = ids[gen() % ids.size()];
        std::int64_t amount = 1 + static_cast<std::int64_t>(gen() % 50);
        std::string key = "bench:" + run + ":" + std::to_string(c) + ":" + std::to_string(n++);
        auto t0 = Clock::now();
        auto r = ledger.Apply({user, amount, clash::XpSource::kChallengeCompletion, "bench", key});
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
        if (r.ok() && r->applied) {
          awards.fetch_add(1, std::memory_order_relaxed);
          latencies[c].push_back(static_cast<int>(us));
        } else {
          if (errors.fetch_add(1) == 0 && !r.ok()) std::fprintf(stderr, "first error: %s\n", r.status().ToString().c_str());
        }
      }
    });
  }
  auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<int> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0 : all[static_cast<std::size_t>(p * (all.size() - 1))]; };
  std::printf("awards/s=%.0f awards=%ld errors=%ld p50_us=%d p99_us=%d\n", awards.load() / elapsed, awards.load(),
              errors.load(), pct(0.5), pct(0.99));

  // The ledger and the balances must agree after the run.
  clash::Status check = db.Read([&](clash::StorageTransaction& tx) -> clash::Status {
    for (std::int64_t id : ids) {
      CLASH_ASSIGN_OR_RETURN(std::int64_t balance, tx.ledger().Balance(id));
      CLASH_ASSIGN_OR_RETURN(std::int64_t sum, tx.ledger().SumEntries(id));
      if (balance != sum) return clash::Status::Internal("balance != sum of entries for user " + std::to_string(id));
    }
    return clash::Status::Ok();
  });
  if (!check.ok()) return Fail(check, "consistency");
  return 0;
}
