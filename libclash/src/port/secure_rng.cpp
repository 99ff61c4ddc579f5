// The kernel CSPRNG behind Rng::Secure().
#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

#include "clash/rng.h"

namespace clash {
namespace {

class SecureRng final : public Rng {
 public:
  void Fill(std::uint8_t* out, std::size_t n) override {
    while (n > 0) {
      ssize_t got = getrandom(out, n, 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        std::abort();  // no entropy source: refusing to continue is the only safe answer
      }
      out += got;
      n -= static_cast<std::size_t>(got);
    }
  }
};

}  // namespace

Rng& Rng::Secure() {
  static SecureRng* rng = new SecureRng();
  return *rng;
}

}  // namespace clash
