#include "clash/catalogue.h"

#include <algorithm>
#include <set>

#include "clash/judge_cases.h"
#include "clash/storage.h"

namespace clash {
namespace {

constexpr std::size_t kMaxTopics = 8;
constexpr std::size_t kMaxTopicLength = 40;

}  // namespace

Status ValidateLevel(const Level& level) {
  if (level.slug.empty() || level.slug.size() > 50) return Status::InvalidArgument("slug must be 1-50 characters");
  for (char c : level.slug) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return Status::InvalidArgument("slug '" + level.slug + "' may only hold a-z, 0-9 and '-'");
  }
  const std::string where = "level " + level.slug + ": ";
  if (level.order < 1) return Status::InvalidArgument(where + "order must be >= 1");
  if (level.title.empty() || level.title.size() > 200) {
    return Status::InvalidArgument(where + "title must be 1-200 characters");
  }
  if (level.description.empty()) return Status::InvalidArgument(where + "description is empty");
  if (level.xp_reward < 0) return Status::InvalidArgument(where + "xp_reward must be >= 0");
  if (level.time_limit_seconds < 1 || level.time_limit_seconds > 30) {
    return Status::InvalidArgument(where + "time_limit_seconds must be 1-30");
  }
  if (level.target_time_seconds <= 0) return Status::InvalidArgument(where + "target_time_seconds must be > 0");
  if (level.stage < 0 || level.stage > 99) return Status::InvalidArgument(where + "stage must be 0-99");
  if (level.topics.size() > kMaxTopics) return Status::InvalidArgument(where + "at most 8 topics");
  for (const std::string& t : level.topics) {
    if (t.empty() || t.size() > kMaxTopicLength) return Status::InvalidArgument(where + "topics must be 1-40 characters");
  }
  if (level.created_for_user && *level.created_for_user <= 0) {
    return Status::InvalidArgument(where + "created_for_user must be a user id");
  }
  return Status::Ok();
}

Status NormalizeLevelCases(Level& level) {
  const std::string where = "level " + level.slug + ": ";
  if (level.secrets.cases_json.empty()) return Status::InvalidArgument(where + "cases are required");
  Result<DataCases> cases = ParseCasesJson(level.secrets.cases_json);
  if (!cases.ok()) return Status::InvalidArgument(where + "cases: " + cases.status().message());
  Result<std::string> test_code = RenderPythonTestCode(*cases);
  if (!test_code.ok()) return Status::InvalidArgument(where + "cases: " + test_code.status().message());
  level.secrets.cases_json = EncodeCasesJson(*cases);
  level.test_code = std::move(test_code).value();
  return Status::Ok();
}

Result<std::shared_ptr<const Catalogue::Snapshot>> Catalogue::Load() const {
  std::chrono::nanoseconds now = clock_.Monotonic();
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (cache_ && cache_ttl_.count() > 0 && now - cache_loaded_at_ < cache_ttl_) return cache_;
    // Expired: one caller reloads while the others keep serving the previous snapshot, so a busy
    // host does not send every in-flight request to storage at the same moment.
    if (cache_ && refreshing_) return cache_;
    refreshing_ = true;
  }
  auto global = std::make_shared<std::vector<Level>>();
  auto fresh = std::make_shared<Snapshot>();
  Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(*global, tx.levels().ListGlobal());
    CLASH_ASSIGN_OR_RETURN(fresh->owners, tx.levels().PersonalOwners());
    return Status::Ok();
  });
  fresh->global = std::move(global);
  std::lock_guard<std::mutex> lock(cache_mu_);
  refreshing_ = false;
  if (!s.ok()) return s;
  cache_ = std::move(fresh);
  cache_loaded_at_ = now;
  return cache_;
}

std::shared_ptr<const std::vector<Level>> Catalogue::CachedGlobalLevels() const {
  std::chrono::nanoseconds now = clock_.Monotonic();
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (!cache_ || cache_ttl_.count() <= 0 || now - cache_loaded_at_ >= cache_ttl_) return nullptr;
  return cache_->global;
}

void Catalogue::Invalidate() {
  std::lock_guard<std::mutex> lock(cache_mu_);
  cache_.reset();
}

Result<std::vector<Level>> Catalogue::List() const {
  std::vector<Level> out;
  CLASH_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.levels().List(/*with_secrets=*/false));
    return Status::Ok();
  }));
  return out;
}

Result<std::shared_ptr<const std::vector<Level>>> Catalogue::GlobalLevels() const {
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, Load());
  return snapshot->global;
}

Result<std::vector<Level>> Catalogue::PersonalLevels(std::int64_t user_id) const {
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, Load());
  std::vector<Level> out;
  if (!std::binary_search(snapshot->owners.begin(), snapshot->owners.end(), user_id)) return out;
  CLASH_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.levels().ListFor(user_id));
    return Status::Ok();
  }));
  return out;
}

std::string_view LevelStateName(LevelState state) {
  switch (state) {
    case LevelState::kLocked: return "LOCKED";
    case LevelState::kUnlocked: return "UNLOCKED";
    case LevelState::kCompleted: return "COMPLETED";
  }
  return "LOCKED";
}

Result<std::vector<LevelStanding>> Catalogue::MapForNewPlayer() const {
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<Level>> levels, GlobalLevels());
  std::vector<LevelStanding> map;
  map.reserve(levels->size());
  for (const Level& level : *levels) {
    LevelState state = map.empty() ? LevelState::kUnlocked : LevelState::kLocked;
    map.push_back({level, state, 0});
  }
  return map;
}

Result<Level> Catalogue::Get(std::string_view slug) const {
  Level out;
  CLASH_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.levels().Get(slug, /*with_secrets=*/false));
    return Status::Ok();
  }));
  return out;
}

Result<Level> Catalogue::GetForJudging(std::string_view slug) const {
  Level out;
  CLASH_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.levels().Get(slug, /*with_secrets=*/true));
    return Status::Ok();
  }));
  return out;
}

Status Catalogue::Upsert(const std::vector<Level>& input) {
  std::vector<Level> levels = input;
  std::set<std::string> seen;
  for (Level& level : levels) {
    CLASH_RETURN_IF_ERROR(ValidateLevel(level));
    CLASH_RETURN_IF_ERROR(NormalizeLevelCases(level));
    if (!seen.insert(level.slug).second) return Status::InvalidArgument("duplicate slug " + level.slug);
  }
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    for (const Level& level : levels) {
      Result<std::int64_t> id = tx.levels().Upsert(level);
      if (!id.ok() && id.status().code() == StatusCode::kFailedPrecondition) {
        return Status::FailedPrecondition("level " + level.slug + ": created_for_user is not a user");
      }
      CLASH_RETURN_IF_ERROR(id.status());
      if (indexer_ != nullptr) {
        Level stored = level;
        stored.id = *id;
        CLASH_RETURN_IF_ERROR(indexer_->LevelWritten(tx, stored));
      }
    }
    return Status::Ok();
  });
  Invalidate();
  return s;
}

Status Catalogue::Remove(std::string_view slug) {
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.levels().Remove(slug));
    return indexer_ != nullptr ? indexer_->LevelRemoved(tx, slug) : Status::Ok();
  });
  Invalidate();
  return s;
}

Result<int> Catalogue::LoadFromDirectory(const std::string& dir) {
  CLASH_ASSIGN_OR_RETURN(std::vector<Level> levels, ReadLevelDirectory(dir));
  CLASH_RETURN_IF_ERROR(Upsert(levels));
  return static_cast<int>(levels.size());
}

}  // namespace clash
