// Auth, User, UserProfile, Session and normalize_email(): read-only views of the library's values;
// every Auth call goes through the engine handle (GIL released, closed engine refused).
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "bindings.h"
#include "clash/auth.h"
#include "clash/engine.h"
#include "engine_handle.h"
#include "exceptions.h"
#include "values.h"

namespace py = pybind11;

namespace clash::python {
namespace {

py::dict ProfileToDict(const UserProfile& p) {
  py::dict d;
  d["avatar_url"] = p.avatar_url;
  d["banner_url"] = p.banner_url;
  d["bio"] = p.bio;
  d["provider"] = p.provider;
  d["referral_code"] = p.referral_code;
  d["active_theme"] = p.active_theme;
  d["active_font"] = p.active_font;
  d["active_effect"] = py::cast(p.active_effect);
  d["active_victory"] = p.active_victory;
  return d;
}

py::dict UserToDict(const User& u) {
  py::dict d;
  d["id"] = u.id;
  d["username"] = u.username;
  d["email"] = u.email;
  d["first_name"] = u.first_name;
  d["last_name"] = u.last_name;
  d["is_active"] = u.is_active;
  d["is_staff"] = u.is_staff;
  d["is_superuser"] = u.is_superuser;
  d["role"] = std::string(RoleName(u.role()));
  d["profile"] = ProfileToDict(u.profile);
  d["date_joined"] = ToDatetime(u.date_joined);
  return d;
}

py::dict SessionToDict(const Session& s) {
  py::dict d;
  d["user"] = UserToDict(s.user);
  d["access_token"] = s.access_token;
  d["refresh_token"] = s.refresh_token;
  d["issued_at"] = ToDatetime(s.issued_at);
  d["access_expires_at"] = ToDatetime(s.access_expires_at);
  d["refresh_expires_at"] = ToDatetime(s.refresh_expires_at);
  d["created"] = s.created;
  return d;
}

std::string Quote(const std::string& s) { return std::string(py::repr(py::str(s))); }

// Names and flags only: no email, and never a token.
std::string UserRepr(const User& u) {
  return "User(id=" + std::to_string(u.id) + ", username=" + Quote(u.username) + ", role=" +
         Quote(std::string(RoleName(u.role()))) + ", is_active=" + (u.is_active ? "True" : "False") + ")";
}

std::string SessionRepr(const Session& s) {
  return "Session(user=" + UserRepr(s.user) + ", access_token=<hidden>, refresh_token=<hidden>, "
         "access_expires_at=" + Quote(s.access_expires_at.ToIso8601()) + ", created=" +
         (s.created ? "True" : "False") + ")";
}

// Engine.auth: the engine handle, so a closed engine fails every call with FailedPrecondition.
struct AuthHandle {
  Handle engine;

