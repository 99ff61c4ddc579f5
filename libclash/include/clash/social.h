// clash/social.h — public profiles, follows, suggestions and the contributions heatmap.
//
// A follow is a (follower, following) pair with per-user counters kept in the same transaction.
// ToggleFollow follows when the caller does not follow the target yet and unfollows otherwise; two
// concurrent toggles (a double click) never create two follows, never count twice and never notify
// twice: the second one sees the first's follow and undoes it, exactly as two toggles in a row. A
// new follow notifies the followed user (Notifications::Notify in the same transaction) and
// publishes the Followed event (achievements). Nobody follows themselves, a blocked user or a
// deleted one; a blocked user's profile is not shown (NotFound, as a deleted one).
//
// Contributions: per day (in the configured check-in time zone) over the last 365 days, the number
// of the user's level completions and check-ins (from the XP ledger) and posts; days without
// activity are left out, newest first.
//
// Thread-safety: Social is safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(clash::FollowOutcome f, engine->social().ToggleFollow(me, "ada"));
//   CLASH_ASSIGN_OR_RETURN(clash::PublicProfile p, engine->social().Profile("ada", me.id));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/auth.h"
#include "clash/clock.h"
#include "clash/events.h"
#include "clash/export.h"
#include "clash/media.h"
#include "clash/notifications.h"
#include "clash/rng.h"
#include "clash/status.h"
#include "clash/timezone.h"

namespace clash {

class Storage;

struct FollowCounts {
  std::int64_t followers = 0;
  std::int64_t following = 0;
};

struct PublicProfile {
  User user;
  std::int64_t xp = 0;
  FollowCounts counts;
  bool is_following = false;          // the viewer follows this user (false for anonymous viewers)
};

struct FollowOutcome {
  bool is_following = false;          // after the toggle
  bool created = false;               // this call created the follow (HTTP 201)
  FollowCounts target_counts;         // the target's counts after the toggle
};

// One row of a followers/following/suggestions list.
struct UserCard {
  std::int64_t id = 0;
  std::string username;
  std::string first_name;
  std::string avatar_url;
  std::string bio;
  bool is_following = false;          // the viewer follows this user
};

struct UserCardPage {
  std::vector<UserCard> results;
  std::int64_t count = 0;
  int page = 1;
  int page_size = 50;
  int total_pages = 0;
};

struct ContributionDay {
  CivilDate date;
  int count = 0;
};

// An uploaded file as the host received it.
struct Upload {
  std::string bytes;
  std::string declared_type;          // the part's Content-Type ("" if none); must fit the content
};

// A profile update: only the fields present change.
struct ProfileUpdate {
  std::optional<std::string> username;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> bio;
  std::optional<Upload> avatar;
  std::optional<Upload> banner;
};

inline constexpr std::size_t kMaxBioChars = 500;
inline constexpr std::size_t kMaxCaptionChars = 2200;

// Normalises a username for storage and comparison: trimmed, NFKC-style folding of full-width
// ASCII (U+FF01-U+FF5E) to ASCII, then 1-150 characters of ASCII letters, digits and @.+-_ only, so
// look-alike letters from other scripts (Cyrillic "а" for "a") cannot imitate an existing name.
// Uniqueness is checked case-insensitively. InvalidArgument("Username cannot be empty.") /
// ("Username can only contain letters, numbers, and @/./+/-/_ characters.") / ("Username is too
// long (max 150 characters).").
CLASH_EXPORT Result<std::string> NormalizeUsername(std::string_view raw);

struct Post {
  std::int64_t id = 0;
  UserCard user;                      // the author; is_following: the viewer follows them
  std::string image_url;
  std::string caption;
  std::int64_t likes_count = 0;
  bool is_liked = false;              // the viewer likes it
  Timestamp created_at;
  Timestamp updated_at;
};

struct PostPage {
  std::vector<Post> results;
  std::int64_t count = 0;
  int page = 1;
  int page_size = 50;
  int total_pages = 0;
};

struct LikeOutcome {
  bool is_liked = false;
  std::int64_t likes_count = 0;
};

// Social's storage: follows, their counters, follower lists, suggestion candidates, activity times.
struct SocialOptions {
  TimeZone time_zone;                 // contributions are counted per day here (the check-in zone)
  int suggestions = 50;               // at most this many suggestions
  int suggestion_pool = 500;          // sampled from this many newest candidates
  ImageLimits image_limits;           // avatars, banners and post images
};

class CLASH_EXPORT Social {
 public:
  Social(Storage& storage, Clock& clock, Rng& rng, Events& events, Notifications& notifications,
         MediaStore& media, SocialOptions options);

