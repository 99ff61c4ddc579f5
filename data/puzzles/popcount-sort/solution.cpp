#include <algorithm>
#include <bitset>
#include <iostream>
#include <vector>

int main() {
  int n;
  std::cin >> n;
  std::vector<long long> v(n);
  for (auto& x : v) std::cin >> x;
  auto ones = [](long long x) { return std::bitset<64>(static_cast<unsigned long long>(x)).count(); };
  std::sort(v.begin(), v.end(), [&](long long a, long long b) {
    return ones(a) != ones(b) ? ones(a) < ones(b) : a < b;
  });
  for (int i = 0; i < n; ++i) std::cout << v[i] << (i + 1 < n ? ' ' : '\n');
}
