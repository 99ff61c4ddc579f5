// The campaign map: who may see and play which level, first opens, certificate eligibility and
// per-day completion counts. Submissions, hints, certificates, the leaderboard and staff edits are
// in the files next to this one.
#include <algorithm>
#include <map>

#include "campaign/campaign_internal.h"

namespace clash {
namespace internal {

bool IsStaff(const User& user) { return user.is_staff || user.is_superuser; }

Status CheckCode(std::string_view code, bool allow_empty) {
  if (!allow_empty && code.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidArgument("code must not be empty").WithDetail("status", std::string("failed"));
  }
  if (code.size() > kMaxCodeBytes) {
    return Status::InvalidArgument("code must be at most 65536 bytes").WithDetail("status", std::string("failed"));
  }
  return Status::Ok();
}

std::vector<MapEntry> BuildMapEntries(const std::vector<Level>& global, const std::vector<Level>& personal,
                                      const std::vector<ProgressRecord>& progress) {
  std::map<std::int64_t, const ProgressRecord*> by_level;
  for (const ProgressRecord& p : progress) by_level[p.level_id] = &p;
  auto make = [&](const Level& level, bool is_personal, std::size_t index, bool unlocked) {
    MapEntry out;
    out.personal = is_personal;
    out.index = index;
    auto it = by_level.find(level.id);
    if (it != by_level.end()) out.progress = it->second;
    const bool completed = out.progress != nullptr && out.progress->completed_at.has_value();
    out.state = completed ? LevelState::kCompleted : unlocked ? LevelState::kUnlocked : LevelState::kLocked;
    return out;
  };
  std::vector<MapEntry> map;
  map.reserve(global.size() + personal.size());
  // Global levels chain: each unlocks when the one before it is completed.
  bool previous_completed = true;
  for (std::size_t i = 0; i < global.size(); ++i) {
    map.push_back(make(global[i], false, i, previous_completed));
    previous_completed = map.back().state == LevelState::kCompleted;
  }
  // A personalised level unlocks with the global level ordered before it (or at once if none is).
  for (std::size_t i = 0; i < personal.size(); ++i) {
    bool unlocked = true;
    for (std::size_t g = 0; g < global.size(); ++g) {
      if (global[g].order >= personal[i].order) continue;
      unlocked = map[g].state == LevelState::kCompleted;  // the last global level before it decides
    }
    map.push_back(make(personal[i], true, i, unlocked));
  }
  auto level_of = [&](const MapEntry& e) -> const Level& { return e.personal ? personal[e.index] : global[e.index]; };
  std::stable_sort(map.begin(), map.end(), [&](const MapEntry& a, const MapEntry& b) {
    const Level& la = level_of(a);
    const Level& lb = level_of(b);
    return la.order != lb.order ? la.order < lb.order : la.slug < lb.slug;
  });
  return map;
}

std::vector<PlayerLevel> BuildMap(const std::vector<Level>& global, const std::vector<Level>& personal,
                                  const std::vector<ProgressRecord>& progress) {
  std::vector<PlayerLevel> out;
  for (const MapEntry& e : BuildMapEntries(global, personal, progress)) {
    PlayerLevel p;
    p.level = e.personal ? personal[e.index] : global[e.index];
    p.state = e.state;
    if (e.progress != nullptr) {
      p.stars = e.progress->stars;
      p.hints_purchased = e.progress->hints_purchased;
      p.started_at = e.progress->started_at;
      p.completed_at = e.progress->completed_at;
    }
    out.push_back(std::move(p));
  }
  return out;
}

Result<Playable> LoadPlayable(Storage& storage, Catalogue& catalogue, const User& user, std::string_view slug,
                              bool with_secrets, bool allow_locked) {
  Playable out;
  Result<Level> level = with_secrets ? catalogue.GetForJudging(slug) : catalogue.Get(slug);
  if (!level.ok()) {
    return level.status().code() == StatusCode::kNotFound ? Status::NotFound("Not found.") : level.status();
  }
  out.level = std::move(level).value();
  const bool staff = IsStaff(user);
  if (out.level.created_for_user && *out.level.created_for_user != user.id && !staff) {
    return Status::NotFound("Not found.");
  }
  CLASH_ASSIGN_OR_RETURN(out.global, catalogue.GlobalLevels());
  std::vector<Level> personal;
  if (out.level.created_for_user && *out.level.created_for_user == user.id) personal.push_back(out.level);
  std::vector<ProgressRecord> progress;
  CLASH_RETURN_IF_ERROR(storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(progress, tx.campaign().ListProgress(user.id));
    return Status::Ok();
  }));
  for (const ProgressRecord& p : progress) {
    if (p.level_id == out.level.id) out.progress = p;
  }
  out.state = LevelState::kLocked;
  bool found = false;
  for (const PlayerLevel& p : BuildMap(*out.global, personal, progress)) {
    if (p.level.id != out.level.id) continue;
    out.state = p.state;
    found = true;
  }
  // A level just created by another host may not be in this host's snapshot yet, and staff may
  // look at another user's personalised level: neither is in the player's map.
  if (!found) out.state = out.progress && out.progress->completed_at ? LevelState::kCompleted : LevelState::kLocked;
  if (out.state == LevelState::kLocked && !staff && !allow_locked) {
    return Status::PermissionDenied("This level is locked. Complete the previous level first.");
  }
  return out;
}

std::optional<std::string> NextGlobalSlug(const std::vector<Level>& global, const Level& level) {
  for (const Level& g : global) {
    if (g.order > level.order || (g.order == level.order && g.slug > level.slug)) {
      if (g.slug != level.slug) return g.slug;
    }
  }
  return std::nullopt;
}

