#include "clash/catalogue.h"

#include <set>

#include "clash/storage.h"

namespace clash {

Status ValidateLevel(const Level& level) {
  if (level.slug.empty() || level.slug.size() > 50) return Status::InvalidArgument("slug must be 1-50 characters");
  for (char c : level.slug) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return Status::InvalidArgument("slug '" + level.slug + "' may only hold a-z, 0-9 and '-'");
  }
  if (level.order < 1) return Status::InvalidArgument("level " + level.slug + ": order must be >= 1");
  if (level.title.empty() || level.title.size() > 200) {
    return Status::InvalidArgument("level " + level.slug + ": title must be 1-200 characters");
  }
  if (level.description.empty()) return Status::InvalidArgument("level " + level.slug + ": description is empty");
  if (level.xp_reward < 0) return Status::InvalidArgument("level " + level.slug + ": xp_reward must be >= 0");
  if (level.time_limit_seconds <= 0 || level.time_limit_seconds > 3600) {
    return Status::InvalidArgument("level " + level.slug + ": time_limit_seconds must be 1-3600");
  }
  if (level.target_time_seconds <= 0) {
    return Status::InvalidArgument("level " + level.slug + ": target_time_seconds must be > 0");
  }
  return Status::Ok();
}

Result<std::shared_ptr<const std::vector<Level>>> Catalogue::Snapshot() const {
  std::chrono::nanoseconds now = clock_.Monotonic();
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (cache_ && cache_ttl_.count() > 0 && now - cache_loaded_at_ < cache_ttl_) return cache_;
    // Expired: one caller reloads while the others keep serving the previous snapshot, so a busy
    // host does not send every in-flight request to storage at the same moment.
    if (cache_ && refreshing_) return cache_;
    refreshing_ = true;
  }
  auto fresh = std::make_shared<std::vector<Level>>();
  Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(*fresh, tx.levels().List(/*with_secrets=*/false));
    return Status::Ok();
  });
  std::lock_guard<std::mutex> lock(cache_mu_);
  refreshing_ = false;
  if (!s.ok()) return s;
  cache_ = std::move(fresh);
  cache_loaded_at_ = now;
  return cache_;
}

void Catalogue::Invalidate() {
  std::lock_guard<std::mutex> lock(cache_mu_);
  cache_.reset();
}

Result<std::vector<Level>> Catalogue::List() const {
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<Level>> snapshot, Snapshot());
  return *snapshot;
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
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<Level>> levels, Snapshot());
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

Status Catalogue::Upsert(const std::vector<Level>& levels) {
  std::set<std::string> seen;
  for (const Level& level : levels) {
    CLASH_RETURN_IF_ERROR(ValidateLevel(level));
    if (!seen.insert(level.slug).second) return Status::InvalidArgument("duplicate slug " + level.slug);
  }
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    for (const Level& level : levels) CLASH_RETURN_IF_ERROR(tx.levels().Upsert(level));
    return Status::Ok();
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
