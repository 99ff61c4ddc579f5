// clash/judge_cases.h — test cases as data: values in the level format's exact-type encoding,
// function- and class-mode cases (a level's cases.json), the checker's comparison, and the
// rendering of public cases as Python asserts for the browser client.
//
// This header provides:
//   CaseValue          a Python value as the level format encodes it (None, bool, int of any size,
//                      float, str, list, tuple, dict, set, frozenset) or an expected exception.
//   DataCases          a level's cases: mode, entry, float tolerance, the cases (args or ops,
//                      expected value, public flag). Judged with JudgeRequest::data_cases.
//   ParseCasesJson / EncodeCasesJson      the cases.json document.
//   ParseCaseValueJson / EncodeCaseValueJson   one encoded value.
//   CaseValuesMatch    the checker's comparison (runs in the judge, never in the player's process).
//   RenderPythonTestCode   the public cases as `assert` lines (the client's test_code).
//
// The encoding (docs/judge.md "Cases as data"): null, true/false, JSON integers (ints within
// +-2^63), {"$int": "123..."} for other ints, JSON numbers with "." or an exponent for finite
// floats, {"$float": "nan" | "inf" | "-inf"}, strings, arrays (lists), {"$tuple": [...]},
// {"$dict": [[key, value], ...]}, {"$set": [...]}, {"$frozenset": [...]}, and in expected values
// {"$raises": "ValueError"}. In cases.json only, an object without a "$" key is a dict with string
// keys ({"a": 1} == {"$dict": [["a", 1]]}).
//
// Thread-safety: these are values and pure functions.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(clash::DataCases cases, clash::ParseCasesJson(ReadFile("cases.json")));
//   clash::JudgeRequest req{.language = "python3", .source = player_code, .data_cases = cases};
//   CLASH_ASSIGN_OR_RETURN(clash::JudgeResult r, judge->Run(req));
//   std::string browser_tests = *clash::RenderPythonTestCode(cases);   // public cases only
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class CLASH_EXPORT CaseValue {
 public:
  enum class Kind { kNone, kBool, kInt, kFloat, kStr, kList, kTuple, kDict, kSet, kFrozenSet, kRaises };

  CaseValue() = default;  // None
  static CaseValue None() { return CaseValue(); }
  static CaseValue Bool(bool b);
  static CaseValue Int(std::int64_t i);
  // An int of any size from its decimal text ("-12", "123456789012345678901234567890"; at most
  // 4300 digits, Python's default limit). InvalidArgument for anything else.
  static Result<CaseValue> BigInt(std::string_view decimal);
  static CaseValue Float(double d);
  // `utf8` must be valid UTF-8 without surrogates (ParseCaseValueJson checks; this does not).
  static CaseValue Str(std::string utf8);
  static CaseValue List(std::vector<CaseValue> items);
  static CaseValue Tuple(std::vector<CaseValue> items);
  static CaseValue Dict(std::vector<std::pair<CaseValue, CaseValue>> entries);
  static CaseValue Set(std::vector<CaseValue> items);
  static CaseValue FrozenSet(std::vector<CaseValue> items);
  // An expected exception: the call raises an exception whose class is named `exception`.
  static CaseValue Raises(std::string exception);

  Kind kind() const { return kind_; }
  bool bool_value() const { return bool_; }
  // kInt: canonical decimal text ("0", "-5", no leading zeros).
  const std::string& int_text() const { return text_; }
  double float_value() const { return float_; }
  // kStr: the string; kRaises: the exception class name.
  const std::string& str() const { return text_; }
  // kList, kTuple, kSet, kFrozenSet: the items in their given order.
  const std::vector<CaseValue>& items() const { return items_; }
  // kDict: the entries in their given order.
  const std::vector<std::pair<CaseValue, CaseValue>>& entries() const { return entries_; }

  // Exact equality: same kinds and values all the way down (1 != 1.0 != True, [1] != (1,));
  // dicts and sets compare regardless of order; nan equals nan.
  bool operator==(const CaseValue& other) const;
  bool operator!=(const CaseValue& other) const { return !(*this == other); }

 private:
  CaseValue(Kind kind, std::string text, std::vector<CaseValue> items)
      : kind_(kind), text_(std::move(text)), items_(std::move(items)) {}

  Kind kind_ = Kind::kNone;
  bool bool_ = false;
  double float_ = 0;
  std::string text_;
  std::vector<CaseValue> items_;
  std::vector<std::pair<CaseValue, CaseValue>> entries_;
};