int CompletedGlobal(const std::vector<Level>& global, const std::vector<ProgressRecord>& progress) {
  int n = 0;
  for (const ProgressRecord& p : progress) {
    if (!p.completed_at) continue;
    n += std::any_of(global.begin(), global.end(), [&](const Level& l) { return l.id == p.level_id; }) ? 1 : 0;
  }
  return n;
}

}  // namespace internal

Campaign::Campaign(CampaignDeps deps, CampaignOptions options)
    : deps_(std::move(deps)), options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  if (options_.trust_client_results) {
    deps_.logger.Warn("trust_client_results is on: clients may declare levels passed without being judged (insecure)");
  }
}

Campaign::~Campaign() = default;

Result<std::vector<PlayerLevel>> Campaign::Map(const User& user) {
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<Level>> global, deps_.catalogue.GlobalLevels());
  CLASH_ASSIGN_OR_RETURN(std::vector<Level> personal, deps_.catalogue.PersonalLevels(user.id));
  std::vector<ProgressRecord> progress;
  CLASH_RETURN_IF_ERROR(deps_.storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(progress, tx.campaign().ListProgress(user.id));
    return Status::Ok();
  }));
  return internal::BuildMap(*global, personal, progress);
}

Result<PlayerMapView> Campaign::MapView(const User& user) {
  PlayerMapView view;
  CLASH_ASSIGN_OR_RETURN(view.global, deps_.catalogue.GlobalLevels());
  CLASH_ASSIGN_OR_RETURN(view.personal, deps_.catalogue.PersonalLevels(user.id));
  std::vector<ProgressRecord> progress;
  CLASH_RETURN_IF_ERROR(deps_.storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(progress, tx.campaign().ListProgress(user.id));
    return Status::Ok();
  }));
  for (const internal::MapEntry& e : internal::BuildMapEntries(*view.global, view.personal, progress)) {
    view.entries.push_back(PlayerMapView::Entry{.personal = e.personal,
                                                .index = e.index,
                                                .state = e.state,
                                                .stars = e.progress != nullptr ? e.progress->stars : 0,
                                                .hints_purchased = e.progress != nullptr ? e.progress->hints_purchased : 0});
  }
  return view;
}

namespace {
PlayerMapView PreviewOf(std::shared_ptr<const std::vector<Level>> global) {
  PlayerMapView view;
  view.global = std::move(global);
  for (const internal::MapEntry& e : internal::BuildMapEntries(*view.global, {}, {})) {
    view.entries.push_back(PlayerMapView::Entry{.personal = false, .index = e.index, .state = e.state});
  }
  return view;
}
}  // namespace

Result<PlayerMapView> Campaign::PreviewView() {
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<Level>> global, deps_.catalogue.GlobalLevels());
  return PreviewOf(std::move(global));
}

std::optional<PlayerMapView> Campaign::CachedPreviewView() {
  std::shared_ptr<const std::vector<Level>> global = deps_.catalogue.CachedGlobalLevels();
  if (!global) return std::nullopt;
  return PreviewOf(std::move(global));
}

Result<PlayerLevel> Campaign::Open(const User& user, std::string_view slug) {
  CLASH_ASSIGN_OR_RETURN(internal::Playable p,
                         internal::LoadPlayable(deps_.storage, deps_.catalogue, user, slug, /*with_secrets=*/false));
  ProgressRecord progress;
  CLASH_RETURN_IF_ERROR(deps_.storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(progress, tx.campaign().StartAndLock(user.id, p.level.id, deps_.clock.Now()));
    return Status::Ok();
  }));
  PlayerLevel out;
  out.level = std::move(p.level);
  out.state = p.state;
  out.stars = progress.stars;
  out.hints_purchased = progress.hints_purchased;
  out.started_at = progress.started_at;
  out.completed_at = progress.completed_at;
  return out;
}

Result<CertificateEligibility> Campaign::Eligibility(const User& user) {
  CLASH_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<Level>> global, deps_.catalogue.GlobalLevels());
  std::vector<ProgressRecord> progress;
  std::optional<Certificate> certificate;
  CLASH_RETURN_IF_ERROR(deps_.storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(progress, tx.campaign().ListProgress(user.id));
    CLASH_ASSIGN_OR_RETURN(certificate, tx.campaign().CertificateOf(user.id));
    return Status::Ok();
  }));
  CertificateEligibility e;
  e.required = static_cast<int>(global->size());
  e.completed = internal::CompletedGlobal(*global, progress);
  e.remaining = std::max(0, e.required - e.completed);
  e.eligible = e.required > 0 && e.completed >= e.required;
  e.has_certificate = certificate.has_value() && certificate->is_valid;
  return e;
}

Result<std::vector<DayCount>> Campaign::CompletionsPerDay(std::int64_t user_id, int days) {
  if (days < 1 || days > 3660) return Status::InvalidArgument("days must be between 1 and 3660");
  const Timestamp now = deps_.clock.Now();
  const Timestamp since = Timestamp::FromUnixMicros(now.unix_micros() - std::int64_t{days} * 86'400'000'000LL);
  std::vector<Timestamp> times;
  CLASH_RETURN_IF_ERROR(deps_.storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(times, tx.campaign().CompletionTimes(user_id, since));
    return Status::Ok();
  }));
  std::vector<DayCount> out;  // times are oldest first: build newest first by walking backwards
  for (auto it = times.rbegin(); it != times.rend(); ++it) {
    CivilDate date = deps_.time_zone.LocalDate(*it);
    if (out.empty() || !(out.back().date == date)) out.push_back({date, 0});
    ++out.back().count;
  }
  return out;
}

std::string Campaign::VerificationUrl(const Certificate& certificate) const {
  std::string base = options_.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/verify/" + certificate.id;
}

}  // namespace clash
