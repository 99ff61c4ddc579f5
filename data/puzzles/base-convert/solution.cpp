#include <algorithm>
#include <iostream>
#include <string>

int main() {
  const std::string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  int t;
  std::cin >> t;
  while (t-- > 0) {
    long long b1, b2;
    std::string x;
    std::cin >> b1 >> b2 >> x;
    long long value = 0;
    for (char c : x) value = value * b1 + static_cast<long long>(digits.find(c));
    std::string out;
    do {
      out += digits[value % b2];
      value /= b2;
    } while (value > 0);
    std::reverse(out.begin(), out.end());
    std::cout << out << '\n';
  }
}
