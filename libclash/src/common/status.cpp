#include "clash/status.h"

#include <cstdio>
#include <cstdlib>

namespace clash {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kInsufficientFunds: return "insufficient_funds";
    case StatusCode::kPermissionDenied: return "permission_denied";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kAlreadyExists: return "already_exists";
    case StatusCode::kFailedPrecondition: return "failed_precondition";
    case StatusCode::kAborted: return "aborted";
    case StatusCode::kPayloadTooLarge: return "payload_too_large";
    case StatusCode::kResourceExhausted: return "resource_exhausted";
    case StatusCode::kInternal: return "internal";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kDeadlineExceeded: return "deadline_exceeded";
  }
  return "unknown";
}

Status::Status(StatusCode code, std::string message) {
  if (code != StatusCode::kOk) rep_ = std::make_shared<const Rep>(Rep{code, std::move(message), {}, {}, {}, nullptr});
}

StatusCode Status::code() const { return rep_ ? rep_->code : StatusCode::kOk; }

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

const std::vector<StatusDetail>& Status::details() const {
  static const std::vector<StatusDetail> kNone;
  return rep_ ? rep_->details : kNone;
}

std::optional<std::string> Status::StringDetail(std::string_view key) const {
  for (const StatusDetail& d : details()) {
    if (d.key == key) {
      if (const std::string* v = std::get_if<std::string>(&d.value)) return *v;
    }
  }
  return std::nullopt;
}

std::optional<int> Status::retry_after_seconds() const {
  return rep_ ? rep_->retry_after : std::nullopt;
}

Status Status::WithDetail(std::string key, std::int64_t value) const {
  if (!rep_) return *this;
  Status copy;
  Rep rep = *rep_;
  rep.details.push_back({std::move(key), value});
  copy.rep_ = std::make_shared<const Rep>(std::move(rep));
  return copy;
}

Status Status::WithDetail(std::string key, std::string value) const {
  if (!rep_) return *this;
  Status copy;
  Rep rep = *rep_;
  rep.details.push_back({std::move(key), std::move(value)});
  copy.rep_ = std::make_shared<const Rep>(std::move(rep));
  return copy;
}

Status Status::WithRetryAfter(int seconds) const {
  if (!rep_) return *this;
  Status copy;
  Rep rep = *rep_;
  rep.retry_after = seconds;
  copy.rep_ = std::make_shared<const Rep>(std::move(rep));
  return copy;
}

Status Status::WithPayloadErased(std::shared_ptr<const void> value, const std::type_info* type) const {
  if (!rep_) return *this;
  Status copy;
  Rep rep = *rep_;
  rep.payload = std::move(value);
  rep.payload_type = type;
  copy.rep_ = std::make_shared<const Rep>(std::move(rep));
  return copy;
}

const std::type_info* Status::payload_type() const { return rep_ ? rep_->payload_type : nullptr; }

const void* Status::payload_erased() const { return rep_ ? rep_->payload.get() : nullptr; }

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code()));
  out += ": ";
  out += message();
  return out;
}

std::ostream& operator<<(std::ostream& os, const Status& s) { return os << s.ToString(); }

namespace internal {
void AbortWithStatus(const Status& s) {
  std::fprintf(stderr, "clash: value() called on an error Result: %s\n", s.ToString().c_str());
  std::abort();
}
}  // namespace internal

}  // namespace clash
