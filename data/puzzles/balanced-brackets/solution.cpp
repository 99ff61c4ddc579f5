#include <iostream>
#include <string>

int main() {
  std::string line;
  std::getline(std::cin, line);
  int n = std::stoi(line);
  const std::string open = "([{<", close = ")]}>";
  for (int i = 0; i < n; ++i) {
    std::getline(std::cin, line);
    std::string waiting;
    size_t fail = 0;
    for (size_t pos = 0; pos < line.size() && fail == 0; ++pos) {
      char c = line[pos];
      if (open.find(c) != std::string::npos) {
        waiting += c;
      } else if (size_t k = close.find(c); k != std::string::npos) {
        if (waiting.empty() || waiting.back() != open[k]) fail = pos + 1;
        else waiting.pop_back();
      }
    }
    if (fail == 0 && !waiting.empty()) fail = line.size() + 1;
    if (fail == 0) std::cout << "OK\n";
    else std::cout << fail << '\n';
  }
}
