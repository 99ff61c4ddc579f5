// Staff edits of levels: the one decoder of their request bodies, and create/update/delete with the
// level validator's checks (a level that fails them is not stored).
#include <nlohmann/json.hpp>

#include "campaign/campaign_internal.h"

namespace clash {
namespace {

using nlohmann::json;

Status FieldError(const std::string& key, const std::string& message) {
  return Status::InvalidArgument(key + ": " + message).WithDetail("field", key);
}

Status ReadString(const json& j, const char* key, std::optional<std::string>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return FieldError(key, "must be a string");
  out = it->get<std::string>();
  return Status::Ok();
}

Status ReadInt(const json& j, const char* key, std::optional<int>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_number_integer() || it->get<std::int64_t>() < INT32_MIN || it->get<std::int64_t>() > INT32_MAX) {
    return FieldError(key, "must be an integer");
  }
  out = it->get<int>();
  return Status::Ok();
}

Status ReadStrings(const json& j, const char* key, std::optional<std::vector<std::string>>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return FieldError(key, "must be a list of strings");
  std::vector<std::string> items;
  for (const json& item : *it) {
    if (!item.is_string()) return FieldError(key, "must be a list of strings");
    items.push_back(item.get<std::string>());
  }
  out = std::move(items);
  return Status::Ok();
}

Status RequireStaff(const User& user) {
  if (!internal::IsStaff(user)) return Status::PermissionDenied("You do not have permission to perform this action.");
  return Status::Ok();
}

void Apply(const LevelFields& f, Level& l) {
  if (f.slug) l.slug = *f.slug;
  if (f.title) l.title = *f.title;
  if (f.description) l.description = *f.description;
  if (f.initial_code) l.initial_code = *f.initial_code;
  if (f.solution) l.secrets.solution = *f.solution;
  if (f.order) l.order = *f.order;
  if (f.xp_reward) l.xp_reward = *f.xp_reward;
  if (f.time_limit_seconds) l.time_limit_seconds = *f.time_limit_seconds;
  if (f.target_time_seconds) l.target_time_seconds = *f.target_time_seconds;
  if (f.stage) l.stage = *f.stage;
  if (f.topics) l.topics = *f.topics;
  if (f.hints) l.secrets.hints = *f.hints;
  if (f.cases_json) l.secrets.cases_json = *f.cases_json;
  if (f.created_for_user) l.created_for_user = *f.created_for_user;
}

// InvalidArgument listing the report's findings, with the report as payload.
Status Rejected(const LevelReport& report) {
  std::string message = "the level does not pass its checks";
  if (!report.errors.empty()) message += ": " + report.errors.front();
  Status s = Status::InvalidArgument(message);
  if (report.mutation_checked) s = s.WithDetail("mutation_score", static_cast<std::int64_t>(report.score));
  return s.WithPayload(report);
}

}  // namespace