// Parses one encoded value (strict: every JSON object must be a "$" form). InvalidArgument with
// the reason for malformed JSON or encodings (unknown "$" key, a float written as an integer
// inside "$float", invalid UTF-8, nesting deeper than 100).
CLASH_EXPORT Result<CaseValue> ParseCaseValueJson(std::string_view json);
// The canonical encoding of `value` (compact JSON; floats in shortest round-trip form).
CLASH_EXPORT std::string EncodeCaseValueJson(const CaseValue& value);

// The checker's comparison of an expected and an actual value: exact equality (operator==),
// except that where both are floats (at any depth, but not as dict keys or set members) they match
// if abs(actual - expected) <= float_tolerance * max(1, abs(expected)).
CLASH_EXPORT bool CaseValuesMatch(const CaseValue& expected, const CaseValue& actual, double float_tolerance);

// One call of a class-mode case: the first op of a case is "__init__" (construct the object with
// `args`), every further op calls the method `method` of the object.
struct CaseOp {
  std::string method;
  std::vector<CaseValue> args;
};

struct DataCase {
  std::string name;                 // short description for staff; may be empty
  bool is_public = false;           // public cases are the samples players see
  std::vector<CaseValue> args;      // function mode: entry(*args)
  std::vector<CaseOp> ops;          // class mode
  // Function mode: the return value, or Raises(name). Class mode: a List with one value per op
  // (None for "__init__"), Raises(name) for an op that must raise.
  CaseValue expected;
};

enum class CaseMode { kFunction, kClass };

// A level's cases.json. Judged by the sandbox judge (JudgeRequest::data_cases): the player's code
// runs in its own process with a harness that calls `entry` per case and returns each result as
// encoded plain data; expected values never enter that process; the comparison (CaseValuesMatch)
// runs in the judge.
struct DataCases {
  CaseMode mode = CaseMode::kFunction;
  std::string entry;            // the function (or class) the player defines; a Python identifier
  double float_tolerance = 0;   // 0: floats compare exactly
  std::vector<DataCase> cases;
};

// Parses a cases.json document (level format version 2): {"mode": "function" | "class", "entry",
// "float_tolerance"?, "cases": [{"args" | "ops", "expected", "public"?, "name"?}]}, with the
// convenience dict form. Checks the shape: at least one case, entry an identifier, class-mode
// cases start with "__init__" and expect a list as long as their ops whose first item is None,
// method names identifiers. InvalidArgument naming the case and the problem otherwise.
CLASH_EXPORT Result<DataCases> ParseCasesJson(std::string_view json);
// The canonical cases.json form of `cases` (no convenience dicts); ParseCasesJson reads it back.
CLASH_EXPORT std::string EncodeCasesJson(const DataCases& cases);

// `value` as a Python literal: None/True/False, ints, floats via repr (float('nan'),
// float('inf')), strings via repr, lists, tuples, dicts, sets (set() when empty), frozensets.
// InvalidArgument for Raises (not a value).
CLASH_EXPORT Result<std::string> PythonLiteral(const CaseValue& value);

// The public cases as Python test code (what the browser client runs, level-format.md "test_code
// rendering"): `assert entry(1, 2) == 3` per function-mode case; per class-mode case
// `_obj = Entry(10)` then `assert _obj.method(5) == 15` per op; an expected exception as a
// try/except/else block; a float expected with a tolerance as an abs() bound. Hidden cases never
// appear. Empty if no case is public.
CLASH_EXPORT Result<std::string> RenderPythonTestCode(const DataCases& cases);

}  // namespace clash
