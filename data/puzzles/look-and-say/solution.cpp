#include <iostream>
#include <string>

int main() {
  std::string s;
  int n;
  std::cin >> s >> n;
  while (n-- > 0) {
    std::string next;
    for (size_t i = 0; i < s.size();) {
      size_t j = i;
      while (j < s.size() && s[j] == s[i]) ++j;
      next += std::to_string(j - i);
      next += s[i];
      i = j;
    }
    s = next;
  }
  std::cout << s << '\n';
}
