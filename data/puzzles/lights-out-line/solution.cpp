#include <algorithm>
#include <bitset>
#include <iostream>
#include <string>

namespace {

// Presses needed when switch 0 is pressed or not; -1 if the lamps stay on.
int Solve(const std::string& lamps, bool press_first) {
  const int n = static_cast<int>(lamps.size());
  std::bitset<1002> state;  // lamp i at bit i + 1, so i - 1 and i + 1 always exist
  for (int i = 0; i < n; ++i) state[i + 1] = lamps[i] == '1';
  const std::bitset<1002> mask = 7;
  int count = 0;
  for (int i = 0; i < n; ++i) {
    bool press = i == 0 ? press_first : state[i];  // state[i] is lamp i - 1
    if (press) {
      state ^= mask << i;
      ++count;
    }
  }
  state[0] = state[n + 1] = false;  // the borders are not lamps
  return state.none() ? count : -1;
}

}  // namespace

int main() {
  int t;
  std::cin >> t;
  while (t-- > 0) {
    std::string lamps;
    std::cin >> lamps;
    int a = Solve(lamps, false), b = Solve(lamps, true);
    int best = a < 0 ? b : (b < 0 ? a : std::min(a, b));
    std::cout << best << '\n';
  }
}