  template <typename Fn>
  auto Call(Fn&& fn) {
    return engine->Call([&](Engine& e) { return fn(e.auth()); });
  }
};

void RegisterValues(py::module_& m) {
  py::class_<UserProfile>(m, "UserProfile", "A user's public profile and cosmetics (read-only).")
      .def_readonly("avatar_url", &UserProfile::avatar_url)
      .def_readonly("banner_url", &UserProfile::banner_url)
      .def_readonly("bio", &UserProfile::bio)
      .def_readonly("provider", &UserProfile::provider, "email, github, google or local.")
      .def_readonly("referral_code", &UserProfile::referral_code)
      .def_readonly("active_theme", &UserProfile::active_theme)
      .def_readonly("active_font", &UserProfile::active_font)
      .def_readonly("active_effect", &UserProfile::active_effect, "str or None.")
      .def_readonly("active_victory", &UserProfile::active_victory)
      .def("to_dict", &ProfileToDict)
      .def("__eq__", [](const UserProfile& a, const UserProfile& b) { return a == b; })
      .def("__repr__", [](const UserProfile& p) { return "UserProfile(provider=" + Quote(p.provider) + ")"; });

  py::class_<User>(m, "User", "An account (read-only). repr() shows no email.")
      .def_readonly("id", &User::id)
      .def_readonly("username", &User::username)
      .def_readonly("email", &User::email, "Lower-cased; may be empty for provider accounts.")
      .def_readonly("first_name", &User::first_name)
      .def_readonly("last_name", &User::last_name)
      .def_readonly("is_active", &User::is_active, "False when blocked.")
      .def_readonly("is_staff", &User::is_staff)
      .def_readonly("is_superuser", &User::is_superuser)
      .def_readonly("profile", &User::profile)
      .def_property_readonly("date_joined", [](const User& u) { return ToDatetime(u.date_joined); },
                             "datetime (UTC).")
      .def_property_readonly("role", [](const User& u) { return std::string(RoleName(u.role())); },
                             "'user', 'staff' or 'superuser'.")
      .def("to_dict", &UserToDict, "The fields as a dict (profile nested, date_joined a datetime).")
      .def("__eq__", [](const User& a, const User& b) { return a == b; })
      .def("__repr__", &UserRepr);

  py::class_<Session>(m, "Session",
                      "The tokens of a login or refresh (read-only). Times are datetimes in UTC; repr() "
                      "never shows the tokens.")
      .def_readonly("user", &Session::user)
      .def_readonly("access_token", &Session::access_token)
      .def_readonly("refresh_token", &Session::refresh_token)
      .def_property_readonly("issued_at", [](const Session& s) { return ToDatetime(s.issued_at); })
      .def_property_readonly("access_expires_at", [](const Session& s) { return ToDatetime(s.access_expires_at); })
      .def_property_readonly("refresh_expires_at",
                             [](const Session& s) { return ToDatetime(s.refresh_expires_at); })
      .def_readonly("created", &Session::created, "True when this login created the account.")
      .def("to_dict", &SessionToDict, "The fields as a dict, tokens included.")
      .def("__repr__", &SessionRepr);
}

void RegisterAuthClass(py::module_& m) {
  using Id = std::int64_t;
  py::class_<AuthHandle>(m, "Auth", "Identity and access of an engine; get it from Engine.auth.")
      .def("request_otp",
           [](AuthHandle& a, const std::string& email) { Check(a.Call([&](Auth& x) { return x.RequestOtp(email); })); },
           py::arg("email"), "Mails a six-digit login code to `email`.")
      .def("verify_otp",
           [](AuthHandle& a, const std::string& email, const std::string& code) {
             return Unwrap(a.Call([&](Auth& x) { return x.VerifyOtp(email, code); }));
           },
           py::arg("email"), py::arg("code"), "Checks the code; the first success creates the account.")
      .def("refresh",
           [](AuthHandle& a, const std::string& token) {
             return Unwrap(a.Call([&](Auth& x) { return x.Refresh(token); }));
           },
           py::arg("refresh_token"), "Exchanges a refresh token for a new pair (the old one is spent).")
      .def("logout",
           [](AuthHandle& a, const std::string& token) { Check(a.Call([&](Auth& x) { return x.Logout(token); })); },
           py::arg("refresh_token"), "Revokes the refresh token's family.")
      .def("authenticate",
           [](AuthHandle& a, const std::string& token) {
             return Unwrap(a.Call([&](Auth& x) { return x.Authenticate(token); }));
           },
           py::arg("access_token"), "The user behind an access token.")
      .def("admin_login",
           [](AuthHandle& a, const std::string& username, const std::string& password) {
             return Unwrap(a.Call([&](Auth& x) { return x.AdminLogin(username, password); }));
           },
           py::arg("username"), py::arg("password"), "Staff login with a password.")
      .def("create_superuser",
           [](AuthHandle& a, const std::string& username, const std::string& email, const std::string& password) {
             return Unwrap(a.Call([&](Auth& x) { return x.CreateSuperuser(username, email, password); }));
           },
           py::arg("username"), py::arg("email"), py::arg("password"),
           "Creates a staff superuser (password >= 10 characters).")
      .def("delete_account",
           [](AuthHandle& a, Id id) { Check(a.Call([&](Auth& x) { return x.DeleteAccount(id); })); },
           py::arg("user_id"), "Deletes the account and everything it owns.")
      .def("set_active",
           [](AuthHandle& a, const User& actor, Id target, bool active) {
             Check(a.Call([&](Auth& x) { return x.SetActive(actor, target, active); }));
           },
           py::arg("actor"), py::arg("target_id"), py::arg("active"), "Blocks (False) or unblocks a user.")
      .def("set_role",
           [](AuthHandle& a, const User& actor, Id target, const std::string& role) {
             Role parsed = Unwrap(ParseRole(role));
             Check(a.Call([&](Auth& x) { return x.SetRole(actor, target, parsed); }));
           },
           py::arg("actor"), py::arg("target_id"), py::arg("role"), "role: 'user', 'staff' or 'superuser'.")
      .def("get_user",
           [](AuthHandle& a, Id id) { return Unwrap(a.Call([&](Auth& x) { return x.GetUser(id); })); },
           py::arg("user_id"), "The user; NotFoundError if absent.")
      .def("jwks",
           [](AuthHandle& a) {
             std::string json = Unwrap(a.Call([](Auth& x) -> Result<std::string> { return x.JwksJson(); }));
             return py::module_::import("json").attr("loads")(json);
           },
           "The public token keys as a dict (the JWKS document).")
      .def("__repr__", [](AuthHandle& a) { return std::string("<clash.Auth backend=") + Quote(a.engine->backend()) + ">"; });
}

}  // namespace

py::object MakeAuth(const Handle& engine) { return py::cast(AuthHandle{engine}); }

void RegisterAuth(py::module_& m) {
  RegisterValues(m);
  RegisterAuthClass(m);
  m.def(
      "normalize_email",
      [](const std::string& email) { return Unwrap(NormalizeEmail(email)); }, py::arg("email"),
      "Trims and lower-cases an email after checking its shape; InvalidArgumentError otherwise.");
}

}  // namespace clash::python
