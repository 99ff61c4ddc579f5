#include <iostream>
#include <string>

namespace {

int Value(char c) {
  switch (c) {
    case 'I': return 1;
    case 'V': return 5;
    case 'X': return 10;
    case 'L': return 50;
    case 'C': return 100;
    case 'D': return 500;
    default: return 1000;
  }
}

int Parse(const std::string& s) {
  int total = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    int v = Value(s[i]);
    total += (i + 1 < s.size() && Value(s[i + 1]) > v) ? -v : v;
  }
  return total;
}

}  // namespace

int main() {
  std::string numeral, op;
  std::cin >> numeral;
  int total = Parse(numeral);
  while (std::cin >> op >> numeral) total += op == "+" ? Parse(numeral) : -Parse(numeral);
  const int values[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
  const char* letters[] = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};
  std::string out;
  for (int i = 0; i < 13; ++i) {
    for (; total >= values[i]; total -= values[i]) out += letters[i];
  }
  std::cout << out << '\n';
}
