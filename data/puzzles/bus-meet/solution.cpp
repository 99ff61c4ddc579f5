#include <iostream>
#include <numeric>

int main() {
  int n;
  std::cin >> n;
  long long answer = 1;
  for (int i = 0; i < n; ++i) {
    long long p;
    std::cin >> p;
    answer = answer / std::gcd(answer, p) * p;
  }
  std::cout << answer << '\n';
}
