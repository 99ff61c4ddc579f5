#include <iostream>
#include <vector>

int main() {
  const long long kMod = 1000000007;
  int n, k, b;
  std::cin >> n >> k;
  std::vector<int> steps(k);
  for (int& s : steps) std::cin >> s;
  std::cin >> b;
  std::vector<bool> broken(n + 1, false);
  for (int i = 0; i < b; ++i) {
    int x;
    std::cin >> x;
    broken[x] = true;
  }
  std::vector<long long> ways(n + 1, 0);
  ways[0] = 1;
  for (int i = 0; i < n; ++i) {  // push from stair i
    if (ways[i] == 0) continue;
    for (int s : steps) {
      if (i + s <= n && !broken[i + s]) ways[i + s] = (ways[i + s] + ways[i]) % kMod;
    }
  }
  std::cout << ways[n] << '\n';
}
