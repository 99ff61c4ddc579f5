// Reads the match puzzles of data/puzzles/ (docs/puzzles.md). The format is checked in full by
// tools/puzzles/check_puzzles.py; here only what the matches rely on.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "clash/matches.h"

namespace clash {
namespace {

using nlohmann::json;

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<Puzzle> ReadPuzzle(const std::filesystem::path& folder) {
  const std::string where = folder.filename().string() + ": ";
  CLASH_ASSIGN_OR_RETURN(std::string meta_text, ReadFile(folder / "puzzle.json"));
  CLASH_ASSIGN_OR_RETURN(std::string statement, ReadFile(folder / "statement.md"));
  CLASH_ASSIGN_OR_RETURN(std::string cases_text, ReadFile(folder / "cases.json"));
  const json meta = json::parse(meta_text, nullptr, /*allow_exceptions=*/false);
  const json cases = json::parse(cases_text, nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object() || !meta.contains("slug") || !meta["slug"].is_string() || !meta.contains("title") ||
      !meta["title"].is_string() || !meta.contains("modes") || !meta["modes"].is_array()) {
    return Status::InvalidArgument(where + "puzzle.json needs slug, title and modes");
  }
  Puzzle p;
  p.slug = meta["slug"].get<std::string>();
  if (p.slug != folder.filename().string()) return Status::InvalidArgument(where + "slug differs from the folder");
  p.title = meta["title"].get<std::string>();
  if (meta.contains("difficulty") && meta["difficulty"].is_number_integer()) p.difficulty = meta["difficulty"].get<int>();
  if (meta.contains("time_limit_seconds") && meta["time_limit_seconds"].is_number_integer()) {
    p.time_limit_seconds = meta["time_limit_seconds"].get<int>();
  }
  if (p.time_limit_seconds < 1 || p.time_limit_seconds > 10) {
    return Status::InvalidArgument(where + "time_limit_seconds must be 1-10");
  }
  for (const json& m : meta["modes"]) {
    if (!m.is_string()) return Status::InvalidArgument(where + "modes must be names");
    Result<MatchMode> mode = ParseMatchMode(m.get<std::string>());
    if (!mode.ok()) return Status::InvalidArgument(where + mode.status().message());
    p.modes.push_back(*mode);
  }
  p.statement = std::move(statement);
  if (!cases.is_object() || !cases.contains("cases") || !cases["cases"].is_array()) {
    return Status::InvalidArgument(where + "cases.json needs a cases list");
  }
  for (const json& c : cases["cases"]) {
    if (!c.is_object() || !c.value("name", json()).is_string() || !c.value("input", json()).is_string() ||
        !c.value("output", json()).is_string() || !c.value("public", json()).is_boolean()) {
      return Status::InvalidArgument(where + "each case needs name, public, input and output");
    }
    IoCase io{.name = c["name"].get<std::string>(),
              .input = c["input"].get<std::string>(),
              .expected_output = c["output"].get<std::string>()};
    (c["public"].get<bool>() ? p.public_cases : p.hidden_cases).push_back(std::move(io));
  }
  if (p.public_cases.empty()) return Status::InvalidArgument(where + "no public case");
  return p;
}

}  // namespace

Result<std::vector<Puzzle>> LoadPuzzles(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Status::NotFound("no puzzle directory " + dir);
  std::vector<Puzzle> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_directory()) continue;
    CLASH_ASSIGN_OR_RETURN(Puzzle p, ReadPuzzle(entry.path()));
    out.push_back(std::move(p));
  }
  if (ec) return Status::InvalidArgument("cannot list " + dir);
  std::sort(out.begin(), out.end(), [](const Puzzle& a, const Puzzle& b) { return a.slug < b.slug; });
  return out;
}

}  // namespace clash
