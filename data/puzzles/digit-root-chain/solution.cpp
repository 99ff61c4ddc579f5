#include <iostream>
#include <string>

int main() {
  int t;
  std::cin >> t;
  while (t-- > 0) {
    std::string n;
    std::cin >> n;
    std::string line = n;
    while (n.size() > 1) {
      int sum = 0;
      for (char c : n) sum += c - '0';
      n = std::to_string(sum);
      line += " -> " + n;
    }
    std::cout << line << '\n';
  }
}
