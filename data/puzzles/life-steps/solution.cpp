#include <iostream>
#include <string>
#include <vector>

int main() {
  int h, w, k;
  std::cin >> h >> w >> k;
  std::vector<std::string> g(h);
  for (auto& row : g) std::cin >> row;
  while (k-- > 0) {
    std::vector<std::string> next = g;
    for (int r = 0; r < h; ++r) {
      for (int c = 0; c < w; ++c) {
        int n = 0;
        for (int dr = -1; dr <= 1; ++dr) {
          for (int dc = -1; dc <= 1; ++dc) {
            int rr = r + dr, cc = c + dc;
            if ((dr || dc) && rr >= 0 && rr < h && cc >= 0 && cc < w && g[rr][cc] == '#') ++n;
          }
        }
        next[r][c] = (n == 3 || (n == 2 && g[r][c] == '#')) ? '#' : '.';
      }
    }
    g = next;
  }
  for (const auto& row : g) std::cout << row << '\n';
}
