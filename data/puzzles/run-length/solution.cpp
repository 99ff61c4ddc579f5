#include <iostream>
#include <string>

int main() {
  std::string s, out;
  std::cin >> s;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    while (j < s.size() && s[j] == s[i]) ++j;
    if (j - i > 1) out += std::to_string(j - i);
    out += s[i];
    i = j;
  }
  std::cout << out << '\n';
}
