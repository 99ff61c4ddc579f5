// Notifications REST and FCM token registration. See social_routes.h.
#include <string>

#include "http/json_body.h"
#include "http/json_response.h"
#include "routes/social_routes.h"

namespace clash::host {
namespace {

using nlohmann::json;

constexpr const char* kScope = "notifications";

json NotificationJson(const Notification& n) {
  json actor = nullptr;
  if (n.actor) {
    actor = json{{"username", n.actor->username},
                 {"avatar_url", NullableUrl(n.actor->avatar_url)},
                 {"is_following", n.actor->is_following},
                 {"bio", n.actor->bio}};
  }
  return json{{"id", n.id},
              {"actor", actor},
              {"verb", n.verb},
              {"target_preview", NullableUrl(n.target_preview)},
              {"is_read", n.is_read},
              {"created_at", n.created_at.ToIso8601()}};
}

std::string Query(const HttpRequest& req, const char* key) {
  auto it = req.query.find(key);
  return it == req.query.end() ? "" : it->second;
}

void WriteNoContent(HttpResponse& resp) {
  resp.status = 204;
  resp.body.clear();
}

}  // namespace

void AddNotificationRoutes(Router& router, RouteContext& ctx) {
  Engine& engine = ctx.engine;
  router.Add("GET", "/api/notifications/",
             Guard(ctx, Access::kUser, kScope, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               NotificationPaging paging = ParseNotificationPaging(Query(req, "page"), Query(req, "page_size"));
               Result<NotificationPage> page = engine.notifications().List(caller.user->id, paging);
               if (!page.ok()) return WriteError(resp, page.status());
               json results = json::array();
               for (const Notification& n : page->results) results.push_back(NotificationJson(n));
               resp.SetHeader("Cache-Control", "no-store");
               WriteJson(resp, 200, json{{"count", page->count},
                                         {"unread_count", page->unread_count},
                                         {"page", page->page},
                                         {"page_size", page->page_size},
                                         {"total_pages", page->total_pages},
                                         {"results", results}});
             }));

  router.Add("GET", "/api/notifications/{id}/",
             Guard(ctx, Access::kUser, kScope, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> id = PathId(req.path_params["id"]);
               if (!id) return WriteError(resp, 404, "Not found.");
               Result<Notification> n = engine.notifications().Get(caller.user->id, *id);
               if (!n.ok()) return WriteError(resp, n.status());
               WriteJson(resp, 200, NotificationJson(*n));
             }));

  router.Add("DELETE", "/api/notifications/{id}/",
             Guard(ctx, Access::kUser, kScope, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> id = PathId(req.path_params["id"]);
               if (!id) return WriteError(resp, 404, "Not found.");
               if (Status s = engine.notifications().Delete(caller.user->id, *id); !s.ok()) return WriteError(resp, s);
               WriteNoContent(resp);
             }));

  router.Add("POST", "/api/notifications/{id}/mark_read/",
             Guard(ctx, Access::kUser, kScope, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               std::optional<std::int64_t> id = PathId(req.path_params["id"]);
               if (!id) return WriteError(resp, 404, "Not found.");
               if (Status s = engine.notifications().MarkRead(caller.user->id, *id); !s.ok()) return WriteError(resp, s);
               WriteJson(resp, 200, json{{"status", "marked read"}});
             }));

  router.Add("POST", "/api/notifications/mark_all_read/",
             Guard(ctx, Access::kUser, kScope, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<std::int64_t> n = engine.notifications().MarkAllRead(caller.user->id);
               if (!n.ok()) return WriteError(resp, n.status());
               WriteJson(resp, 200, json{{"status", "marked all read"}});
             }));

  router.Add("DELETE", "/api/notifications/clear_all/",
             Guard(ctx, Access::kUser, kScope, [&engine](HttpRequest&, HttpResponse& resp, const Caller& caller) {
               Result<std::int64_t> n = engine.notifications().ClearAll(caller.user->id);
               if (!n.ok()) return WriteError(resp, n.status());
               WriteNoContent(resp);
             }));

  router.Add("POST", "/api/notifications/fcm-tokens/",
             Guard(ctx, Access::kUser, kScope, [&engine](HttpRequest& req, HttpResponse& resp, const Caller& caller) {
               json body;
               std::string token, device_id;
               if (!ReadJsonObject(req, resp, &body) || !StringField(body, "token", resp, &token) ||
                   !StringField(body, "device_id", resp, &device_id)) {
                 return;
               }
               Result<FcmRegistration> r = engine.notifications().RegisterFcmToken(caller.user->id, token, device_id);
               if (!r.ok()) return WriteError(resp, r.status());
               WriteJson(resp, r->created ? 201 : 200, json{{"token", r->token}, {"device_id", r->device_id}});
             }));
}

}  // namespace clash::host
