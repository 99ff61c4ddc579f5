// Auth: email one-time codes.
#include <cstdio>

#include "auth/auth_impl.h"
#include "clash/ratelimit.h"

namespace clash {

Result<std::string> NormalizeEmail(std::string_view email) {
  const Status bad = Status::InvalidArgument("Enter a valid email address.");
  std::size_t b = email.find_first_not_of(" \t\r\n");
  std::size_t e = email.find_last_not_of(" \t\r\n");
  if (b == std::string_view::npos) return bad;
  std::string out(email.substr(b, e - b + 1));
  if (out.size() > 254) return bad;
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '\\') return bad;
    c = static_cast<char>(std::tolower(u));
  }
  std::size_t at = out.find('@');
  if (at == std::string::npos || at == 0 || out.find('@', at + 1) != std::string::npos || at > 64) return bad;
  std::string_view domain = std::string_view(out).substr(at + 1);
  std::size_t dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return bad;
  }
  return out;
}

Status Auth::RequestOtp(std::string_view raw_email) {
  CLASH_ASSIGN_OR_RETURN(std::string email, NormalizeEmail(raw_email));
  const AuthOptions& o = impl_->options;
  char code[8];
  std::snprintf(code, sizeof code, "%06llu", static_cast<unsigned long long>(impl_->rng.Uniform(0, 999'999)));
  int retry_after = 0;
  // Requests are counted per mailbox: every plus-address of one mailbox shares its budget.
  const std::string mailbox = MailboxKey(email);
  Status s = impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    retry_after = 0;
    Timestamp now = impl_->clock.Now();
    CLASH_ASSIGN_OR_RETURN(OtpGuard guard, tx.otps().LockGuard(mailbox));
    if (now - guard.window_start >= o.otp_per_mailbox.window) {
      guard.window_start = now;
      guard.requests = 0;
    }
    if (guard.requests >= o.otp_per_mailbox.capacity) {
      auto left = std::chrono::ceil<std::chrono::seconds>(guard.window_start + o.otp_per_mailbox.window - now);
      retry_after = static_cast<int>(std::max<std::int64_t>(1, left.count()));
      return Status::Ok();
    }
    ++guard.requests;
    CLASH_RETURN_IF_ERROR(tx.otps().SaveGuard(mailbox, guard));
    return tx.otps().ReplaceCode(email, impl_->OtpHash(email, code), now, now + o.otp_ttl);
  });
  if (!s.ok()) return s;
  if (retry_after > 0) {
    return Status::ResourceExhausted("Too many OTP requests. Please try again later.").WithRetryAfter(retry_after);
  }
  MailMessage mail;
  mail.from = o.mail_from;
  mail.to = email;
  mail.subject = "Your Clash login code";
  mail.text_body = std::string("Your login code is ") + code + ".\n\nIt expires in " +
                   std::to_string(o.otp_ttl.count() / 60) +
                   " minutes. If you did not ask for it, ignore this message.\n";
  Status sent = impl_->mailer.Send(mail);
  if (!sent.ok()) {
    impl_->logger.Error("OTP mail not delivered", {{"reason", std::string(StatusCodeName(sent.code()))}});
    return Status::Unavailable("Failed to deliver OTP email. Please try again later.");
  }
  return Status::Ok();
}

Result<Session> Auth::VerifyOtp(std::string_view raw_email, std::string_view code) {
  CLASH_ASSIGN_OR_RETURN(std::string email, NormalizeEmail(raw_email));
  const Status wrong = Status::InvalidArgument("Invalid or expired OTP.");
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string_view::npos) return wrong;
  const AuthOptions& o = impl_->options;
  enum class Outcome { kWrong, kLocked, kDisabled, kOk } outcome = Outcome::kWrong;
  int retry_after = 0;
  Session session;
  Status s = impl_->storage.Transact([&](StorageTransaction& tx) -> Status {
    outcome = Outcome::kWrong;
    Timestamp now = impl_->clock.Now();
    CLASH_ASSIGN_OR_RETURN(OtpGuard guard, tx.otps().LockGuard(email));
    if (now < guard.locked_until) {
      outcome = Outcome::kLocked;
      retry_after = static_cast<int>(
          std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(guard.locked_until - now).count()));
      return Status::Ok();
    }
    CLASH_ASSIGN_OR_RETURN(bool matched, tx.otps().ConsumeCode(email, impl_->OtpHash(email, code), now));
    if (!matched) {
      if (++guard.failures >= o.otp_max_failures) {
        guard.failures = 0;
        guard.locked_until = now + o.otp_lockout;
      }
      return tx.otps().SaveGuard(email, guard);
    }
    guard.failures = 0;
    CLASH_RETURN_IF_ERROR(tx.otps().SaveGuard(email, guard));
    Result<User> user = tx.users().GetByEmail(email);
    bool created = false;
    if (user.status().code() == StatusCode::kNotFound) {
      NewUser nu;
      nu.email = email;
      CLASH_ASSIGN_OR_RETURN(nu.username, impl_->FreeUsername(tx, email.substr(0, email.find('@'))));
      nu.profile.provider = "email";
      nu.created_at = now;
      user = tx.users().Create(nu);
      created = true;
    }
    if (!user.ok()) return user.status();
    if (!user->is_active) {
      outcome = Outcome::kDisabled;
      return Status::Ok();
    }
    CLASH_ASSIGN_OR_RETURN(session, impl_->IssueSession(tx, *user, ""));
    session.created = created;
    outcome = Outcome::kOk;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  switch (outcome) {
    case Outcome::kOk:
      impl_->logger.Info("otp login", {{"user_id", session.user.id}, {"created", session.created}});
      return session;
    case Outcome::kLocked:
      return Status::ResourceExhausted("Too many invalid attempts. Try again later.").WithRetryAfter(retry_after);
    case Outcome::kDisabled: return Status::PermissionDenied("User account is disabled.");
    case Outcome::kWrong: break;
  }
  return wrong;
}

}  // namespace clash
