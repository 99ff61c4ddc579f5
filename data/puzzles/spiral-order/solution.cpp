#include <iostream>
#include <string>
#include <vector>

int main() {
  int h, w;
  std::cin >> h >> w;
  std::vector<std::string> g(h);
  for (auto& row : g) std::cin >> row;
  std::string out;
  int top = 0, bottom = h - 1, left = 0, right = w - 1;
  while (top <= bottom && left <= right) {
    for (int c = left; c <= right; ++c) out += g[top][c];
    for (int r = top + 1; r <= bottom; ++r) out += g[r][right];
    if (top < bottom) {
      for (int c = right - 1; c >= left; --c) out += g[bottom][c];
    }
    if (left < right) {
      for (int r = bottom - 1; r > top; --r) out += g[r][left];
    }
    ++top, --bottom, ++left, --right;
  }
  std::cout << out << '\n';
}
