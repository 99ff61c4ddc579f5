// Engine.admin: the admin console for scripts and notebooks (bulk block, exports, analytics as
// lists and dicts, CSV to a file). Every call names the acting staff member by id; the library
// applies the same permissions and writes the same audit log as the HTTP console (request id
// "python", user agent "clash-python").
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.h"
#include "clash/engine.h"
#include "engine_handle.h"
#include "exceptions.h"
#include "values.h"

namespace py = pybind11;

namespace clash::python {
namespace {

using Id = std::int64_t;
struct AdminTag {};
using AdminFacet = Facet<AdminTag>;

AdminContext ContextOf(const User& actor) {
  return AdminContext{.actor = actor, .request_id = "python", .actor_ip = "", .user_agent = "clash-python"};
}

// Runs fn(admin, context) as the user `actor_id`.
template <typename Fn>
auto AsActor(AdminFacet& f, Id actor_id, Fn&& fn) {
  return f.Call([&](Engine& e) {
    return WithUser(e, actor_id, [&](const User& u) { return fn(e.admin(), ContextOf(u)); });
  });
}

py::object OptDatetime(const std::optional<Timestamp>& t) { return t ? ToDatetime(*t) : py::none(); }

py::dict UserDict(const AdminUser& a) {
  py::dict d;
  d["id"] = a.user.id;
  d["username"] = a.user.username;
  d["email"] = a.user.email;
  d["role"] = std::string(RoleName(a.user.role()));
  d["is_active"] = a.user.is_active;
  d["xp"] = a.xp;
  d["date_joined"] = ToDatetime(a.user.date_joined);
  d["last_login"] = OptDatetime(a.last_login);
  return d;
}

py::list LevelsList(const std::vector<LevelAnalytics>& levels) {
  py::list out;
  for (const LevelAnalytics& l : levels) {
    py::dict d;
    d["slug"] = l.slug;
    d["title"] = l.title;
    d["order"] = l.order;
    d["completions"] = l.completions;
    d["completion_rate"] = l.completion_rate;
    d["xp_paid"] = l.xp_paid;
    out.append(d);
  }
  return out;
}

py::list ItemsList(const std::vector<ItemAnalytics>& items) {
  py::list out;
  for (const ItemAnalytics& i : items) {
    py::dict d;
    d["id"] = i.id;
    d["name"] = i.name;
    d["category"] = i.category;
    d["cost"] = i.cost;
    d["sales"] = i.sales;
    d["revenue"] = i.revenue;
    out.append(d);
  }
  return out;
}

py::list TopList(const std::vector<TopUser>& users) {
  py::list out;
  for (const TopUser& u : users) {
    py::dict d;
    d["username"] = u.username;
    d["xp"] = u.xp;
    d["followers"] = u.followers;
    out.append(d);
  }
  return out;
}

py::list DaysList(const std::vector<DailyCount>& days) {
  py::list out;
  for (const DailyCount& c : days) out.append(py::make_tuple(c.date, c.count));
  return out;
}

UserQuery Filters(const std::string& search, const std::string& role, const std::string& status) {
  return UserQuery{.search = search, .role = role, .status = status, .page = 1, .page_size = 100};
}

// Writes `text` to `path` (replacing it); OSError-like InvalidArgument if it cannot be written.
void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) ThrowStatus(Status::InvalidArgument("cannot write " + path));
}

std::size_t Rows(const std::string& csv) {
  std::size_t n = 0;
  for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++n;
  return n == 0 ? 0 : n - 1;
}

}  // namespace

