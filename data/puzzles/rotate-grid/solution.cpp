#include <iostream>
#include <string>
#include <vector>

int main() {
  int h, w;
  std::cin >> h >> w;
  std::vector<std::string> rows(h);
  for (auto& row : rows) std::cin >> row;
  for (int c = 0; c < w; ++c) {
    std::string line;
    for (int r = h - 1; r >= 0; --r) line += rows[r][c];
    std::cout << line << '\n';
  }
}
