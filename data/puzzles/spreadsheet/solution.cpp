#include <cctype>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Cell {
  std::vector<std::string> terms;  // term, op, term, op, ...
  int state = 0;                   // 0 new, 1 being computed, 2 done
  std::optional<long long> value;
};

std::map<std::string, Cell> cells;

std::optional<long long> Value(const std::string& name) {
  auto it = cells.find(name);
  if (it == cells.end()) return std::nullopt;
  Cell& cell = it->second;
  if (cell.state == 2) return cell.value;
  if (cell.state == 1) return std::nullopt;  // a cycle
  cell.state = 1;
  long long total = 0;
  bool ok = true;
  for (size_t i = 0; i < cell.terms.size() && ok; i += 2) {
    const std::string& term = cell.terms[i];
    long long sign = (i == 0 || cell.terms[i - 1] == "+") ? 1 : -1;
    if (std::isdigit(static_cast<unsigned char>(term[0]))) {
      total += sign * std::stoll(term);
    } else if (auto v = Value(term)) {
      total += sign * *v;
    } else {
      ok = false;
    }
  }
  cell.state = 2;
  if (ok) cell.value = total;
  return cell.value;
}

}  // namespace

int main() {
  std::string line;
  std::getline(std::cin, line);
  int n = std::stoi(line);
  std::vector<std::string> order;
  for (int i = 0; i < n; ++i) {
    std::getline(std::cin, line);
    std::istringstream in(line);
    std::string name, eq, term;
    in >> name >> eq;
    order.push_back(name);
    while (in >> term) cells[name].terms.push_back(term);
  }
  for (const auto& name : order) {
    auto v = Value(name);
    std::cout << name << ' ' << (v ? std::to_string(*v) : "ERROR") << '\n';
  }
}
