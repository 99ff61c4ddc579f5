#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

int main() {
  std::string first;
  std::getline(std::cin, first);
  int n = std::stoi(first);
  std::vector<std::string> lines(n);
  for (auto& line : lines) std::getline(std::cin, line);
  for (int i = n - 1; i >= 0; --i) {
    std::reverse(lines[i].begin(), lines[i].end());
    std::cout << lines[i] << '\n';
  }
}
