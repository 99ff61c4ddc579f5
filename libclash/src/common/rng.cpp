#include "clash/rng.h"

#include <limits>

namespace clash {

std::uint64_t Rng::Uniform(std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t span = hi - lo;
  if (span == std::numeric_limits<std::uint64_t>::max()) {
    std::uint64_t v;
    Fill(reinterpret_cast<std::uint8_t*>(&v), sizeof v);
    return v;
  }
  std::uint64_t range = span + 1;
  // Rejection sampling: discard the top partial bucket so every value is equally likely.
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - (std::numeric_limits<std::uint64_t>::max() % range);
  for (;;) {
    std::uint64_t v;
    Fill(reinterpret_cast<std::uint8_t*>(&v), sizeof v);
    if (v < limit) return lo + v % range;
  }
}

std::string Rng::HexToken(std::size_t n_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string bytes(n_bytes, '\0');
  Fill(reinterpret_cast<std::uint8_t*>(bytes.data()), n_bytes);
  std::string out;
  out.reserve(n_bytes * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

void SeededRng::Fill(std::uint8_t* out, std::size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  while (n > 0) {
    std::uint64_t v = engine_();
    for (int i = 0; i < 8 && n > 0; ++i, --n) *out++ = static_cast<std::uint8_t>(v >> (8 * i));
  }
}

}  // namespace clash
