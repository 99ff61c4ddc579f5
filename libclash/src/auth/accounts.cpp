// Auth: password login for staff, superusers, deletion, blocking and roles; the permission helper.
#include "auth/auth_impl.h"
#include "common/crypto.h"
#include "common/name_table.h"

namespace clash {

namespace {
constexpr internal::NameTable<Role, 3> kRoles{{{
    {Role::kUser, "user"}, {Role::kStaff, "staff"}, {Role::kSuperuser, "superuser"}}}};
}  // namespace

std::string_view RoleName(Role role) { return kRoles.Name(role, "user"); }

Result<Role> ParseRole(std::string_view name) {
  Result<Role> role = kRoles.Parse(name, "");
  if (!role.ok()) return Status::InvalidArgument("role must be 'user', 'staff' or 'superuser'");
  return role;
}

Status Require(const User& actor, Permission permission, const User* target) {
  const Status denied = Status::PermissionDenied("You do not have permission to perform this action.");
  if (!actor.is_active) return denied;
  switch (permission) {
    case Permission::kViewAdmin:
      return actor.is_staff || actor.is_superuser ? Status::Ok() : denied;
    case Permission::kManageStaff:
      return actor.is_superuser ? Status::Ok() : denied;
    case Permission::kManageUser:
      if (actor.is_superuser) return Status::Ok();
      if (!actor.is_staff) return denied;
      if (target != nullptr && (target->is_staff || target->is_superuser)) return denied;
      return Status::Ok();
  }
  return denied;
}

Result<Session> Auth::AdminLogin(std::string_view username, std::string_view password) {
  const Status bad = Status::InvalidArgument("Unable to log in with provided credentials.");
  if (username.empty() || password.empty()) return Status::InvalidArgument("Must include \"username\" and \"password\".");
  if (username.size() > 150 || password.size() > 1024) return bad;
  Result<User> user = Status::NotFound("");
  std::string hash;
  CLASH_RETURN_IF_ERROR(impl_->storage.Read([&](StorageTransaction& tx) -> Status {
    user = tx.users().GetByUsername(username);
    if (user.ok()) {
      CLASH_ASSIGN_OR_RETURN(hash, tx.users().PasswordHash(user->id));
    } else if (user.status().code() != StatusCode::kNotFound) {
      return user.status();
    }
    return Status::Ok();
  }));
  // Verify even when the user is unknown so timing does not reveal which usernames exist.
  static const std::string kDummy = internal::HashPassword("dummy-password-for-timing").value_or("");
  bool ok = internal::VerifyPassword(password, hash.empty() ? kDummy : hash) && user.ok() && !hash.empty();
  if (!ok) return bad;
  if (!user->is_active) return Status::PermissionDenied("User account is disabled.");
  if (!user->is_staff && !user->is_superuser) {
    return Status::PermissionDenied("You do not have permission to access the admin area.");
  }
  Session session;
  CLASH_RETURN_IF_ERROR(impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(session, impl_->IssueSession(tx, *user, ""));
    return Status::Ok();
  }));
  return session;
}

Result<User> Auth::CreateSuperuser(std::string_view username, std::string_view raw_email, std::string_view password) {
  if (username.empty() || username.size() > 150) return Status::InvalidArgument("username must be 1-150 characters");
  for (char c : username) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '@' || c == '+';
    if (!ok) return Status::InvalidArgument("username may hold letters, digits and @.+-_ only");
  }
  if (password.size() < 10) return Status::InvalidArgument("password must have at least 10 characters");
  CLASH_ASSIGN_OR_RETURN(std::string email, NormalizeEmail(raw_email));
  CLASH_ASSIGN_OR_RETURN(std::string hash, internal::HashPassword(password));
  User out;
  CLASH_RETURN_IF_ERROR(impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    NewUser nu;
    nu.username = std::string(username);
    nu.email = email;
    nu.password_hash = hash;
    nu.is_staff = true;
    nu.is_superuser = true;
    nu.profile.provider = "local";
    nu.profile.bio = "Administrator";
    nu.created_at = impl_->clock.Now();
    CLASH_ASSIGN_OR_RETURN(out, tx.users().Create(nu));
    return Status::Ok();
  }));
  return out;
}

namespace {
Status GuardLastSuperuser(StorageTransaction& tx, const User& target, const char* what) {
  if (!target.is_superuser || !target.is_active) return Status::Ok();
  CLASH_ASSIGN_OR_RETURN(std::int64_t n, tx.users().CountActiveSuperusers());
  if (n <= 1) return Status::FailedPrecondition(std::string("The last active superuser cannot be ") + what + ".");
  return Status::Ok();
}
}  // namespace

