// clash/rating.h — skill ratings: Weng-Lin (OpenSkill) with the Plackett-Luce model, free-for-all.
//
// Each player has a Gaussian belief about their skill: mean `mu` and deviation `sigma`. After a
// match of 2..kMaxRatedPlayers players, `Rate` returns every player's new rating from the old ones
// and the final ranks (lower is better; equal ranks are ties). The display value is the
// conservative `Ordinal` mu − 3·sigma, which starts at 0 and rises as a player wins and the
// system grows confident.
//
// The update is Algorithm 4 of Weng & Lin, "A Bayesian Approximation Method for Online Ranking"
// (JMLR 12, 2011), with one player per team, computed exactly as the `openskill` package
// (npm openskill 5, Python openskill) computes its default model: before the update each sigma
// grows by the dynamics term tau (sigma' = sqrt(sigma² + tau²)), gamma = sigma'/c, and a sigma
// never shrinks below sqrt(kappa) of itself in one match. The defaults are that package's:
// mu 25, sigma 25/3, beta 25/6, kappa 1e-4, tau 25/300, z 3. tests/rating checks this module
// against the npm package on fixed games to 1e-6.
//
// Pure functions: no storage, no clock, no randomness; the matches module stores the ratings
// (per player and mode) and calls Rate once per finished match.
//
// Thread-safety: every function is reentrant.
//
// Example (three players, the second and third tie behind the first):
//   std::vector<clash::Rating> before(3, clash::DefaultRating());
//   CLASH_ASSIGN_OR_RETURN(std::vector<clash::Rating> after, clash::Rate(before, {1, 2, 2}));
//   // after[0].mu ≈ 27.87, after[1].mu == after[2].mu ≈ 23.57; clash::Ordinal(after[0]) ≈ 3.25
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "clash/export.h"
#include "clash/status.h"

namespace clash {

// One player's skill belief.
struct Rating {
  double mu = 25.0;
  double sigma = 25.0 / 3.0;
  friend bool operator==(const Rating&, const Rating&) = default;
};

// The model's constants; the defaults are openskill's.
struct RatingOptions {
  double mu = 25.0;           // the mean of a new player
  double sigma = 25.0 / 3.0;  // the deviation of a new player
  double beta = 25.0 / 6.0;   // the performance noise: skill gap that gives ~76 % win odds
  double kappa = 1e-4;        // floor of the variance shrink factor in one match
  double tau = 25.0 / 300.0;  // dynamics: added (in quadrature) to sigma before each match
  double z = 3.0;             // Ordinal = mu − z·sigma
  bool limit_sigma = false;   // if true, a match never raises a player's sigma (tau cannot widen it)
};

// The most players one call rates (the update costs O(n²)); matches have 2..8.
inline constexpr std::size_t kMaxRatedPlayers = 256;

// A new player's rating: {options.mu, options.sigma}.
CLASH_EXPORT Rating DefaultRating(const RatingOptions& options = {});

// The display value mu − z·sigma (0 for a new player with the defaults).
CLASH_EXPORT double Ordinal(const Rating& rating, const RatingOptions& options = {});

// The ratings after one free-for-all match. `players[i]` finished with `ranks[i]` (any integers;
// lower is better, equal values tie; 1, 2, 2, 4 and 0, 5, 5, 9 mean the same). The result is in the
// order of `players`. InvalidArgument when the sizes differ, there are fewer than 2 or more than
// kMaxRatedPlayers players, a mu is not finite, a sigma is not finite and > 0, or an option is out of
// range (sigma, beta, kappa > 0; tau, z >= 0; all finite).
CLASH_EXPORT Result<std::vector<Rating>> Rate(std::span<const Rating> players, std::span<const int> ranks,
                                              const RatingOptions& options = {});

}  // namespace clash
