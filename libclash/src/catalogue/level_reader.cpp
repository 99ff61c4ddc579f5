// Reads level folders, format 2 (docs/levels.md):
//   <dir>/<slug>/level.json     {"slug", "order", "stage"?, "title", "xp_reward", "target_time_seconds",
//                                "time_limit_seconds"?, "topics"?, "hints"}
//   <dir>/<slug>/statement.md   the description
//   <dir>/<slug>/starter.py     initial_code
//   <dir>/<slug>/solution.py    reference solution (server only)
//   <dir>/<slug>/cases.json     every case as data; test_code is rendered from the public ones
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "clash/catalogue.h"

namespace clash {
namespace {

namespace fs = std::filesystem;

const std::set<std::string>& KnownKeys() {
  static const std::set<std::string> keys = {"slug",  "order",  "stage", "title", "xp_reward", "target_time_seconds",
                                             "time_limit_seconds", "topics", "hints"};
  return keys;
}

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

Result<std::vector<std::string>> StringList(const nlohmann::json& j, const char* key, const fs::path& file) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) return Status::InvalidArgument(file.string() + ": \"" + key + "\" must be an array");
  for (const auto& item : j[key]) {
    if (!item.is_string()) {
      return Status::InvalidArgument(file.string() + ": every item of \"" + key + "\" must be a string");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Status ReadMeta(const fs::path& folder, Level& level) {
  fs::path meta_path = folder / "level.json";
  CLASH_ASSIGN_OR_RETURN(std::string meta_text, ReadFile(meta_path));
  nlohmann::json meta = nlohmann::json::parse(meta_text, nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object()) return Status::InvalidArgument(meta_path.string() + ": not a JSON object");
  for (const auto& [key, value] : meta.items()) {
    if (!KnownKeys().count(key)) return Status::InvalidArgument(meta_path.string() + ": unknown key \"" + key + "\"");
  }
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
  CLASH_ASSIGN_OR_RETURN(level.stage, IntField(meta, "stage", meta_path, 0));
  CLASH_ASSIGN_OR_RETURN(level.xp_reward, IntField(meta, "xp_reward", meta_path, std::nullopt));
  CLASH_ASSIGN_OR_RETURN(level.target_time_seconds, IntField(meta, "target_time_seconds", meta_path, std::nullopt));
  CLASH_ASSIGN_OR_RETURN(level.time_limit_seconds, IntField(meta, "time_limit_seconds", meta_path, 5));
  CLASH_ASSIGN_OR_RETURN(level.topics, StringList(meta, "topics", meta_path));
  CLASH_ASSIGN_OR_RETURN(level.secrets.hints, StringList(meta, "hints", meta_path));
  return Status::Ok();
}

}  // namespace

Result<Level> ReadLevelFolder(const std::string& folder_text) {
  const fs::path folder = fs::path(folder_text).lexically_normal();
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return Status::InvalidArgument("level folder '" + folder_text + "' does not exist");
  Level level;
  // A trailing slash leaves an empty filename; the folder's name is that of its last component.
  fs::path named = folder.has_filename() ? folder : folder.parent_path();
  CLASH_RETURN_IF_ERROR(ReadMeta(named, level));
  CLASH_ASSIGN_OR_RETURN(level.description, ReadFile(named / "statement.md"));
  CLASH_ASSIGN_OR_RETURN(level.initial_code, ReadFile(named / "starter.py"));
  CLASH_ASSIGN_OR_RETURN(level.secrets.solution, ReadFile(named / "solution.py"));
  CLASH_ASSIGN_OR_RETURN(level.secrets.cases_json, ReadFile(named / "cases.json"));
  const std::string meta_path = (named / "level.json").string();
  Status valid = ValidateLevel(level);
  if (!valid.ok()) return Status::InvalidArgument(meta_path + ": " + valid.message());
  Status cases = NormalizeLevelCases(level);
  if (!cases.ok()) return Status::InvalidArgument((named / "cases.json").string() + ": " + cases.message());
  return level;
}

Result<std::vector<Level>> ReadLevelDirectory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::InvalidArgument("level directory '" + dir + "' does not exist");
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && !name.empty() && name[0] != '.' && name[0] != '_') folders.push_back(entry.path());
  }
  if (ec) return Status::InvalidArgument("cannot list level directory '" + dir + "'");
  std::sort(folders.begin(), folders.end());
  std::vector<Level> levels;
  for (const fs::path& folder : folders) {
    CLASH_ASSIGN_OR_RETURN(Level level, ReadLevelFolder(folder.string()));
    levels.push_back(std::move(level));
  }
  return levels;
}

}  // namespace clash
