// Reads level folders (docs/levels.md):
//   <dir>/<slug>/level.json        {"slug","order","title","xp_reward","target_time_seconds",
//                                   "time_limit_seconds"?, "hints": [..]}
//   <dir>/<slug>/statement.md      the description
//   <dir>/<slug>/starter.py        initial_code
//   <dir>/<slug>/tests_public.py   test_code (shown to players)
//   <dir>/<slug>/tests_hidden.py   hidden tests (server only)
//   <dir>/<slug>/solution.py       reference solution (server only)
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "clash/catalogue.h"

namespace clash {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("missing file " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<int> IntField(const nlohmann::json& j, const char* key, const fs::path& file, std::optional<int> fallback) {
  if (!j.contains(key)) {
    if (fallback) return *fallback;
    return Status::InvalidArgument(file.string() + ": missing \"" + key + "\"");
  }
  if (!j[key].is_number_integer()) return Status::InvalidArgument(file.string() + ": \"" + key + "\" must be an integer");
  return j[key].get<int>();
}

Result<Level> ReadLevel(const fs::path& folder) {
  fs::path meta_path = folder / "level.json";
  CLASH_ASSIGN_OR_RETURN(std::string meta_text, ReadFile(meta_path));
  nlohmann::json meta = nlohmann::json::parse(meta_text, nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object()) return Status::InvalidArgument(meta_path.string() + ": not a JSON object");
  Level level;
  if (!meta.contains("slug") || !meta["slug"].is_string()) {
    return Status::InvalidArgument(meta_path.string() + ": \"slug\" must be a string");
  }
  level.slug = meta["slug"].get<std::string>();
  if (level.slug != folder.filename().string()) {
    return Status::InvalidArgument(meta_path.string() + ": slug does not match its folder name");
  }
  if (!meta.contains("title") || !meta["title"].is_string()) {
    return Status::InvalidArgument(meta_path.string() + ": \"title\" must be a string");
  }
  level.title = meta["title"].get<std::string>();
  CLASH_ASSIGN_OR_RETURN(level.order, IntField(meta, "order", meta_path, std::nullopt));
  CLASH_ASSIGN_OR_RETURN(level.xp_reward, IntField(meta, "xp_reward", meta_path, std::nullopt));
  CLASH_ASSIGN_OR_RETURN(level.target_time_seconds, IntField(meta, "target_time_seconds", meta_path, std::nullopt));
  CLASH_ASSIGN_OR_RETURN(level.time_limit_seconds, IntField(meta, "time_limit_seconds", meta_path, 10));
  if (meta.contains("hints")) {
    if (!meta["hints"].is_array()) return Status::InvalidArgument(meta_path.string() + ": \"hints\" must be an array");
    for (const auto& h : meta["hints"]) {
      if (!h.is_string()) return Status::InvalidArgument(meta_path.string() + ": every hint must be a string");
      level.secrets.hints.push_back(h.get<std::string>());
    }
  }
  CLASH_ASSIGN_OR_RETURN(level.description, ReadFile(folder / "statement.md"));
  CLASH_ASSIGN_OR_RETURN(level.initial_code, ReadFile(folder / "starter.py"));
  CLASH_ASSIGN_OR_RETURN(level.test_code, ReadFile(folder / "tests_public.py"));
  CLASH_ASSIGN_OR_RETURN(level.secrets.hidden_tests, ReadFile(folder / "tests_hidden.py"));
  CLASH_ASSIGN_OR_RETURN(level.secrets.solution, ReadFile(folder / "solution.py"));
  Status valid = ValidateLevel(level);
  if (!valid.ok()) return Status::InvalidArgument(meta_path.string() + ": " + valid.message());
  return level;
}

}  // namespace

Result<std::vector<Level>> ReadLevelDirectory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::InvalidArgument("level directory '" + dir + "' does not exist");
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory()) folders.push_back(entry.path());
  }
  if (ec) return Status::InvalidArgument("cannot list level directory '" + dir + "'");
  std::sort(folders.begin(), folders.end());
  std::vector<Level> levels;
  for (const fs::path& folder : folders) {
    CLASH_ASSIGN_OR_RETURN(Level level, ReadLevel(folder));
    levels.push_back(std::move(level));
  }
  return levels;
}

}  // namespace clash