Result<LevelFields> DecodeLevelFields(std::string_view body) {
  json j = body.empty() ? json::object() : json::parse(body, nullptr, false);
  if (!j.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  LevelFields f;
  CLASH_RETURN_IF_ERROR(ReadString(j, "slug", f.slug));
  CLASH_RETURN_IF_ERROR(ReadString(j, "title", f.title));
  CLASH_RETURN_IF_ERROR(ReadString(j, "description", f.description));
  CLASH_RETURN_IF_ERROR(ReadString(j, "initial_code", f.initial_code));
  CLASH_RETURN_IF_ERROR(ReadString(j, "solution", f.solution));
  CLASH_RETURN_IF_ERROR(ReadInt(j, "order", f.order));
  CLASH_RETURN_IF_ERROR(ReadInt(j, "xp_reward", f.xp_reward));
  CLASH_RETURN_IF_ERROR(ReadInt(j, "time_limit", f.time_limit_seconds));
  CLASH_RETURN_IF_ERROR(ReadInt(j, "target_time_seconds", f.target_time_seconds));
  CLASH_RETURN_IF_ERROR(ReadInt(j, "stage", f.stage));
  CLASH_RETURN_IF_ERROR(ReadStrings(j, "topics", f.topics));
  CLASH_RETURN_IF_ERROR(ReadStrings(j, "hints", f.hints));
  if (auto it = j.find("cases"); it != j.end() && !it->is_null()) {
    if (it->is_object()) {
      f.cases_json = it->dump();
    } else if (it->is_string()) {
      f.cases_json = it->get<std::string>();
    } else {
      return FieldError("cases", "must be a cases.json object");
    }
  }
  if (auto it = j.find("created_for_user_id"); it != j.end()) {
    if (it->is_null()) {
      f.created_for_user = std::optional<std::int64_t>();
    } else if (it->is_number_integer() && it->get<std::int64_t>() > 0) {
      f.created_for_user = std::optional<std::int64_t>(it->get<std::int64_t>());
    } else {
      return FieldError("created_for_user_id", "must be a user id or null");
    }
  }
  return f;
}

Result<LevelWrite> Campaign::CreateLevel(const User& staff, const LevelFields& fields) {
  CLASH_RETURN_IF_ERROR(RequireStaff(staff));
  for (auto [present, key] : {std::pair{fields.slug.has_value(), "slug"}, {fields.title.has_value(), "title"},
                              {fields.description.has_value(), "description"}, {fields.order.has_value(), "order"},
                              {fields.cases_json.has_value(), "cases"}, {fields.solution.has_value(), "solution"},
                              {fields.initial_code.has_value(), "initial_code"}}) {
    if (!present) return FieldError(key, "This field is required.");
  }
  Result<Level> existing = deps_.catalogue.Get(*fields.slug);
  if (existing.ok()) return Status::AlreadyExists("a level with slug '" + *fields.slug + "' already exists");
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  Level level;
  level.xp_reward = 10 * *fields.order;
  Apply(fields, level);
  CLASH_RETURN_IF_ERROR(ValidateLevel(level));
  CLASH_RETURN_IF_ERROR(NormalizeLevelCases(level));
  LevelValidator validator(deps_.judge);
  CLASH_ASSIGN_OR_RETURN(LevelReport report, validator.Validate(level));
  if (!report.ok) return Rejected(report);
  CLASH_RETURN_IF_ERROR(deps_.catalogue.Upsert({level}));
  CLASH_ASSIGN_OR_RETURN(Level stored, deps_.catalogue.GetForJudging(level.slug));
  deps_.logger.Info("level created", {{"slug", stored.slug}, {"by", staff.id}});
  return LevelWrite{.level = std::move(stored), .report = std::move(report)};
}

Result<LevelWrite> Campaign::UpdateLevel(const User& staff, std::string_view slug, const LevelFields& fields) {
  CLASH_RETURN_IF_ERROR(RequireStaff(staff));
  Result<Level> current = deps_.catalogue.GetForJudging(slug);
  if (!current.ok()) {
    return current.status().code() == StatusCode::kNotFound ? Status::NotFound("Not found.") : current.status();
  }
  if (fields.slug && *fields.slug != slug) return FieldError("slug", "cannot be changed");
  Level level = *current;
  Apply(fields, level);
  CLASH_RETURN_IF_ERROR(ValidateLevel(level));
  CLASH_RETURN_IF_ERROR(NormalizeLevelCases(level));
  // The judge's checks run again only when what they judge changed.
  ValidationOptions options;
  options.run_code = fields.initial_code || fields.solution || fields.cases_json;
  LevelValidator validator(deps_.judge);
  CLASH_ASSIGN_OR_RETURN(LevelReport report, validator.Validate(level, options));
  if (!report.ok) return Rejected(report);
  CLASH_RETURN_IF_ERROR(deps_.catalogue.Upsert({level}));
  CLASH_ASSIGN_OR_RETURN(Level stored, deps_.catalogue.GetForJudging(level.slug));
  deps_.logger.Info("level updated", {{"slug", stored.slug}, {"by", staff.id}});
  return LevelWrite{.level = std::move(stored), .report = std::move(report)};
}

Status Campaign::DeleteLevel(const User& staff, std::string_view slug) {
  CLASH_RETURN_IF_ERROR(RequireStaff(staff));
  Status s = deps_.catalogue.Remove(slug);
  if (s.code() == StatusCode::kNotFound) return Status::NotFound("Not found.");
  if (s.ok()) deps_.logger.Info("level deleted", {{"slug", std::string(slug)}, {"by", staff.id}});
  return s;
}

}  // namespace clash