  // The public profile of `username` (exact match) as `viewer_id` sees it. NotFound("User not
  // found") for an unknown, deleted or blocked user.
  Result<PublicProfile> Profile(std::string_view username, std::optional<std::int64_t> viewer_id);
  // The follow counters of a user (zeros for an unknown one).
  Result<FollowCounts> CountsOf(std::int64_t user_id);
  // Follows or unfollows `username` (see above). NotFound("User not found") for an unknown, deleted
  // or blocked user; InvalidArgument("Cannot follow yourself").
  Result<FollowOutcome> ToggleFollow(const User& actor, std::string_view username);
  // Who follows `username` / whom `username` follows, newest follow first, paged (page >= 1,
  // page_size 1-100; a page past the end is empty), with is_following for `viewer_id`. NotFound as
  // Profile.
  Result<UserCardPage> Followers(std::string_view username, std::optional<std::int64_t> viewer_id, int page,
                                 int page_size);
  Result<UserCardPage> Following(std::string_view username, std::optional<std::int64_t> viewer_id, int page,
                                 int page_size);
  // Up to options.suggestions users `viewer` does not follow: never the viewer, staff, superusers
  // or blocked users; a random sample of the newest options.suggestion_pool candidates.
  Result<std::vector<UserCard>> Suggestions(const User& viewer);
  // The contributions heatmap of `username`: NotFound as Profile.
  Result<std::vector<ContributionDay>> Contributions(std::string_view username);

  // Updates the caller's own profile in one transaction and returns the user as stored. Username:
  // NormalizeUsername, then InvalidArgument("Username is already taken.") if another user has it
  // in any letter case. Names are trimmed, at most 150 characters. Bio at most kMaxBioChars
  // characters (InvalidArgument). Avatar and banner: CheckImage (InvalidArgument for anything that
  // is not a clean image, or whose declared type does not fit the content), stored as a new media
  // key; the replaced file is removed after the commit, a new file whose update failed at once.
  Result<User> UpdateProfile(const User& actor, const ProfileUpdate& update);

  // Posts. Create: an image (checked as above; InvalidArgument("An image is required.") without
  // one) and a caption of at most kMaxCaptionChars characters.
  Result<Post> CreatePost(const User& actor, const std::optional<Upload>& image, std::string_view caption);
  // Newest first, of `username` (NotFound as Profile) or of everyone (nullopt), paged as Followers,
  // with likes_count and is_liked / is_following for `viewer_id`. Posts of blocked users are hidden.
  Result<PostPage> ListPosts(std::optional<std::string_view> username, std::optional<std::int64_t> viewer_id,
                             int page, int page_size);
  // NotFound("Not found.") for an unknown post or one of a blocked user.
  Result<Post> GetPost(std::int64_t id, std::optional<std::int64_t> viewer_id);
  // Owner only: PermissionDenied("You do not have permission to perform this action.") for anyone
  // else; NotFound as GetPost.
  Result<Post> EditPost(const User& actor, std::int64_t id, std::string_view caption);
  Status DeletePost(const User& actor, std::int64_t id);
  // Likes the post, or takes the like back if the caller likes it already; concurrent toggles by
  // one user (a double click) end as the same number of toggles in a row, never two likes. A new
  // like of someone else's post notifies its author ("liked your post"). NotFound as GetPost.
  Result<LikeOutcome> ToggleLike(const User& actor, std::int64_t id);

 private:
  Result<UserCardPage> ListFollows(std::string_view username, std::optional<std::int64_t> viewer_id, int page,
                                   int page_size, bool followers);

  Storage& storage_;
  Clock& clock_;
  Rng& rng_;
  Events& events_;
  // Checks and stores an upload in `folder`; returns (key, url).
  Result<std::pair<std::string, std::string>> StoreImage(const Upload& upload, std::string_view folder);

  Notifications& notifications_;
  MediaStore& media_;
  SocialOptions options_;
};

}  // namespace clash
