// Social: profiles, follows, suggestions, contributions. See clash/social.h.
#include "clash/social.h"

#include <algorithm>
#include <map>

#include "clash/storage.h"

namespace clash {
namespace {

constexpr int kContributionDays = 365;

// The user a public page is about: NotFound for a missing or blocked user.
Result<User> Visible(StorageTransaction& tx, std::string_view username) {
  Result<User> user = tx.users().GetByUsername(username);
  if (!user.ok() && user.status().code() == StatusCode::kNotFound) return Status::NotFound("User not found");
  if (!user.ok()) return user.status();
  if (!user->is_active) return Status::NotFound("User not found");
  return user;
}

}  // namespace

Social::Social(Storage& storage, Clock& clock, Rng& rng, Events& events, Notifications& notifications,
               MediaStore& media, SocialOptions options)
    : storage_(storage), clock_(clock), rng_(rng), events_(events), notifications_(notifications), media_(media),
      options_(std::move(options)) {}

Result<PublicProfile> Social::Profile(std::string_view username, std::optional<std::int64_t> viewer_id) {
  PublicProfile out;
  Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out.user, Visible(tx, username));
    CLASH_ASSIGN_OR_RETURN(out.xp, tx.ledger().Balance(out.user.id));
    CLASH_ASSIGN_OR_RETURN(out.counts, tx.social().Counts(out.user.id));
    if (viewer_id && *viewer_id != out.user.id) {
      CLASH_ASSIGN_OR_RETURN(out.is_following, tx.social().IsFollowing(*viewer_id, out.user.id));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<FollowCounts> Social::CountsOf(std::int64_t user_id) {
  FollowCounts out;
  Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.social().Counts(user_id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<FollowOutcome> Social::ToggleFollow(const User& actor, std::string_view username) {
  FollowOutcome out;
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    out = FollowOutcome{};
    CLASH_ASSIGN_OR_RETURN(User target, Visible(tx, username));
    if (target.id == actor.id) return Status::InvalidArgument("Cannot follow yourself");
    const Timestamp now = clock_.Now();
    CLASH_ASSIGN_OR_RETURN(out.created, tx.social().Follow(actor.id, target.id, now));
    if (out.created) {
      out.is_following = true;
      CLASH_ASSIGN_OR_RETURN(FollowCounts mine, tx.social().Counts(actor.id));
      CLASH_RETURN_IF_ERROR(events_.Publish(tx, Followed{.follower_id = actor.id,
                                                         .following_id = target.id,
                                                         .following_count = static_cast<int>(mine.following)}));
      CLASH_RETURN_IF_ERROR(notifications_.Notify(
          tx, NewNotification{.recipient_id = target.id,
                              .actor_id = actor.id,
                              .verb = "started following you",
                              .target_type = "user",
                              .target_id = target.id,
                              .title = "New Follower!",
                              .body = actor.username + " started following you.",
                              .data = {{"kind", "follow"}, {"actor", actor.username}}}));
    } else {
      CLASH_RETURN_IF_ERROR(tx.social().Unfollow(actor.id, target.id));
    }
    CLASH_ASSIGN_OR_RETURN(out.target_counts, tx.social().Counts(target.id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<UserCardPage> Social::Followers(std::string_view username, std::optional<std::int64_t> viewer_id, int page,
                                       int page_size) {
  return ListFollows(username, viewer_id, page, page_size, true);
}

Result<UserCardPage> Social::Following(std::string_view username, std::optional<std::int64_t> viewer_id, int page,
                                       int page_size) {
  return ListFollows(username, viewer_id, page, page_size, false);
}

Result<UserCardPage> Social::ListFollows(std::string_view username, std::optional<std::int64_t> viewer_id, int page,
                                         int page_size, bool followers) {
  UserCardPage out;
  out.page = std::max(1, page);
  out.page_size = std::clamp(page_size, 1, 100);
  Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User user, Visible(tx, username));
    CLASH_ASSIGN_OR_RETURN(FollowCounts counts, tx.social().Counts(user.id));
    out.count = followers ? counts.followers : counts.following;
    const std::int64_t offset = static_cast<std::int64_t>(out.page - 1) * out.page_size;
    if (offset < out.count) {
      CLASH_ASSIGN_OR_RETURN(out.results, tx.social().ListFollows(user.id, followers, viewer_id, offset, out.page_size));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  out.total_pages = static_cast<int>((out.count + out.page_size - 1) / out.page_size);
  return out;
}

Result<std::vector<UserCard>> Social::Suggestions(const User& viewer) {
  std::vector<UserCard> pool;
  Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(pool, tx.social().SuggestionCandidates(viewer.id, options_.suggestion_pool));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  // A uniform sample (partial Fisher-Yates with the injected rng), newest first among those kept.
  const std::size_t want = std::min<std::size_t>(pool.size(), static_cast<std::size_t>(options_.suggestions));
  if (pool.size() > want) {
    std::vector<std::size_t> index(pool.size());
    for (std::size_t i = 0; i < index.size(); ++i) index[i] = i;
    for (std::size_t i = 0; i < want; ++i) {
      std::size_t j = static_cast<std::size_t>(rng_.Uniform(i, index.size() - 1));
      std::swap(index[i], index[j]);
    }
    index.resize(want);
    std::sort(index.begin(), index.end());
    std::vector<UserCard> sample;
    sample.reserve(want);
    for (std::size_t i : index) sample.push_back(std::move(pool[i]));
    pool = std::move(sample);
  }
  return pool;
}

Result<std::vector<ContributionDay>> Social::Contributions(std::string_view username) {
  std::vector<Timestamp> times;
  const Timestamp now = clock_.Now();
  const CivilDate today = options_.time_zone.LocalDate(now);
  const std::int64_t first_day = today.DaysSinceEpoch() - (kContributionDays - 1);
  Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User user, Visible(tx, username));
    // A day and a half of margin for the zone's offset; days before first_day are dropped below.
    CLASH_ASSIGN_OR_RETURN(times, tx.social().ActivityTimes(
                                      user.id, now - std::chrono::hours(24 * (kContributionDays + 1) + 12)));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::map<std::int64_t, int, std::greater<>> per_day;
  for (Timestamp t : times) {
    const std::int64_t day = options_.time_zone.LocalDate(t).DaysSinceEpoch();
    if (day >= first_day && day <= today.DaysSinceEpoch()) ++per_day[day];
  }
  std::vector<ContributionDay> out;
  out.reserve(per_day.size());
  for (const auto& [day, count] : per_day) out.push_back({CivilDate::FromDaysSinceEpoch(day), count});
  return out;
}

}  // namespace clash
