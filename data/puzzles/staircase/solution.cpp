#include <iostream>
#include <string>

int main() {
  int n, w;
  std::cin >> n >> w;
  for (int i = 1; i <= n; ++i) {
    std::cout << std::string((n - i) * w, ' ') << std::string(i * w, '#') << '\n';
  }
}
