// Achievements: the built-in catalogue, the event rules that grant them (inside the publisher's
// transaction, so a grant and its XP commit with their cause), and the read views.
#include "clash/achievements.h"

#include <map>
#include <type_traits>
#include <variant>

#include "clash/economy.h"
#include "clash/storage.h"

namespace clash {
namespace {

// Records the unlock of `slug` for `user_id` and awards its XP, once. A slug missing from storage
// is skipped (the catalogue decides what exists).
Status GrantIn(StorageTransaction& tx, std::int64_t user_id, std::string_view slug, Timestamp now) {
  Result<Achievement> achievement = tx.achievements().GetBySlug(slug);
  if (!achievement.ok()) {
    return achievement.status().code() == StatusCode::kNotFound ? Status::Ok() : achievement.status();
  }
  CLASH_ASSIGN_OR_RETURN(bool granted, tx.achievements().Grant(user_id, achievement->id, now));
  if (!granted || achievement->xp_reward <= 0) return Status::Ok();
  return Ledger::ApplyIn(tx,
                         XpChange{.user_id = user_id, .amount = achievement->xp_reward,
                                  .source = XpSource::kAchievement, .reference = std::string(slug),
                                  .idempotency_key = "achievement:" + std::string(slug),
                                  .actor_id = std::nullopt,
                                  .reason = "achievement unlocked"},
                         now)
      .status();
}

// The achievements `event` earns, by slug.
std::vector<std::string_view> Earned(const Event& event) {
  std::vector<std::string_view> slugs;
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, LevelCompleted>) {
          if (e.completed_levels >= 1) slugs.push_back("first-blood");
          if (e.completed_levels >= 5) slugs.push_back("rising-coder");
          if (e.completed_levels >= 10) slugs.push_back("challenge-veteran");
          if (e.completed_levels >= 25) slugs.push_back("legend");
          if (e.solve_seconds && *e.solve_seconds >= 0 && *e.solve_seconds < 120) slugs.push_back("speed-demon");
          if (e.stars == 3) slugs.push_back("perfectionist");
        } else if constexpr (std::is_same_v<T, CheckedIn>) {
          if (e.streak >= 3) slugs.push_back("streak-starter");
          if (e.streak >= 7) slugs.push_back("streak-master");
        } else if constexpr (std::is_same_v<T, Followed>) {
          if (e.following_count >= 1) slugs.push_back("socializer");
          if (e.following_count >= 10) slugs.push_back("networker");
        }
      },
      event);
  return slugs;
}

std::int64_t UserOf(const Event& event) {
  return std::visit(
      [](const auto& e) -> std::int64_t {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, Followed>) {
          return e.follower_id;
        } else {
          return e.user_id;
        }
      },
      event);
}

Status OnEvent(StorageTransaction& tx, const Event& event, Timestamp now) {
  const std::vector<std::string_view> slugs = Earned(event);
  if (slugs.empty()) return Status::Ok();
  const std::int64_t user_id = UserOf(event);
  for (std::string_view slug : slugs) CLASH_RETURN_IF_ERROR(GrantIn(tx, user_id, slug, now));
  return Status::Ok();
}

Achievement Builtin(std::string slug, std::string title, std::string description, std::string icon,
                    std::string category, std::int64_t xp, int order) {
  return Achievement{.slug = std::move(slug), .title = std::move(title), .description = std::move(description),
                     .icon = std::move(icon), .category = std::move(category), .xp_reward = xp,
                     .is_secret = false, .order = order};
}

}  // namespace

const std::vector<Achievement>& BuiltinAchievements() {
  static const std::vector<Achievement> kAll = {
      Builtin("first-blood", "First Blood", "Complete your first level.", "Sword", "challenge", 25, 1),
      Builtin("rising-coder", "Rising Coder", "Complete 5 levels.", "TrendingUp", "challenge", 50, 2),
      Builtin("challenge-veteran", "Challenge Veteran", "Complete 10 levels.", "Medal", "challenge", 100, 3),
      Builtin("legend", "Legend", "Complete 25 levels.", "Crown", "challenge", 250, 4),
      Builtin("speed-demon", "Speed Demon", "Solve a level in under 2 minutes.", "Zap", "challenge", 75, 5),
      Builtin("perfectionist", "Perfectionist", "Complete a level with 3 stars.", "Star", "challenge", 50, 6),
      Builtin("streak-starter", "Streak Starter", "Check in 3 days in a row.", "Flame", "streak", 30, 10),
      Builtin("streak-master", "Streak Master", "Check in 7 days in a row.", "CalendarCheck", "streak", 100, 11),
      Builtin("socializer", "Socializer", "Follow another coder.", "UserPlus", "social", 10, 20),
      Builtin("networker", "Networker", "Follow 10 coders.", "Users", "social", 50, 21),
  };
  return kAll;
}

Achievements::Achievements(Storage& storage, Clock& clock, Events& events) : storage_(storage), clock_(clock) {
  events.Subscribe(&OnEvent);
}

Status Achievements::SyncCatalogue() {
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    for (const Achievement& a : BuiltinAchievements()) CLASH_RETURN_IF_ERROR(tx.achievements().Upsert(a));
    return Status::Ok();
  });
}

Result<std::vector<AchievementView>> Achievements::ForViewer(std::int64_t viewer_id) {
  std::vector<AchievementView> out;
  Status status = storage_.Read([&](StorageTransaction& tx) -> Status {
    out.clear();
    CLASH_ASSIGN_OR_RETURN(std::vector<Achievement> all, tx.achievements().List());
    std::map<std::int64_t, Timestamp> unlocked;
    if (viewer_id != 0) {
      CLASH_ASSIGN_OR_RETURN(auto rows, tx.achievements().Unlocked(viewer_id));
      for (const auto& [id, at] : rows) unlocked.emplace(id, at);
    }
    for (Achievement& a : all) {
      auto it = unlocked.find(a.id);
      if (a.is_secret && it == unlocked.end()) continue;
      AchievementView view;
      view.achievement = std::move(a);
      view.is_unlocked = it != unlocked.end();
      if (view.is_unlocked) view.unlocked_at = it->second;
      out.push_back(std::move(view));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<std::vector<UnlockedAchievement>> Achievements::OfUser(std::string_view username) {
  std::vector<UnlockedAchievement> out;
  Status status = storage_.Read([&](StorageTransaction& tx) -> Status {
    out.clear();
    Result<User> user = tx.users().GetByUsername(username);
    if (!user.ok()) {
      return user.status().code() == StatusCode::kNotFound ? Status::NotFound("User not found") : user.status();
    }
    CLASH_ASSIGN_OR_RETURN(auto rows, tx.achievements().Unlocked(user->id));
    CLASH_ASSIGN_OR_RETURN(std::vector<Achievement> all, tx.achievements().List());
    std::map<std::int64_t, const Achievement*> by_id;
    for (const Achievement& a : all) by_id.emplace(a.id, &a);
    for (const auto& [id, at] : rows) {
      auto it = by_id.find(id);
      if (it == by_id.end()) continue;
      out.push_back(UnlockedAchievement{.achievement = *it->second, .unlocked_at = at});
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace clash
