#include <iostream>
#include <string>

int main() {
  long long k;
  std::cin >> k;
  std::string text;
  std::getline(std::cin, text);  // rest of line 1
  std::getline(std::cin, text);
  int shift = static_cast<int>(((k % 26) + 26) % 26);
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + shift) % 26);
    else if (c >= 'A' && c <= 'Z') c = static_cast<char>('A' + (c - 'A' + shift) % 26);
  }
  std::cout << text << '\n';
}
