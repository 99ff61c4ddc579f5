#include <cctype>
#include <iostream>
#include <string>

int main() {
  std::string line, best, word;
  std::getline(std::cin, line);
  line += ' ';
  for (char c : line) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += c;
    } else {
      if (word.size() > best.size()) best = word;
      word.clear();
    }
  }
  std::cout << best << '\n';
}
