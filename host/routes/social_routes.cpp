// Profiles, follows, suggestions and contributions. See social_routes.h.
#include "routes/social_routes.h"

#include <string>

#include "http/json_body.h"
#include "http/json_response.h"

namespace clash::host {
namespace {

using nlohmann::json;

std::optional<std::int64_t> ViewerId(const Caller& caller) {
  return caller.user ? std::optional<std::int64_t>(caller.user->id) : std::nullopt;
}

// A positive query integer, or `fallback` when absent or malformed.
int QueryPositive(const HttpRequest& req, const char* key, int fallback, int max) {
  auto it = req.query.find(key);
  if (it == req.query.end()) return fallback;
  std::optional<std::int64_t> v = LenientInt(json(it->second));
  if (!v || *v < 1) return fallback;
  return static_cast<int>(std::min<std::int64_t>(*v, max));
}

json PublicProfileJson(const PublicProfile& p) {
  const User& u = p.user;
  json profile = {{"avatar_url", NullableUrl(u.profile.avatar_url)},
                  {"banner_url", NullableUrl(u.profile.banner_url)},
                  {"bio", u.profile.bio},
                  {"xp", p.xp},
                  {"created_at", u.date_joined.ToIso8601()},
                  {"active_theme", u.profile.active_theme},
                  {"active_font", u.profile.active_font},
                  {"active_effect", u.profile.active_effect ? json(*u.profile.active_effect) : json(nullptr)},
                  {"active_victory", u.profile.active_victory}};
  return json{{"id", u.id},
              {"username", u.username},
              {"first_name", u.first_name},
              {"last_name", u.last_name},
              {"profile", profile},
              {"followers_count", p.counts.followers},
              {"following_count", p.counts.following},
              {"is_following", p.is_following}};
}

json CardJson(const UserCard& c) {
  return json{{"username", c.username},
              {"first_name", c.first_name},
              {"avatar_url", NullableUrl(c.avatar_url)},
              {"is_following", c.is_following}};
}

void WriteCardPage(HttpResponse& resp, const Result<UserCardPage>& page) {
  if (!page.ok()) return WriteError(resp, page.status());
  json out = json::array();
  for (const UserCard& c : page->results) out.push_back(CardJson(c));
  resp.SetHeader("X-Total-Count", std::to_string(page->count));
  resp.SetHeader("X-Total-Pages", std::to_string(page->total_pages));
  WriteJson(resp, 200, out);
}

}  // namespace

json NullableUrl(const std::string& url) { return url.empty() ? json(nullptr) : json(url); }

void AddSocialRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("GET", "/api/profiles/users/{username}/",
             GuardDefault(ctx, Access::kAnyone, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               Result<PublicProfile> p = engine.social().Profile(req.path_params["username"], ViewerId(caller));
               if (!p.ok()) return WriteError(resp, p.status());
               WriteJson(resp, 200, PublicProfileJson(*p));
             }));

  router.Add("POST", "/api/profiles/users/{username}/follow/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               Result<FollowOutcome> f = engine.social().ToggleFollow(*caller.user, req.path_params["username"]);
               if (!f.ok()) return WriteError(resp, f.status());
               WriteJson(resp, f->created ? 201 : 200,
                         json{{"is_following", f->is_following},
                              {"follower_count", f->target_counts.followers},
                              {"following_count", f->target_counts.following}});
             }));

  for (bool followers : {true, false}) {
    router.Add("GET", std::string("/api/profiles/users/{username}/") + (followers ? "followers/" : "following/"),
               GuardDefault(ctx, Access::kAnyone,
                            [&engine, followers](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
                              const int page = QueryPositive(req, "page", 1, 1'000'000'000);
                              const int size = QueryPositive(req, "page_size", 100, 100);
                              const std::string& name = req.path_params["username"];
                              WriteCardPage(resp, followers ? engine.social().Followers(name, ViewerId(caller), page, size)
                                                            : engine.social().Following(name, ViewerId(caller), page, size));
                            }));
  }

  router.Add("GET", "/api/profiles/users/suggestions/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<std::vector<UserCard>> s = engine.social().Suggestions(*caller.user);
               if (!s.ok()) return WriteError(resp, s.status());
               json out = json::array();
               for (const UserCard& c : *s) {
                 out.push_back(json{{"username", c.username},
                                    {"first_name", c.first_name},
                                    {"avatar_url", NullableUrl(c.avatar_url)}});
               }
               WriteJson(resp, 200, out);
             }));

  router.Add("GET", "/api/profiles/users/{username}/stats/contributions/",
             GuardDefault(ctx, Access::kAnyone, [&engine](HttpRequest& req, HttpResponse& resp, const Caller&) {
               Result<std::vector<ContributionDay>> days = engine.social().Contributions(req.path_params["username"]);
               if (!days.ok()) return WriteError(resp, days.status());
               json out = json::array();
               for (const ContributionDay& d : *days) out.push_back(json{{"date", d.date.ToString()}, {"count", d.count}});
               WriteJson(resp, 200, out);
             }));
}

}  // namespace clash::host
