// The JSON side of clash/judge_cases.h, shared by the cases.json parser, the request codec and the
// checker that reads the harness's results.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "clash/judge_cases.h"

namespace clash::internal {

// A total order on values (kind first, then value; dicts and sets by their sorted contents).
int CompareCaseValues(const CaseValue& a, const CaseValue& b);

struct CaseJsonOptions {
  bool convenience_dicts = false;  // an object without a "$" key is a dict with string keys
  bool allow_raises = false;       // {"$raises": "Name"} is accepted (expected values, results)
};

// Decodes one encoded value. InvalidArgument with the reason.
Result<CaseValue> CaseValueFromJson(const nlohmann::json& j, const CaseJsonOptions& options);
nlohmann::json CaseValueToJson(const CaseValue& v);

// nlohmann reads an integer literal beyond 64 bits as a float; the level format wants those as
// {"$int": "..."}. InvalidArgument if `text` holds such a literal outside strings.
Status CheckIntegerLiterals(std::string_view text);

// Parses `text` as JSON after CheckIntegerLiterals; InvalidArgument("<what> is not valid JSON").
Result<nlohmann::json> ParseJsonStrict(std::string_view text, const char* what);

}  // namespace clash::internal

namespace clash::internal {

// cases.json <-> DataCases (ParseCasesJson without the text step, for the request codec).
Result<DataCases> DataCasesFromJson(const nlohmann::json& j);
nlohmann::json DataCasesToJson(const DataCases& cases);

// A case's call: the list of encoded arguments (function mode) or of [method, args] ops.
nlohmann::json CallToJson(const DataCase& c, CaseMode mode);

// What the player's harness receives: {"mode", "entry", "calls": [args | ops per case]}, ASCII
// JSON. No expected value, no public flag, no name.
std::string HarnessCasesJson(const DataCases& cases);

}  // namespace clash::internal
