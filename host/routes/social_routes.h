// host/routes/social_routes.h — profiles, follows and notifications over HTTP (client-contract.md
// sections 11 and 12, reference-core.md 1.3 and 1.10). Translation only: the rules live in
// clash::Social and clash::Notifications.
//
// social_routes.cpp (default throttle):
//   GET  /api/profiles/users/{username}/                    anyone -> public profile + is_following
//   POST /api/profiles/users/{username}/follow/             user   -> 201 (followed) / 200 (unfollowed)
//                                                                    {is_following, follower_count, following_count}
//   GET  /api/profiles/users/{username}/followers/?page=&page_size=   anyone -> [{username, first_name,
//   GET  /api/profiles/users/{username}/following/?page=&page_size=      avatar_url, is_following}]; the page
//                                                                    (default 1, size 100, at most 100) with
//                                                                    X-Total-Count and X-Total-Pages headers
//   GET  /api/profiles/users/suggestions/                   user   -> [{username, first_name, avatar_url}] (<= 50)
//   GET  /api/profiles/users/{username}/stats/contributions/ anyone -> [{date, count}] newest first (<= 365)
// post_routes.cpp (default throttle; bodies are multipart/form-data or JSON):
//   PATCH  /api/profiles/user/update/   user  username, first_name, last_name, bio; files avatar, banner
//                                             -> the user JSON of GET /api/profiles/user/
//   GET    /api/posts/?username=&page=&page_size=  anyone -> [{id, user{username, avatar_url, is_following,
//                                             bio}, image, image_url, caption, created_at, likes_count,
//                                             is_liked}] newest first (size 100, at most 100; X-Total-Count)
//   POST   /api/posts/                  user  image (file), caption -> 201 post
//   GET    /api/posts/{id}/             anyone -> post
//   PATCH/PUT /api/posts/{id}/          owner {caption} -> post (403 for anyone else)
//   DELETE /api/posts/{id}/             owner -> 204
//   POST   /api/posts/{id}/like/        user  -> {is_liked, likes_count} (toggle)
// notification_routes.cpp (notifications throttle, 180/min per user):
//   GET    /api/notifications/?page=&page_size=      -> {count, unread_count, page, page_size, total_pages, results}
//   GET    /api/notifications/{id}/                  -> notification
//   DELETE /api/notifications/{id}/                  -> 204
//   POST   /api/notifications/{id}/mark_read/        -> {status: "marked read"}
//   POST   /api/notifications/mark_all_read/         -> {status: "marked all read"}
//   DELETE /api/notifications/clear_all/             -> 204
//   POST   /api/notifications/fcm-tokens/            {token, device_id} -> 201 (new) / 200 {token, device_id}
#pragma once

#include <nlohmann/json.hpp>

#include "clash/social.h"
#include "http/guard.h"
#include "http/router.h"

namespace clash::host {

void AddSocialRoutes(Router& router, RouteContext& ctx);
void AddNotificationRoutes(Router& router, RouteContext& ctx);
// post_routes.cpp: PATCH /api/profiles/user/update/ and /api/posts/.
void AddPostRoutes(Router& router, RouteContext& ctx);

// A media or avatar URL as the client reads it: null when empty.
nlohmann::json NullableUrl(const std::string& url);

}  // namespace clash::host
