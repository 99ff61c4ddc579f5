#include <array>
#include <iostream>
#include <vector>

namespace {

const long long kMod = 1000000007;

// Broken-profile DP: ways[mask] counts fillings of the columns so far where `mask` marks the
// cells of the next column already covered by horizontal dominoes sticking out.
void Fill(int row, int mask, int next_mask, long long ways, std::array<long long, 8>& out) {
  if (row == 3) {
    out[next_mask] = (out[next_mask] + ways) % kMod;
    return;
  }
  if (mask & (1 << row)) {
    Fill(row + 1, mask, next_mask, ways, out);
    return;
  }
  Fill(row + 1, mask, next_mask | (1 << row), ways, out);  // horizontal domino
  if (row + 1 < 3 && !(mask & (1 << (row + 1)))) {          // vertical domino
    Fill(row + 2, mask, next_mask, ways, out);
  }
}

}  // namespace

int main() {
  int t;
  std::cin >> t;
  std::vector<int> queries(t);
  int top = 0;
  for (int& n : queries) {
    std::cin >> n;
    if (n > top) top = n;
  }
  std::vector<long long> answer(top + 1);
  std::array<long long, 8> ways{};
  ways[0] = 1;
  for (int col = 1; col <= top; ++col) {
    std::array<long long, 8> next{};
    for (int mask = 0; mask < 8; ++mask) {
      if (ways[mask] != 0) Fill(0, mask, 0, ways[mask], next);
    }
    ways = next;
    answer[col] = ways[0];
  }
  for (int n : queries) std::cout << answer[n] << '\n';
}
