#include <cstdio>

int main() {
  int hh, mm;
  long long m;
  if (std::scanf("%d:%d %lld", &hh, &mm, &m) != 3) return 1;
  long long total = ((hh * 60 + mm + m) % 1440 + 1440) % 1440;
  std::printf("%02lld:%02lld\n", total / 60, total % 60);
}
