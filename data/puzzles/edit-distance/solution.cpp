#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

int main() {
  int ins, del, rep;
  std::string a, b;
  std::cin >> ins >> del >> rep >> a >> b;
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> cost(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) cost[i][0] = static_cast<int>(i) * del;
  for (size_t j = 0; j <= m; ++j) cost[0][j] = static_cast<int>(j) * ins;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      int keep = cost[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : rep);
      cost[i][j] = std::min({keep, cost[i - 1][j] + del, cost[i][j - 1] + ins});
    }
  }
  std::cout << cost[n][m] << '\n';
}
