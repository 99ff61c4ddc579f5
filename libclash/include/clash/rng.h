// clash/rng.h — injected randomness.
//
// Modules never call rand() or open /dev/urandom themselves: they take an Rng from EngineOptions.
// Rng::Secure() draws from the kernel CSPRNG and is what production uses for codes, ids and tokens;
// SeededRng is deterministic for tests.
//
// Thread-safety: Secure() and SeededRng are safe for concurrent use.
//
// Example:
//   clash::SeededRng rng(42);
//   std::string id = rng.HexToken(16);   // 32 hex characters, the same on every run with seed 42
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "clash/export.h"

namespace clash {

class CLASH_EXPORT Rng {
 public:
  virtual ~Rng() = default;
  // Fills `out[0..n)` with random bytes.
  virtual void Fill(std::uint8_t* out, std::size_t n) = 0;

  // A uniform integer in [lo, hi]. Precondition: lo <= hi.
  std::uint64_t Uniform(std::uint64_t lo, std::uint64_t hi);
  // `n_bytes` random bytes rendered as 2*n_bytes lowercase hex characters.
  std::string HexToken(std::size_t n_bytes);

  // The process-wide CSPRNG (getrandom(2)). Never destroyed.
  static Rng& Secure();
};

// A deterministic generator for tests and simulations. Not for secrets.
class CLASH_EXPORT SeededRng final : public Rng {
 public:
  explicit SeededRng(std::uint64_t seed) : engine_(seed) {}
  void Fill(std::uint8_t* out, std::size_t n) override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

}  // namespace clash
