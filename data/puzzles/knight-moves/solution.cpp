#include <iostream>
#include <queue>
#include <string>
#include <vector>

int main() {
  int h, w;
  std::cin >> h >> w;
  std::vector<std::string> g(h);
  for (auto& row : g) std::cin >> row;
  std::vector<std::vector<int>> dist(h, std::vector<int>(w, -1));
  std::queue<std::pair<int, int>> q;
  for (int r = 0; r < h; ++r) {
    for (int c = 0; c < w; ++c) {
      if (g[r][c] == 'S') {
        dist[r][c] = 0;
        q.push({r, c});
      }
    }
  }
  const int dr[] = {1, 2, 2, 1, -1, -2, -2, -1}, dc[] = {2, 1, -1, -2, -2, -1, 1, 2};
  while (!q.empty()) {
    auto [r, c] = q.front();
    q.pop();
    if (g[r][c] == 'T') {
      std::cout << dist[r][c] << '\n';
      return 0;
    }
    for (int k = 0; k < 8; ++k) {
      int nr = r + dr[k], nc = c + dc[k];
      if (nr >= 0 && nr < h && nc >= 0 && nc < w && g[nr][nc] != '#' && dist[nr][nc] < 0) {
        dist[nr][nc] = dist[r][c] + 1;
        q.push({nr, nc});
      }
    }
  }
  std::cout << -1 << '\n';
}
