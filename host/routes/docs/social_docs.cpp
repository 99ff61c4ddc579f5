#include "routes/docs/route_docs.h"

namespace clash::host::docs {
namespace {

constexpr const char* kPage = "{page?: integer, page_size?: integer}";
constexpr const char* kCards = "[{username: string, first_name: string, avatar_url: string|null, is_following: boolean}]";

}  // namespace

void AddSocialDocs(std::vector<RouteDoc>& out) {
  const std::vector<RouteDoc> docs = {
      {"GET", "/api/profiles/users/{username}/", "profiles", "optional", "A player's public profile", "",
       "@PublicUser"},
      {"POST", "/api/profiles/users/{username}/follow/", "profiles", "user",
       "Follow (201) or unfollow (200) a player", "",
       "{is_following: boolean, follower_count: integer, following_count: integer}", 201},
      {"GET", "/api/profiles/users/{username}/followers/", "profiles", "optional", "A player's followers", "", kCards,
       200, kPage},
      {"GET", "/api/profiles/users/{username}/following/", "profiles", "optional", "Whom a player follows", "",
       kCards, 200, kPage},
      {"GET", "/api/profiles/users/suggestions/", "profiles", "user", "Players to follow", "",
       "[{username: string, first_name: string, avatar_url: string|null}]"},
      {"GET", "/api/profiles/users/{username}/stats/contributions/", "profiles", "optional",
       "A player's activity per day (365 days)", "", "[{date: string, count: integer}]"},
      {"GET", "/api/posts/", "posts", "optional", "Posts, newest first (?username= for one player's)", "", "[@Post]",
       200, "{username?: string, page?: integer, page_size?: integer}"},
      {"POST", "/api/posts/", "posts", "user", "Create a post (multipart: image file, caption)", "", "@Post", 201},
      {"GET", "/api/posts/{id}/", "posts", "optional", "One post", "", "@Post"},
      {"PATCH", "/api/posts/{id}/", "posts", "user", "Edit the caption (owner)", "{caption: string}", "@Post"},
      {"PUT", "/api/posts/{id}/", "posts", "user", "Edit the caption (owner)", "{caption: string}", "@Post"},
      {"DELETE", "/api/posts/{id}/", "posts", "user", "Delete a post (owner)", "", "", 204},
      {"POST", "/api/posts/{id}/like/", "posts", "user", "Like or unlike a post", "",
       "{is_liked: boolean, likes_count: integer}"},
      {"GET", "/api/notifications/", "notifications", "user", "The caller's notifications, newest first", "",
       "{count: integer, unread_count: integer, page: integer, page_size: integer, total_pages: integer, "
       "results: [@Notification]}",
       200, kPage},
      {"GET", "/api/notifications/{id}/", "notifications", "user", "One notification", "", "@Notification"},
      {"DELETE", "/api/notifications/{id}/", "notifications", "user", "Delete a notification", "", "", 204},
      {"POST", "/api/notifications/{id}/mark_read/", "notifications", "user", "Mark one read", "",
       "{status: string}"},
      {"POST", "/api/notifications/mark_all_read/", "notifications", "user", "Mark all read", "", "{status: string}"},
      {"DELETE", "/api/notifications/clear_all/", "notifications", "user", "Delete all", "", "", 204},
      {"POST", "/api/notifications/fcm-tokens/", "notifications", "user", "Register a push token (201 new, 200 known)",
       "{token: string, device_id?: string|null}", "{token: string, device_id: string|null}", 201},
      {"GET", "/api/chat/history/", "chat", "user", "Global chat messages before a sequence number", "",
       "{room: string, messages: [object], has_more: boolean, last_seq: integer|null}", 200,
       "{before?: integer, limit?: integer}"},
      {"GET", "/api/chat/online/", "chat", "user", "Who is in the chat (every host)", "",
       "{room: string, count: integer, users: [{user_id: integer, username: string, avatar_url: string|null}]}"},
  };
  out.insert(out.end(), docs.begin(), docs.end());
}

}  // namespace clash::host::docs
