// clash/status.h — errors as values: Status and Result<T>.
//
// Every fallible call in the public API returns a Status or a Result<T>; no exception crosses
// include/clash/. A Status is a code, a human-readable message (shown to callers for every code but
// kInternal, whose message may carry backend text for the logs and is never sent to clients; no
// message ever holds a secret) and optional details that transports add to their
// error payloads (for example the `current_xp` and `shortage` fields of an insufficient-funds error).
//
// Thread-safety: Status and Result are values; distinct objects may be used from distinct threads.
//
// Example:
//   clash::Result<Level> level = engine->catalogue().Get("python-001");
//   if (!level.ok()) return level.status();
//   CLASH_ASSIGN_OR_RETURN(auto levels, engine->catalogue().List());
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

#include "clash/export.h"

namespace clash {

// The domain-level error codes. Each maps to exactly one HTTP status in the host (see
// docs/api.md) and to one Python exception class in the bindings.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the request is malformed or a value is out of range (400)
  kUnauthenticated,     // no valid credentials (401)
  kInsufficientFunds,   // not enough XP for a spend (402)
  kPermissionDenied,    // authenticated but not allowed (403)
  kNotFound,            // the named thing does not exist (404)
  kAlreadyExists,       // a create collided with an existing thing (409)
  kFailedPrecondition,  // the system is not in a state where the call can run (400)
  kAborted,             // a concurrent change won; the caller may retry (409)
  kPayloadTooLarge,     // an input exceeds a size limit (413)
  kResourceExhausted,   // a rate limit or quota was hit (429)
  kInternal,            // a bug or an unexpected backend failure (500)
  kUnavailable,         // a dependency is down or a queue is full; retry later (503)
  kDeadlineExceeded,    // the operation ran out of time (504)
};

// Returns the stable lower_snake_case name of `code`, e.g. "not_found".
CLASH_EXPORT std::string_view StatusCodeName(StatusCode code);

// One extra field attached to an error, rendered into the transport's error payload.
struct StatusDetail {
  std::string key;
  std::variant<std::int64_t, std::string> value;
};

class [[nodiscard]] CLASH_EXPORT Status {
 public:
  // An OK status.
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) { return {StatusCode::kUnauthenticated, std::move(msg)}; }
  static Status InsufficientFunds(std::string msg) { return {StatusCode::kInsufficientFunds, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {StatusCode::kFailedPrecondition, std::move(msg)}; }
  static Status Aborted(std::string msg) { return {StatusCode::kAborted, std::move(msg)}; }
  static Status PayloadTooLarge(std::string msg) { return {StatusCode::kPayloadTooLarge, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) { return {StatusCode::kResourceExhausted, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status DeadlineExceeded(std::string msg) { return {StatusCode::kDeadlineExceeded, std::move(msg)}; }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const;
  // The message; empty for OK.
  const std::string& message() const;
  // Extra fields for the error payload, in insertion order.
  const std::vector<StatusDetail>& details() const;
  // The value of string detail `key`, if the status has one (callers decide on codes and details,
  // never on message text).
  std::optional<std::string> StringDetail(std::string_view key) const;
  // Seconds after which a retry may succeed (rate limits, full queues), if known.
  std::optional<int> retry_after_seconds() const;

  // Builders; they return a copy with the field added. No-ops on an OK status.
  Status WithDetail(std::string key, std::int64_t value) const;
  Status WithDetail(std::string key, std::string value) const;
  Status WithRetryAfter(int seconds) const;
  // Attaches a typed value the caller can act on without asking again (the existing record of a
  // duplicate, for example: CheckIns::CheckIn's "Already checked in today" carries today's
  // CheckInRecord). One payload per status; a later one replaces it. No-op on an OK status.
  template <typename T>
  Status WithPayload(T value) const {
    return WithPayloadErased(std::make_shared<const T>(std::move(value)), &typeid(T));
  }
  // The payload if it is a T, else null. Valid as long as this Status (or a copy) lives.
  template <typename T>
  const T* payload() const {
    const std::type_info* type = payload_type();
    if (type == nullptr || *type != typeid(T)) return nullptr;
    return static_cast<const T*>(payload_erased());
  }

  // "not_found: level python-999 does not exist", or "ok".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  Status WithPayloadErased(std::shared_ptr<const void> value, const std::type_info* type) const;
  const std::type_info* payload_type() const;
  const void* payload_erased() const;

  struct Rep {
    StatusCode code;
    std::string message;
    std::vector<StatusDetail> details;
    std::optional<int> retry_after;
    std::shared_ptr<const void> payload;
    const std::type_info* payload_type = nullptr;
  };
  std::shared_ptr<const Rep> rep_;
};

CLASH_EXPORT std::ostream& operator<<(std::ostream& os, const Status& s);

// Either a value of type T or a non-OK Status (modelled on absl::StatusOr).
template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value or from a non-OK status, so `return value;` and `return status;` both work.
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status::Internal("Result constructed from an OK status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // Precondition: ok(). Accessing the value of an error Result aborts the program.
  const T& value() const& { Check(); return *value_; }
  T& value() & { Check(); return *value_; }
  T&& value() && { Check(); return std::move(*value_); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // The value, or `fallback` if this holds an error.
  T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  void Check() const {
    if (!value_.has_value()) AbortOnBadAccess(status_);
  }
  [[noreturn]] static void AbortOnBadAccess(const Status& s);

  Status status_;
  std::optional<T> value_;
};

namespace internal {
[[noreturn]] CLASH_EXPORT void AbortWithStatus(const Status& s);
inline const Status& ToStatus(const Status& s) { return s; }
template <typename T>
const Status& ToStatus(const Result<T>& r) { return r.status(); }
}  // namespace internal

template <typename T>
void Result<T>::AbortOnBadAccess(const Status& s) {
  internal::AbortWithStatus(s);
}

}  // namespace clash

#define CLASH_STATUS_CONCAT_INNER_(a, b) a##b
#define CLASH_STATUS_CONCAT_(a, b) CLASH_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` (a Status or Result<T>) from the enclosing function if it is an error.
#define CLASH_RETURN_IF_ERROR(expr)                                       \
  do {                                                                    \
    const auto& clash_status_or_ = (expr);                               \
    if (!clash_status_or_.ok()) return ::clash::internal::ToStatus(clash_status_or_); \
  } while (false)

// Evaluates `rexpr` (a Result<T>); on error returns its status, otherwise moves the value into `lhs`.
//   CLASH_ASSIGN_OR_RETURN(auto level, catalogue.Get(slug));
#define CLASH_ASSIGN_OR_RETURN(lhs, rexpr) \
  CLASH_ASSIGN_OR_RETURN_IMPL_(CLASH_STATUS_CONCAT_(clash_result_, __LINE__), lhs, rexpr)
#define CLASH_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                 \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
