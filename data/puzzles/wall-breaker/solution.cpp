#include <array>
#include <iostream>
#include <queue>
#include <string>
#include <vector>

int main() {
  int h, w, k;
  std::cin >> h >> w >> k;
  std::vector<std::string> g(h);
  for (auto& row : g) std::cin >> row;
  // dist[r][c][u] = fewest steps to stand on (r, c) having used u charges (-1: not reached)
  std::vector<std::vector<std::vector<int>>> dist(
      h, std::vector<std::vector<int>>(w, std::vector<int>(k + 1, -1)));
  std::queue<std::array<int, 3>> q;
  for (int r = 0; r < h; ++r) {
    for (int c = 0; c < w; ++c) {
      if (g[r][c] == 'S') {
        dist[r][c][0] = 0;
        q.push({r, c, 0});
      }
    }
  }
  const int dr[] = {1, -1, 0, 0}, dc[] = {0, 0, 1, -1};
  while (!q.empty()) {
    auto [r, c, used] = q.front();
    q.pop();
    if (g[r][c] == 'T') {
      std::cout << dist[r][c][used] << '\n';
      return 0;
    }
    for (int d = 0; d < 4; ++d) {
      int nr = r + dr[d], nc = c + dc[d];
      if (nr < 0 || nr >= h || nc < 0 || nc >= w) continue;
      int nu = used + (g[nr][nc] == '#' ? 1 : 0);
      if (nu > k || dist[nr][nc][nu] >= 0) continue;
      dist[nr][nc][nu] = dist[r][c][used] + 1;
      q.push({nr, nc, nu});
    }
  }
  std::cout << -1 << '\n';
}
