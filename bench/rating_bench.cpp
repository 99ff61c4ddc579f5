// clash-rating-bench [MATCHES=200000] [PLAYERS=8]
//
// The cost of one rating update (clash::Rate, Weng-Lin Plackett-Luce) per free-for-all match of
// PLAYERS players: MATCHES matches over a pool of 10,000 players with ratings carried from match to
// match (so mu and sigma spread as in a live ladder), random finishing orders with occasional ties,
// single thread. The inputs are drawn before the clock starts. Prints one line:
//   players=<n> matches=<n> ns_per_match=<wall> cpu_ns_per_match=<n> matches_per_s=<n> checksum=<sum of ordinals>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <span>
#include <vector>

#include "clash/rating.h"

int main(int argc, char** argv) {
  const long matches = argc > 1 ? std::atol(argv[1]) : 200000;
  const int players = argc > 2 ? std::atoi(argv[2]) : 8;
  if (matches <= 0 || players < 2 || players > static_cast<int>(clash::kMaxRatedPlayers)) {
    std::fprintf(stderr, "usage: clash-rating-bench [MATCHES>0] [PLAYERS 2..%zu]\n", clash::kMaxRatedPlayers);
    return 2;
  }
  constexpr int kPool = 10000;
  std::mt19937_64 gen(42);  // fixed seed: the same workload every run
  std::vector<int> seats(static_cast<size_t>(matches) * players);
  std::vector<int> ranks(seats.size());
  std::uniform_int_distribution<int> pick(0, kPool - 1);
  for (long m = 0; m < matches; ++m) {
    for (int i = 0; i < players; ++i) {
      seats[m * players + i] = pick(gen);
      ranks[m * players + i] = i + 1;
    }
    std::shuffle(ranks.begin() + m * players, ranks.begin() + (m + 1) * players, gen);
    if (gen() % 4 == 0) ranks[m * players + 1] = ranks[m * players];  // a tie in a quarter of matches
  }
  std::vector<clash::Rating> pool(kPool, clash::DefaultRating());
  std::vector<clash::Rating> before(players);

  // Wall time and this process's CPU time: on a shared machine the CPU figure is the cost, the wall
  // figure includes waiting for a core.
  timespec cpu_start{}, cpu_end{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_start);
  const auto start = std::chrono::steady_clock::now();
  for (long m = 0; m < matches; ++m) {
    for (int i = 0; i < players; ++i) before[i] = pool[seats[m * players + i]];
    auto after = clash::Rate(before, std::span<const int>(&ranks[m * players], players));
    if (!after.ok()) {
      std::fprintf(stderr, "Rate: %s\n", after.status().ToString().c_str());
      return 1;
    }
    for (int i = 0; i < players; ++i) pool[seats[m * players + i]] = (*after)[i];
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_end);
  const double cpu_seconds =
      static_cast<double>(cpu_end.tv_sec - cpu_start.tv_sec) + static_cast<double>(cpu_end.tv_nsec - cpu_start.tv_nsec) * 1e-9;

  double checksum = 0;
  for (const clash::Rating& r : pool) checksum += clash::Ordinal(r);
  std::printf("players=%d matches=%ld ns_per_match=%.0f cpu_ns_per_match=%.0f matches_per_s=%.0f checksum=%.6f\n",
              players, matches, seconds * 1e9 / static_cast<double>(matches),
              cpu_seconds * 1e9 / static_cast<double>(matches), static_cast<double>(matches) / seconds, checksum);
  return 0;
}
