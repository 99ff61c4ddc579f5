// Profile update (with avatar and banner uploads) and posts. See social_routes.h.
#include <string>

#include "http/json_body.h"
#include "http/json_response.h"
#include "http/multipart.h"
#include "routes/auth_routes.h"
#include "routes/social_routes.h"

namespace clash::host {
namespace {

using nlohmann::json;

std::optional<std::int64_t> ViewerId(const Caller& caller) {
  return caller.user ? std::optional<std::int64_t>(caller.user->id) : std::nullopt;
}

int QueryInt(const HttpRequest& req, const char* key, int fallback, int max) {
  auto it = req.query.find(key);
  if (it == req.query.end()) return fallback;
  std::optional<std::int64_t> v = LenientInt(json(it->second));
  if (!v || *v < 1) return fallback;
  return static_cast<int>(std::min<std::int64_t>(*v, max));
}

json PostJson(const Post& p) {
  return json{{"id", p.id},
              {"user", json{{"username", p.user.username},
                            {"avatar_url", NullableUrl(p.user.avatar_url)},
                            {"is_following", p.user.is_following},
                            {"bio", p.user.bio}}},
              {"image", NullableUrl(p.image_url)},
              {"image_url", NullableUrl(p.image_url)},
              {"caption", p.caption},
              {"created_at", p.created_at.ToIso8601()},
              {"updated_at", p.updated_at.ToIso8601()},
              {"likes_count", p.likes_count},
              {"is_liked", p.is_liked}};
}

// A form's text fields and files, from multipart/form-data or a JSON object (text fields only).
// Writes the 400/415 and returns false on a bad body.
bool ReadForm(const HttpRequest& req, HttpResponse& resp, FormData* form) {
  if (IsMultipart(req)) {
    Result<FormData> parsed = ParseMultipart(req);
    if (!parsed.ok()) {
      WriteError(resp, parsed.status());
      return false;
    }
    *form = std::move(parsed).value();
    return true;
  }
  json body;
  if (!ReadJsonObject(req, resp, &body)) return false;
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.value().is_string()) {
      form->fields[it.key()] = it.value().get<std::string>();
    } else if (!it.value().is_null()) {
      WriteFieldError(resp, it.key(), "Not a valid string.");
      return false;
    }
  }
  return true;
}

std::optional<std::string> Field(const FormData& form, const char* key) {
  auto it = form.fields.find(key);
  return it == form.fields.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::optional<Upload> File(const FormData& form, const char* key) {
  auto it = form.files.find(key);
  if (it == form.files.end()) return std::nullopt;
  return Upload{.bytes = it->second.bytes, .declared_type = it->second.content_type};
}

}  // namespace

void AddPostRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("PATCH", "/api/profiles/user/update/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               FormData form;
               if (!ReadForm(req, resp, &form)) return;
               ProfileUpdate update{.username = Field(form, "username"),
                                    .first_name = Field(form, "first_name"),
                                    .last_name = Field(form, "last_name"),
                                    .bio = Field(form, "bio"),
                                    .avatar = File(form, "avatar"),
                                    .banner = File(form, "banner")};
               Result<User> user = engine.social().UpdateProfile(*caller.user, update);
               if (!user.ok()) return WriteError(resp, user.status());
               Result<WalletSummary> summary = engine.check_ins().Summary(user->id);
               if (!summary.ok()) return WriteError(resp, summary.status());
               Result<FollowCounts> counts = engine.social().CountsOf(user->id);
               if (!counts.ok()) return WriteError(resp, counts.status());
               WriteJson(resp, 200, UserJson(*user, *summary, *counts));
             }));

  router.Add("GET", "/api/posts/",
             GuardDefault(ctx, Access::kAnyone, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::string_view> username;
               auto it = req.query.find("username");
               if (it != req.query.end() && !it->second.empty()) username = it->second;
               Result<PostPage> page = engine.social().ListPosts(username, ViewerId(caller), QueryInt(req, "page", 1, 1'000'000'000),
                                                                 QueryInt(req, "page_size", 100, 100));
               if (!page.ok()) return WriteError(resp, page.status());
               json out = json::array();
               for (const Post& p : page->results) out.push_back(PostJson(p));
               resp.SetHeader("X-Total-Count", std::to_string(page->count));
               resp.SetHeader("X-Total-Pages", std::to_string(page->total_pages));
               WriteJson(resp, 200, out);
             }));

  router.Add("POST", "/api/posts/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               FormData form;
               if (!ReadForm(req, resp, &form)) return;
               Result<Post> post = engine.social().CreatePost(*caller.user, File(form, "image"),
                                                              Field(form, "caption").value_or(""));
               if (!post.ok()) return WriteError(resp, post.status());
               WriteJson(resp, 201, PostJson(*post));
             }));

  router.Add("GET", "/api/posts/{id}/",
             GuardDefault(ctx, Access::kAnyone, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> id = PathId(req.path_params["id"]);
               if (!id) return WriteError(resp, 404, "Not found.");
               Result<Post> post = engine.social().GetPost(*id, ViewerId(caller));
               if (!post.ok()) return WriteError(resp, post.status());
               WriteJson(resp, 200, PostJson(*post));
             }));

  for (const char* method : {"PATCH", "PUT"}) {
    router.Add(method, "/api/posts/{id}/",
               GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
                 std::optional<std::int64_t> id = PathId(req.path_params["id"]);
                 if (!id) return WriteError(resp, 404, "Not found.");
                 FormData form;
                 if (!ReadForm(req, resp, &form)) return;
                 std::optional<std::string> caption = Field(form, "caption");
                 Result<Post> post = caption ? engine.social().EditPost(*caller.user, *id, *caption)
                                             : engine.social().GetPost(*id, caller.user->id);
                 if (post.ok() && !caption && post->user.id != caller.user->id) {
                   return WriteError(resp, 403, "You do not have permission to perform this action.");
                 }
                 if (!post.ok()) return WriteError(resp, post.status());
                 WriteJson(resp, 200, PostJson(*post));
               }));
  }

  router.Add("DELETE", "/api/posts/{id}/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> id = PathId(req.path_params["id"]);
               if (!id) return WriteError(resp, 404, "Not found.");
               Status s = engine.social().DeletePost(*caller.user, *id);
               if (!s.ok()) return WriteError(resp, s);
               resp.status = 204;
               resp.body.clear();
             }));

  router.Add("POST", "/api/posts/{id}/like/",
             GuardDefault(ctx, Access::kUser, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> id = PathId(req.path_params["id"]);
               if (!id) return WriteError(resp, 404, "Not found.");
               Result<LikeOutcome> like = engine.social().ToggleLike(*caller.user, *id);
               if (!like.ok()) return WriteError(resp, like.status());
               WriteJson(resp, 200, json{{"is_liked", like->is_liked}, {"likes_count", like->likes_count}});
             }));
}

}  // namespace clash::host
