#include <iostream>
#include <sstream>
#include <string>

int main() {
  size_t width;
  std::string text;
  std::cin >> width;
  std::getline(std::cin, text);
  std::getline(std::cin, text);
  std::istringstream words(text);
  std::string word, line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() <= width) {
      line += ' ' + word;
    } else {
      if (!line.empty()) std::cout << line << '\n';
      line = word;
    }
  }
  std::cout << line << '\n';
}
