#include <cctype>
#include <iostream>
#include <string>

namespace {

// Recursive descent over the line with spaces removed.
class Parser {
 public:
  explicit Parser(std::string text) : s_(std::move(text)) {}
  long long Expression() {
    long long sign = 1;
    if (Peek() == '-') {
      ++pos_;
      sign = -1;
    }
    long long value = sign * Term();
    while (Peek() == '+' || Peek() == '-') {
      char op = s_[pos_++];
      long long rhs = Term();
      value = op == '+' ? value + rhs : value - rhs;
    }
    return value;
  }

 private:
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  long long Term() {
    long long value = Factor();
    while (Peek() == '*') {
      ++pos_;
      value *= Factor();
    }
    return value;
  }
  long long Factor() {
    if (Peek() == '(') {
      ++pos_;
      long long value = Expression();
      ++pos_;  // ')'
      return value;
    }
    long long value = 0;
    while (std::isdigit(static_cast<unsigned char>(Peek()))) value = value * 10 + (s_[pos_++] - '0');
    return value;
  }
  std::string s_;
  size_t pos_ = 0;
};

}  // namespace

int main() {
  std::string line;
  std::getline(std::cin, line);
  int t = std::stoi(line);
  for (int i = 0; i < t; ++i) {
    std::getline(std::cin, line);
    std::string compact;
    for (char c : line) {
      if (c != ' ') compact += c;
    }
    std::cout << Parser(compact).Expression() << '\n';
  }
}
