#include <iostream>
#include <string>

int main() {
  long long a, b;
  std::cin >> a >> b;
  for (long long n = a; n <= b; ++n) {
    if (n % 7 == 0 || std::to_string(n).find('7') != std::string::npos) {
      std::cout << "CLAP\n";
    } else {
      std::cout << n << '\n';
    }
  }
}
