#include <algorithm>
#include <iostream>
#include <utility>
#include <vector>

int main() {
  int n;
  std::cin >> n;
  std::vector<std::pair<long long, long long>> v(n);
  for (auto& [a, b] : v) std::cin >> a >> b;
  std::sort(v.begin(), v.end());
  long long start = v[0].first, end = v[0].second;
  for (int i = 1; i <= n; ++i) {
    if (i < n && v[i].first <= end) {
      end = std::max(end, v[i].second);
      continue;
    }
    std::cout << start << ' ' << end << '\n';
    if (i < n) start = v[i].first, end = v[i].second;
  }
}
