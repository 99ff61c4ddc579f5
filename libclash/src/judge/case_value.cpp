// CaseValue: construction, exact equality (order-free for dicts and sets) and the checker's
// comparison with a float tolerance.
#include <algorithm>
#include <cmath>

#include "clash/judge_cases.h"
#include "judge/case_json.h"

namespace clash {
namespace {

constexpr size_t kMaxIntDigits = 4300;  // Python's default int <-> str limit

int Sign(int c) { return (c > 0) - (c < 0); }

int CompareInts(const std::string& a, const std::string& b) {
  const bool na = !a.empty() && a[0] == '-', nb = !b.empty() && b[0] == '-';
  if (na != nb) return na ? -1 : 1;
  int c = a.size() != b.size() ? (a.size() < b.size() ? -1 : 1) : Sign(a.compare(b));
  return na ? -c : c;
}

int CompareFloats(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) - std::isnan(b);  // nan sorts last
  return (a > b) - (a < b);
}

template <typename T, typename F>
int CompareSeq(const std::vector<T>& a, const std::vector<T>& b, F cmp) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (int c = cmp(a[i], b[i])) return c;
  }
  return (a.size() > b.size()) - (a.size() < b.size());
}

int CompareEntries(const std::pair<CaseValue, CaseValue>& a, const std::pair<CaseValue, CaseValue>& b) {
  if (int c = internal::CompareCaseValues(a.first, b.first)) return c;
  return internal::CompareCaseValues(a.second, b.second);
}

// Items (or entries) in the canonical order, for the order-free kinds.
std::vector<CaseValue> Sorted(std::vector<CaseValue> items) {
  std::sort(items.begin(), items.end(),
            [](const CaseValue& a, const CaseValue& b) { return internal::CompareCaseValues(a, b) < 0; });
  return items;
}
std::vector<std::pair<CaseValue, CaseValue>> Sorted(std::vector<std::pair<CaseValue, CaseValue>> entries) {
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return CompareEntries(a, b) < 0; });
  return entries;
}

bool FloatsClose(double expected, double actual, double tolerance) {
  if (CompareFloats(expected, actual) == 0) return true;
  if (tolerance <= 0 || !std::isfinite(expected) || !std::isfinite(actual)) return false;
  return std::fabs(actual - expected) <= tolerance * std::max(1.0, std::fabs(expected));
}

}  // namespace

namespace internal {

int CompareCaseValues(const CaseValue& a, const CaseValue& b) {
  if (a.kind() != b.kind()) return a.kind() < b.kind() ? -1 : 1;
  switch (a.kind()) {
    case CaseValue::Kind::kNone:
      return 0;
    case CaseValue::Kind::kBool:
      return static_cast<int>(a.bool_value()) - static_cast<int>(b.bool_value());
    case CaseValue::Kind::kInt:
      return CompareInts(a.int_text(), b.int_text());
    case CaseValue::Kind::kFloat:
      return CompareFloats(a.float_value(), b.float_value());
    case CaseValue::Kind::kStr:
    case CaseValue::Kind::kRaises:
      return Sign(a.str().compare(b.str()));
    case CaseValue::Kind::kList:
    case CaseValue::Kind::kTuple:
      return CompareSeq(a.items(), b.items(), CompareCaseValues);
    case CaseValue::Kind::kSet:
    case CaseValue::Kind::kFrozenSet:
      return CompareSeq(Sorted(a.items()), Sorted(b.items()), CompareCaseValues);
    case CaseValue::Kind::kDict:
      return CompareSeq(Sorted(a.entries()), Sorted(b.entries()), CompareEntries);
  }
  return 0;
}

}  // namespace internal

CaseValue CaseValue::Bool(bool b) {
  CaseValue v(Kind::kBool, "", {});
  v.bool_ = b;
  return v;
}

CaseValue CaseValue::Float(double d) {
  CaseValue v(Kind::kFloat, "", {});
  v.float_ = d;
  return v;
}

CaseValue CaseValue::Dict(std::vector<std::pair<CaseValue, CaseValue>> entries) {
  CaseValue v(Kind::kDict, "", {});
  v.entries_ = std::move(entries);
  return v;
}

CaseValue CaseValue::Int(std::int64_t i) { return CaseValue(Kind::kInt, std::to_string(i), {}); }
CaseValue CaseValue::Str(std::string utf8) { return CaseValue(Kind::kStr, std::move(utf8), {}); }
CaseValue CaseValue::Raises(std::string exception) { return CaseValue(Kind::kRaises, std::move(exception), {}); }
CaseValue CaseValue::List(std::vector<CaseValue> items) { return CaseValue(Kind::kList, "", std::move(items)); }
CaseValue CaseValue::Tuple(std::vector<CaseValue> items) { return CaseValue(Kind::kTuple, "", std::move(items)); }
CaseValue CaseValue::Set(std::vector<CaseValue> items) { return CaseValue(Kind::kSet, "", std::move(items)); }
CaseValue CaseValue::FrozenSet(std::vector<CaseValue> items) {
  return CaseValue(Kind::kFrozenSet, "", std::move(items));
}

Result<CaseValue> CaseValue::BigInt(std::string_view decimal) {
  const bool negative = !decimal.empty() && decimal[0] == '-';
  std::string_view digits = decimal.substr(negative ? 1 : 0);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::InvalidArgument("an int must be decimal digits with an optional '-'");
  }
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  if (digits.size() > kMaxIntDigits) return Status::InvalidArgument("an int has more than 4300 digits");
  return CaseValue(Kind::kInt, (negative && digits != "0" ? "-" : "") + std::string(digits), {});
}

bool CaseValue::operator==(const CaseValue& other) const { return internal::CompareCaseValues(*this, other) == 0; }

bool CaseValuesMatch(const CaseValue& expected, const CaseValue& actual, double float_tolerance) {
  using Kind = CaseValue::Kind;
  if (expected.kind() != actual.kind()) return false;
  switch (expected.kind()) {
    case Kind::kFloat:
      return FloatsClose(expected.float_value(), actual.float_value(), float_tolerance);
    case Kind::kList:
    case Kind::kTuple: {
      const auto& e = expected.items();
      const auto& a = actual.items();
      if (e.size() != a.size()) return false;
      for (size_t i = 0; i < e.size(); ++i) {
        if (!CaseValuesMatch(e[i], a[i], float_tolerance)) return false;
      }
      return true;
    }
    case Kind::kDict: {
      // Keys compare exactly; the values of equal keys with the tolerance.
      auto e = Sorted(expected.entries());
      auto a = Sorted(actual.entries());
      if (e.size() != a.size()) return false;
      for (size_t i = 0; i < e.size(); ++i) {
        if (e[i].first != a[i].first || !CaseValuesMatch(e[i].second, a[i].second, float_tolerance)) return false;
      }
      return true;
    }
    default:
      return expected == actual;
  }
}

}  // namespace clash
