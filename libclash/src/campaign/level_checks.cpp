// The checks of a level that run no code (docs/levels.md "Authoring checks", the static half of
// tools/levels/check_levels.py): case counts, level.json rules, hints, the statement.
#include "campaign/level_checks.h"

#include <algorithm>
#include <regex>
#include <sstream>

namespace clash::internal {
namespace {

const char* const kSections[] = {"Problem Statement", "Input Format", "Output Format", "Example", "Constraints"};

// Target seconds by order (docs/levels.md): {last order of the band, seconds}.
constexpr std::pair<int, int> kTargetTimes[] = {{4, 120},  {8, 150},  {14, 180}, {18, 210}, {22, 240}, {25, 270},
                                                {28, 300}, {32, 330}, {35, 360}, {38, 390}, {42, 420}, {45, 450},
                                                {48, 480}, {52, 540}, {55, 570}, {60, 600}};

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in{std::string(text)};
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::string Squash(std::string_view text) {  // whitespace runs -> one space, trimmed
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Join(const std::vector<CaseValue>& values) {
  std::string out;
  for (const CaseValue& v : values) {
    Result<std::string> lit = PythonLiteral(v);
    out += (out.empty() ? "" : ", ") + (lit.ok() ? *lit : std::string("?"));
  }
  return out;
}

// The pieces of a public case the statement's example must show (check_levels.py calls_of).
std::vector<std::string> CallsOf(const DataCases& cases, const DataCase& c) {
  if (cases.mode == CaseMode::kFunction) {
    Result<std::string> expected = PythonLiteral(c.expected);
    return {cases.entry + "(" + Join(c.args) + ")", expected.ok() ? *expected : "?"};
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < c.ops.size(); ++i) {
    out.push_back(i == 0 ? cases.entry + "(" + Join(c.ops[i].args) + ")" : "." + c.ops[i].method + "(" + Join(c.ops[i].args) + ")");
  }
  return out;
}

void CheckCampaignNumbering(const Level& level, std::vector<std::string>& errors) {
  static const std::regex kCampaignSlug("python-([0-9]{3})");
  std::smatch m;
  if (!std::regex_match(level.slug, m, kCampaignSlug)) return;  // rules of the numbered campaign only
  const int n = std::stoi(m[1]);
  if (n != level.order) errors.push_back("level.json: order " + std::to_string(level.order) + " must match the slug " + level.slug);
  if (level.xp_reward != 10 * level.order) {
    errors.push_back("level.json: xp_reward must be " + std::to_string(10 * level.order) + " for order " +
                     std::to_string(level.order));
  }
  if (level.stage != (level.order - 1) / 10 + 1) {
    errors.push_back("level.json: stage must be " + std::to_string((level.order - 1) / 10 + 1) + " for order " +
                     std::to_string(level.order));
  }
  int target = 600;
  for (auto [last, seconds] : kTargetTimes) {
    if (level.order <= last) {
      target = seconds;
      break;
    }
  }
  if (level.target_time_seconds != target) {
    errors.push_back("level.json: target_time_seconds must be " + std::to_string(target) + " for order " +
                     std::to_string(level.order));
  }
}

void CheckMeta(const Level& level, std::vector<std::string>& errors) {
  if (Squash(level.title).empty() || level.title.size() > 80) {
    errors.push_back("level.json: title must be a non-empty string of at most 80 characters");
  }
  static const std::regex kTopic("[a-z0-9][a-z0-9 -]*");
  const bool topics_ok = !level.topics.empty() && level.topics.size() <= 4 &&
                         std::all_of(level.topics.begin(), level.topics.end(),
                                     [](const std::string& t) { return std::regex_match(t, kTopic); });
  if (!topics_ok) errors.push_back("level.json: topics must be 1-4 lower-case tags");
  const std::vector<std::string>& hints = level.secrets.hints;
  if (hints.size() != 3 || std::any_of(hints.begin(), hints.end(), [](const std::string& h) { return Squash(h).empty(); })) {
    errors.push_back("level.json: hints must be 3 non-empty strings");
    return;
  }
  static const std::regex kTrivial(
      R"(^(else:|try:|finally:|pass|break|continue|return|return (None|True|False|-?[01]|\[\]|\{\}|''|""))$)");
  std::vector<std::string> solution_lines;
  for (const std::string& line : Lines(level.secrets.solution)) solution_lines.push_back(Squash(line));
  for (std::size_t i = 0; i < hints.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    bool code_block = hints[i].find("```") != std::string::npos;
    for (const std::string& line : Lines(hints[i])) code_block |= line.rfind("    ", 0) == 0 || line.rfind("\t", 0) == 0;
    if (code_block) {
      errors.push_back("level.json: hint " + n + " contains a code block");
      continue;
    }
    const std::string flat = Squash(hints[i]);
    for (const std::string& line : solution_lines) {
      if (line.size() >= 8 && !std::regex_match(line, kTrivial) && flat.find(line) != std::string::npos) {
        errors.push_back("level.json: hint " + n + " contains the solution line '" + line + "'");
        break;
      }
    }
  }
}

void CheckStatement(const Level& level, const DataCases& cases, std::vector<std::string>& errors) {
  std::vector<std::string> headings;
  std::vector<std::string> sections;  // text of each section
  bool in_code = false;
  for (const std::string& line : Lines(level.description)) {
    const std::string trimmed = Squash(line);
    if (trimmed.rfind("```", 0) == 0) in_code = !in_code;
    if (!in_code && !line.empty() && line[0] == '#') {
      headings.push_back(trimmed);
      sections.emplace_back();
      continue;
    }
    if (!sections.empty()) sections.back() += line + "\n";
  }
  std::vector<std::string> wanted;
  for (const char* s : kSections) wanted.push_back(std::string("### ") + s);
  if (headings != wanted) {
    errors.push_back("statement.md: headings must be exactly ### Problem Statement, ### Input Format, ### Output "
                     "Format, ### Example, ### Constraints, in this order");
    return;
  }
  if (std::any_of(sections.begin(), sections.end(), [](const std::string& s) { return Squash(s).empty(); })) {
    errors.push_back("statement.md: every section must have text");
  }
  if (level.description.find(cases.entry + "(") == std::string::npos) {
    errors.push_back("statement.md: must show the signature (" + cases.entry + "(...)");
  }
  const std::string& example = sections[3];
  const bool shown = std::any_of(cases.cases.begin(), cases.cases.end(), [&](const DataCase& c) {
    if (!c.is_public) return false;
    std::vector<std::string> pieces = CallsOf(cases, c);
    return std::all_of(pieces.begin(), pieces.end(), [&](const std::string& p) { return example.find(p) != std::string::npos; });
  });
  if (!shown) errors.push_back("statement.md: the Example must show a public case (its calls and results as Python literals)");
}

bool DefinesAtTopLevel(std::string_view source, const DataCases& cases) {
  const std::string def = cases.mode == CaseMode::kFunction ? "def " + cases.entry + "(" : "class " + cases.entry;
  for (const std::string& line : Lines(source)) {
    if (line.rfind(def, 0) != 0) continue;
    if (cases.mode == CaseMode::kFunction) return true;
    const char next = line.size() > def.size() ? line[def.size()] : '\0';
    if (next == '(' || next == ':') return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> StaticLevelChecks(const Level& level, const DataCases& cases) {
  std::vector<std::string> errors;
  const auto publics = std::count_if(cases.cases.begin(), cases.cases.end(), [](const DataCase& c) { return c.is_public; });
  const auto hidden = static_cast<long>(cases.cases.size()) - publics;
  if (publics < 2 || publics > 4 || hidden < 8) {
    errors.push_back("cases.json: need 2-4 public and >= 8 hidden cases, got " + std::to_string(publics) + " and " +
                     std::to_string(hidden));
  }
  CheckMeta(level, errors);
  CheckCampaignNumbering(level, errors);
  CheckStatement(level, cases, errors);
  const char* kind = cases.mode == CaseMode::kFunction ? "function " : "class ";
  if (!DefinesAtTopLevel(level.initial_code, cases)) {
    errors.push_back("starter.py: must define " + std::string(kind) + cases.entry + " at top level");
  }
  if (!DefinesAtTopLevel(level.secrets.solution, cases)) {
    errors.push_back("solution.py: must define " + std::string(kind) + cases.entry + " at top level");
  }
  return errors;
}

}  // namespace clash::internal
