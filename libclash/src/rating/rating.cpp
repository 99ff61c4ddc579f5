// Weng-Lin with the Plackett-Luce model for free-for-all matches (see clash/rating.h).
//
// Notation as in Weng & Lin (2011), Algorithm 4, and openskill's plackett-luce model, with one
// player per team (so a team's mu and sigma² are the player's):
//   c      = sqrt(Σ_i (sigma_i² + beta²))
//   S_q    = Σ_{i : rank_i >= rank_q} exp(mu_i / c)          (the players not ahead of q)
//   A_q    = |{i : rank_i == rank_q}|                        (q's tie group)
//   Ω_i    = sigma_i²/c · Σ_{q : rank_q <= rank_i} ([i == q] − exp(mu_i/c)/S_q) / A_q
//   Δ_i    = gamma_i · sigma_i²/c² · Σ_{q : rank_q <= rank_i} (exp(mu_i/c)/S_q)(1 − exp(mu_i/c)/S_q) / A_q
//   gamma_i = sigma_i / c
//   mu_i'  = mu_i + Ω_i,   sigma_i' = sigma_i · sqrt(max(1 − Δ_i, kappa))
// where sigma_i already includes tau. The quotients exp(mu_i/c)/S_q do not change when every mu
// is shifted by the same amount, so the exponentials are taken of (mu_i − max mu)/c: no overflow
// for any finite ratings.
#include "clash/rating.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace clash {
namespace {

Status CheckOptions(const RatingOptions& o) {
  auto positive = [](double v) { return std::isfinite(v) && v > 0; };
  auto non_negative = [](double v) { return std::isfinite(v) && v >= 0; };
  if (!std::isfinite(o.mu)) return Status::InvalidArgument("rating option mu must be finite");
  if (!positive(o.sigma)) return Status::InvalidArgument("rating option sigma must be > 0");
  if (!positive(o.beta)) return Status::InvalidArgument("rating option beta must be > 0");
  if (!positive(o.kappa)) return Status::InvalidArgument("rating option kappa must be > 0");
  if (!non_negative(o.tau)) return Status::InvalidArgument("rating option tau must be >= 0");
  if (!non_negative(o.z)) return Status::InvalidArgument("rating option z must be >= 0");
  return Status::Ok();
}

Status CheckPlayers(std::span<const Rating> players, std::span<const int> ranks) {
  if (players.size() != ranks.size()) {
    return Status::InvalidArgument("ratings and ranks differ in length (" + std::to_string(players.size()) +
                                   " and " + std::to_string(ranks.size()) + ")");
  }
  if (players.size() < 2 || players.size() > kMaxRatedPlayers) {
    return Status::InvalidArgument("a rated match has 2.." + std::to_string(kMaxRatedPlayers) + " players, not " +
                                   std::to_string(players.size()));
  }
  for (std::size_t i = 0; i < players.size(); ++i) {
    if (!std::isfinite(players[i].mu)) {
      return Status::InvalidArgument("player " + std::to_string(i) + ": mu must be finite");
    }
    if (!std::isfinite(players[i].sigma) || players[i].sigma <= 0) {
      return Status::InvalidArgument("player " + std::to_string(i) + ": sigma must be finite and > 0");
    }
  }
  return Status::Ok();
}

}  // namespace

Rating DefaultRating(const RatingOptions& options) { return Rating{options.mu, options.sigma}; }

double Ordinal(const Rating& rating, const RatingOptions& options) { return rating.mu - options.z * rating.sigma; }

Result<std::vector<Rating>> Rate(std::span<const Rating> players, std::span<const int> ranks,
                                 const RatingOptions& options) {
  CLASH_RETURN_IF_ERROR(CheckOptions(options));
  CLASH_RETURN_IF_ERROR(CheckPlayers(players, ranks));
  const std::size_t n = players.size();
  const double beta_sq = options.beta * options.beta;
  const double tau_sq = options.tau * options.tau;

  // sigma² after the dynamics term, and c.
  std::vector<double> var(n);
  double c_sq = 0;
  double max_mu = players[0].mu;
  for (std::size_t i = 0; i < n; ++i) {
    var[i] = players[i].sigma * players[i].sigma + tau_sq;
    c_sq += var[i] + beta_sq;
    max_mu = std::max(max_mu, players[i].mu);
  }
  const double c = std::sqrt(c_sq);

  std::vector<double> e(n);  // exp((mu_i − max mu) / c)
  for (std::size_t i = 0; i < n; ++i) e[i] = std::exp((players[i].mu - max_mu) / c);
  std::vector<double> sum_q(n, 0.0);  // S_q
  std::vector<double> a(n, 0.0);      // A_q
  for (std::size_t q = 0; q < n; ++q) {
    for (std::size_t i = 0; i < n; ++i) {
      if (ranks[i] >= ranks[q]) sum_q[q] += e[i];
      if (ranks[i] == ranks[q]) a[q] += 1;
    }
  }

  std::vector<Rating> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    double omega = 0;
    double delta = 0;
    for (std::size_t q = 0; q < n; ++q) {
      if (ranks[q] > ranks[i]) continue;
      const double quotient = e[i] / sum_q[q];
      omega += ((i == q ? 1.0 : 0.0) - quotient) / a[q];
      delta += quotient * (1 - quotient) / a[q];
    }
    const double sigma = std::sqrt(var[i]);
    const double gamma = sigma / c;
    const double new_mu = players[i].mu + omega * (var[i] / c);
    const double shrink = delta * (var[i] / c_sq) * gamma;
    double new_sigma = sigma * std::sqrt(std::max(1 - shrink, options.kappa));
    if (options.limit_sigma) new_sigma = std::min(new_sigma, players[i].sigma);
    out[i] = Rating{new_mu, new_sigma};
  }
  return out;
}

}  // namespace clash
