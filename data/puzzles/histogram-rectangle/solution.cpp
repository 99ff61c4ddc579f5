#include <algorithm>
#include <iostream>
#include <vector>

int main() {
  int n;
  std::cin >> n;
  std::vector<long long> h(n);
  for (auto& x : h) std::cin >> x;
  // left[i], right[i]: the nearest lower building on each side (or the street's end)
  std::vector<int> left(n), right(n);
  for (int i = 0; i < n; ++i) {
    int j = i - 1;
    while (j >= 0 && h[j] >= h[i]) j = left[j];
    left[i] = j;
  }
  for (int i = n - 1; i >= 0; --i) {
    int j = i + 1;
    while (j < n && h[j] >= h[i]) j = right[j];
    right[i] = j;
  }
  long long best = 0;
  for (int i = 0; i < n; ++i) best = std::max(best, h[i] * (right[i] - left[i] - 1));
  std::cout << best << '\n';
}