Status Auth::DeleteAccount(std::int64_t user_id) {
  return impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User user, tx.users().GetById(user_id));
    CLASH_RETURN_IF_ERROR(GuardLastSuperuser(tx, user, "deleted"));
    impl_->ReportRevoked(tx, {user_id, "", true});
    return tx.users().Delete(user_id);
  });
}

Status Auth::SetActive(const User& actor, std::int64_t target_id, bool active) {
  return impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User target, tx.users().GetById(target_id));
    CLASH_RETURN_IF_ERROR(Require(actor, Permission::kManageUser, &target));
    if (!active && target.id == actor.id) return Status::FailedPrecondition("You cannot block yourself.");
    if (!active) CLASH_RETURN_IF_ERROR(GuardLastSuperuser(tx, target, "blocked"));
    target.is_active = active;
    CLASH_RETURN_IF_ERROR(tx.users().Update(target));
    if (!active) {
      CLASH_RETURN_IF_ERROR(tx.sessions().RevokeUser(target.id));
      impl_->ReportRevoked(tx, {target.id, "", true});
    }
    return Status::Ok();
  });
}

Status Auth::SetRole(const User& actor, std::int64_t target_id, Role role) {
  CLASH_RETURN_IF_ERROR(Require(actor, Permission::kManageStaff));
  return impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User target, tx.users().GetById(target_id));
    if (target.is_superuser && role != Role::kSuperuser) CLASH_RETURN_IF_ERROR(GuardLastSuperuser(tx, target, "demoted"));
    target.is_superuser = role == Role::kSuperuser;
    target.is_staff = role != Role::kUser;
    return tx.users().Update(target);
  });
}

}  // namespace clash

namespace clash {

Result<Session> Auth::LoginWithIdentity(const ExternalIdentity& id) {
  if (id.provider.empty() || id.provider_uid.empty() || id.provider.size() > 32 || id.provider_uid.size() > 255) {
    return Status::InvalidArgument("provider identity is incomplete");
  }
  std::string email;
  if (!id.email.empty()) {
    Result<std::string> normalized = NormalizeEmail(id.email);
    if (normalized.ok()) email = *normalized;
  }
  enum class Outcome { kOk, kUnverifiedCollision, kDisabled } outcome = Outcome::kOk;
  Session session;
  Status s = impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    outcome = Outcome::kOk;
    Timestamp now = impl_->clock.Now();
    CLASH_ASSIGN_OR_RETURN(std::optional<std::int64_t> linked, tx.users().FindIdentity(id.provider, id.provider_uid));
    Result<User> user = Status::NotFound("");
    bool created = false;
    if (linked) {
      user = tx.users().GetById(*linked);
    } else if (!email.empty()) {
      Result<User> by_email = tx.users().GetByEmail(email);
      if (by_email.ok()) {
        if (!id.email_verified) {
          outcome = Outcome::kUnverifiedCollision;
          return Status::Ok();
        }
        user = std::move(by_email);
      } else if (by_email.status().code() != StatusCode::kNotFound) {
        return by_email.status();
      }
    }
    if (user.status().code() == StatusCode::kNotFound) {
      NewUser nu;
      nu.email = id.email_verified ? email : "";
      std::string seed = !id.username_hint.empty() ? id.username_hint : email.substr(0, email.find('@'));
      CLASH_ASSIGN_OR_RETURN(nu.username, impl_->FreeUsername(tx, seed));
      nu.first_name = id.first_name.substr(0, 150);
      nu.last_name = id.last_name.substr(0, 150);
      nu.profile.provider = id.provider;
      if (id.avatar_url.starts_with("https://")) nu.profile.avatar_url = id.avatar_url.substr(0, 1000);
      nu.created_at = now;
      user = tx.users().Create(nu);
      created = true;
    }
    if (!user.ok()) return user.status();
    if (!linked) CLASH_RETURN_IF_ERROR(tx.users().LinkIdentity(user->id, id.provider, id.provider_uid, now));
    if (!user->is_active) {
      outcome = Outcome::kDisabled;
      return Status::Ok();
    }
    CLASH_ASSIGN_OR_RETURN(session, impl_->IssueSession(tx, *user, ""));
    session.created = created;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (outcome == Outcome::kUnverifiedCollision) {
    return Status::AlreadyExists(
        "An account with this email already exists. The provider has not verified the email, so it cannot be "
        "linked: sign in with your email code first.");
  }
  if (outcome == Outcome::kDisabled) return Status::PermissionDenied("User account is disabled.");
  return session;
}

}  // namespace clash
