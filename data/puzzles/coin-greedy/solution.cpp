#include <iostream>
#include <string>

int main() {
  int a;
  std::cin >> a;
  std::string out;
  for (int value : {200, 100, 50, 20, 10, 5, 2, 1}) {
    for (; a >= value; a -= value) out += (out.empty() ? "" : " ") + std::to_string(value);
  }
  std::cout << out << '\n';
}
