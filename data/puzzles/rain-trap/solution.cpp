#include <algorithm>
#include <iostream>
#include <vector>

int main() {
  int n;
  std::cin >> n;
  std::vector<long long> h(n);
  for (auto& x : h) std::cin >> x;
  int lo = 0, hi = n - 1;
  long long left_max = 0, right_max = 0, water = 0;
  while (lo <= hi) {  // move inwards from the lower side: its water level is known
    if (left_max <= right_max) {
      left_max = std::max(left_max, h[lo]);
      water += left_max - h[lo++];
    } else {
      right_max = std::max(right_max, h[hi]);
      water += right_max - h[hi--];
    }
  }
  std::cout << water << '\n';
}
