#include <iostream>
#include <string>

int main() {
  int n;
  std::cin >> n;
  for (int i = 0; i < n; ++i) {
    unsigned long long x;
    std::cin >> x;
    std::string bits;
    int ones = 0;
    do {
      bits.insert(bits.begin(), static_cast<char>('0' + (x & 1)));
      ones += static_cast<int>(x & 1);
      x >>= 1;
    } while (x > 0);
    std::cout << bits << ' ' << ones << '\n';
  }
}