void RegisterAdmin(py::module_& m) {
  py::class_<AdminFacet>(m, "Admin",
                         "The admin console of an engine; get it from Engine.admin. The acting staff member "
                         "is given by id; every change is audited.")
      .def(
          "stats",
          [](AdminFacet& f, Id actor) {
            AdminStats s = Unwrap(AsActor(f, actor, [](Admin& a, const AdminContext& c) { return a.Stats(c); }));
            py::dict d;
            d["total_users"] = s.total_users;
            d["active_sessions"] = s.active_sessions;
            d["oauth_logins"] = s.oauth_logins;
            d["total_gems"] = s.total_gems;
            return d;
          },
          py::arg("actor_id"), "{total_users, active_sessions, oauth_logins, total_gems}.")
      .def(
          "level_stats",
          [](AdminFacet& f, Id actor) {
            return LevelsList(Unwrap(AsActor(f, actor, [](Admin& a, const AdminContext& c) { return a.LevelStats(c); })));
          },
          py::arg("actor_id"), "Per level: [{slug, title, order, completions, completion_rate, xp_paid}].")
      .def(
          "store_stats",
          [](AdminFacet& f, Id actor) {
            return ItemsList(Unwrap(AsActor(f, actor, [](Admin& a, const AdminContext& c) { return a.StoreStats(c); })));
          },
          py::arg("actor_id"), "Per store item: [{id, name, category, cost, sales, revenue}], most sold first.")
      .def(
          "engagement",
          [](AdminFacet& f, Id actor) {
            EngagementAnalytics e =
                Unwrap(AsActor(f, actor, [](Admin& a, const AdminContext& c) { return a.Engagement(c); }));
            py::dict d;
            d["daily_growth"] = DaysList(e.daily_growth);
            d["active_users_24h"] = e.active_users_24h;
            py::dict providers;
            for (const auto& [p, n] : e.auth_distribution) providers[py::str(p)] = n;
            d["auth_distribution"] = providers;
            d["top_users"] = TopList(e.top_users);
            return d;
          },
          py::arg("actor_id"),
          "{daily_growth: [(date, count)] (30 days), active_users_24h, auth_distribution: {provider: n}, top_users}.")
      .def(
          "integrity",
          [](AdminFacet& f, Id actor) {
            IntegrityReport r = Unwrap(AsActor(f, actor, [](Admin& a, const AdminContext& c) { return a.Integrity(c); }));
            py::dict d;
            d["counts"] = r.counts;
            d["violations"] = r.violations;
            d["healthy"] = r.ok();
            return d;
          },
          py::arg("actor_id"), "{counts, violations, healthy}: the checks of system/integrity/.")
      .def(
          "users",
          [](AdminFacet& f, Id actor, const std::string& search, const std::string& role, const std::string& status) {
            // Every matching user (all pages).
            py::list out;
            for (int page = 1;; ++page) {
              UserQuery q = Filters(search, role, status);
              q.page = page;
              AdminUserPage p = Unwrap(AsActor(f, actor, [&](Admin& a, const AdminContext& c) { return a.Users(c, q); }));
              for (const AdminUser& u : p.results) out.append(UserDict(u));
              if (page >= p.total_pages) break;
            }
            return out;
          },
          py::arg("actor_id"), py::arg("search") = "", py::arg("role") = "", py::arg("status") = "",
          "Every user the actor may see matching the filters: [{id, username, email, role, is_active, xp, ...}].")
      .def(
          "export_users_csv",
          [](AdminFacet& f, Id actor, const std::string& path, const std::string& search, const std::string& role,
             const std::string& status) {
            std::string csv = Unwrap(AsActor(f, actor, [&](Admin& a, const AdminContext& c) {
              return a.ExportUsers(c, Filters(search, role, status));
            }));
            WriteFile(path, csv);
            return Rows(csv);
          },
          py::arg("actor_id"), py::arg("path"), py::arg("search") = "", py::arg("role") = "", py::arg("status") = "",
          "Writes the users CSV (formula-safe) to `path`; returns the number of rows.")
      .def(
          "audit_csv",
          [](AdminFacet& f, Id actor, const std::string& path, const std::string& action) {
            std::string csv = Unwrap(AsActor(f, actor, [&](Admin& a, const AdminContext& c) {
              return a.AuditCsv(c, AuditQuery{.action = action});
            }));
            WriteFile(path, csv);
            return Rows(csv);
          },
          py::arg("actor_id"), py::arg("path"), py::arg("action") = "",
          "Writes the newest 1000 audit entries (of `action`, if given) as CSV to `path`; returns the rows.")
      .def(
          "audit_log",
          [](AdminFacet& f, Id actor, const std::string& action, int limit) {
            AuditPage p = Unwrap(AsActor(f, actor, [&](Admin& a, const AdminContext& c) {
              return a.AuditLog(c, AuditQuery{.action = action, .page_size = limit});
            }));
            py::list out;
            for (const AuditEntry& e : p.results) {
              py::dict d;
              d["admin"] = e.admin_username;
              d["action"] = e.action;
              d["target"] = e.target_username;
              d["details"] = py::module_::import("json").attr("loads")(e.details_json);
              d["timestamp"] = ToDatetime(e.created_at);
              d["request_id"] = e.request_id;
              out.append(d);
            }
            return out;
          },
          py::arg("actor_id"), py::arg("action") = "", py::arg("limit") = 50, "The newest audit entries, as dicts.")
      .def(
          "bulk_block",
          [](AdminFacet& f, Id actor, const std::vector<std::string>& usernames, bool block) {
            BulkResult r = Unwrap(AsActor(f, actor, [&](Admin& a, const AdminContext& c) {
              return a.BulkSetActive(c, !block, usernames);
            }));
            py::dict d;
            d["updated"] = r.updated;
            py::dict skipped;
            for (const BulkSkip& s : r.skipped) skipped[py::str(s.username)] = s.reason;
            d["skipped"] = skipped;
            return d;
          },
          py::arg("actor_id"), py::arg("usernames"), py::arg("block") = true,
          "Blocks (or with block=False unblocks) every user it may; {updated: [...], skipped: {username: reason}}.")
      .def(
          "toggle_block",
          [](AdminFacet& f, Id actor, const std::string& username, const std::string& reason) {
            return Unwrap(AsActor(f, actor, [&](Admin& a, const AdminContext& c) { return a.ToggleBlock(c, username, reason); }));
          },
          py::arg("actor_id"), py::arg("username"), py::arg("reason") = "", "Returns is_active after the toggle.")
      .def(
          "broadcast",
          [](AdminFacet& f, Id actor, const std::string& message, bool include_staff, const std::string& reason) {
            return Unwrap(AsActor(f, actor, [&](Admin& a, const AdminContext& c) {
              return a.SendBroadcast(c, message, include_staff, reason);
            }));
          },
          py::arg("actor_id"), py::arg("message"), py::arg("include_staff") = false, py::arg("reason") = "",
          "Notifies every active user; returns the number of recipients.");
}

void AddAdminAccessors(EngineClass& engine) {
  engine.def_property_readonly(
      "admin", [](const Handle& h) { return AdminFacet{h}; }, "The admin console (Admin).");
}

}  // namespace clash::python
