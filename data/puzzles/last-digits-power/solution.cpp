#include <cstdio>

int main() {
  long long a, b;
  int k;
  if (std::scanf("%lld %lld %d", &a, &b, &k) != 3) return 1;
  long long mod = 1;
  for (int i = 0; i < k; ++i) mod *= 10;
  long long result = 1 % mod, base = a % mod;
  for (; b > 0; b >>= 1) {
    if (b & 1) result = result * base % mod;
    base = base * base % mod;
  }
  std::printf("%0*lld\n", k, result);
}
