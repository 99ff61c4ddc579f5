// Values as Python literals, and a level's public cases as the Python asserts the browser runs.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "clash/judge_cases.h"

namespace clash {
namespace {

// Python's repr(float): shortest round-trip digits, positional for 1e-4 <= |x| < 1e16, else
// d.ddde+XX; always with a '.' or an exponent.
std::string FloatRepr(double d) {
  if (std::isnan(d)) return "float('nan')";
  if (std::isinf(d)) return d > 0 ? "float('inf')" : "-float('inf')";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  (void)ec;
  std::string sci(buf, end);  // "-1.2345e+03"
  const bool negative = sci[0] == '-';
  const size_t e = sci.find('e');
  std::string digits;
  for (size_t i = negative ? 1 : 0; i < e; ++i) {
    if (sci[i] != '.') digits.push_back(sci[i]);
  }
  const int exp = std::stoi(sci.substr(e + 1));
  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return out + ebuf;
  }
  if (exp < 0) return out + "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  const size_t point = static_cast<size_t>(exp) + 1;
  if (digits.size() <= point) return out + digits + std::string(point - digits.size(), '0') + ".0";
  return out + digits.substr(0, point) + "." + digits.substr(point);
}

// A quoted Python string literal with the value of `s` (UTF-8): repr's quote choice; controls,
// C1 controls and line/paragraph separators escaped; everything else kept as it is.
std::string StrRepr(const std::string& s) {
  const bool has_single = s.find('\'') != std::string::npos;
  const char quote = has_single && s.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, quote);
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    char esc[16];
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      std::snprintf(esc, sizeof esc, "\\x%02x", c);
      out += esc;
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      std::snprintf(esc, sizeof esc, "\\x%02x", static_cast<unsigned char>(s[i + 1]));  // U+0080..U+009F
      out += esc;
      ++i;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + quote;
}

Result<std::string> Join(const std::vector<CaseValue>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    CLASH_ASSIGN_OR_RETURN(std::string item, PythonLiteral(items[i]));
    out += (i == 0 ? "" : ", ") + item;
  }
  return out;
}

bool ContainsNan(const CaseValue& v) { return v.kind() == CaseValue::Kind::kFloat && std::isnan(v.float_value()); }

// One call checked against its expected value, as Python statements.
Result<std::string> CheckCall(const std::string& call, const CaseValue& expected, double tolerance) {
  if (expected.kind() == CaseValue::Kind::kRaises) {
    // Ends in a top-level assert, so the check counts (and fails) as one test.
    return "try:\n    " + call + "\n    _raised = False\nexcept " + expected.str() +
           ":\n    _raised = True\nassert _raised, " + StrRepr(call + " should raise " + expected.str()) + "\n";
  }
  if (ContainsNan(expected)) return "assert math.isnan(" + call + ")\n";
  CLASH_ASSIGN_OR_RETURN(std::string literal, PythonLiteral(expected));
  if (expected.kind() == CaseValue::Kind::kFloat && tolerance > 0 && std::isfinite(expected.float_value())) {
    return "assert abs(" + call + " - " + literal + ") <= " + FloatRepr(tolerance) + " * max(1, abs(" + literal +
           "))\n";
  }
  return "assert " + call + " == " + literal + "\n";
}

}  // namespace

Result<std::string> PythonLiteral(const CaseValue& v) {
  using Kind = CaseValue::Kind;
  switch (v.kind()) {
    case Kind::kNone:
      return std::string("None");
    case Kind::kBool:
      return std::string(v.bool_value() ? "True" : "False");
    case Kind::kInt:
      return v.int_text();
    case Kind::kFloat:
      return FloatRepr(v.float_value());
    case Kind::kStr:
      return StrRepr(v.str());
    case Kind::kList: {
      CLASH_ASSIGN_OR_RETURN(std::string items, Join(v.items()));
      return "[" + items + "]";
    }
    case Kind::kTuple: {
      CLASH_ASSIGN_OR_RETURN(std::string items, Join(v.items()));
      return "(" + items + (v.items().size() == 1 ? ",)" : ")");
    }
    case Kind::kSet:
    case Kind::kFrozenSet: {
      CLASH_ASSIGN_OR_RETURN(std::string items, Join(v.items()));
      std::string set = v.items().empty() ? "set()" : "{" + items + "}";
      return v.kind() == Kind::kSet ? set : "frozenset(" + (v.items().empty() ? "" : set) + ")";
    }
    case Kind::kDict: {
      std::string out = "{";
      for (size_t i = 0; i < v.entries().size(); ++i) {
        CLASH_ASSIGN_OR_RETURN(std::string key, PythonLiteral(v.entries()[i].first));
        CLASH_ASSIGN_OR_RETURN(std::string value, PythonLiteral(v.entries()[i].second));
        out += (i == 0 ? "" : ", ") + key + ": " + value;
      }
      return out + "}";
    }
    case Kind::kRaises:
      return Status::InvalidArgument("an expected exception is not a Python value");
  }
  return Status::InvalidArgument("unknown value kind");
}

Result<std::string> RenderPythonTestCode(const DataCases& cases) {
  std::string body;
  bool uses_math = false;
  for (const DataCase& c : cases.cases) {
    if (!c.is_public) continue;
    if (!body.empty()) body += "\n";
    if (cases.mode == CaseMode::kFunction) {
      CLASH_ASSIGN_OR_RETURN(std::string args, Join(c.args));
      CLASH_ASSIGN_OR_RETURN(std::string check, CheckCall(cases.entry + "(" + args + ")", c.expected, cases.float_tolerance));
      uses_math |= ContainsNan(c.expected);
      body += check;
      continue;
    }
    for (size_t i = 0; i < c.ops.size(); ++i) {
      CLASH_ASSIGN_OR_RETURN(std::string args, Join(c.ops[i].args));
      if (i == 0) {
        body += "_obj = " + cases.entry + "(" + args + ")\n";
        continue;
      }
      if (c.expected.kind() != CaseValue::Kind::kList || c.expected.items().size() != c.ops.size()) {
        return Status::InvalidArgument("a class-mode case expects a list with one value per op");
      }
      const CaseValue& expected = c.expected.items()[i];
      CLASH_ASSIGN_OR_RETURN(std::string check,
                             CheckCall("_obj." + c.ops[i].method + "(" + args + ")", expected, cases.float_tolerance));
      uses_math |= ContainsNan(expected);
      body += check;
    }
  }
  return (uses_math ? "import math\n\n" : "") + body;
}

}  // namespace clash
