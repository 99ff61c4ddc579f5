// Test support: GoogleTest matchers for Status/Result (abseil's IsOk, StatusIs, IsOkAndHolds), a
// temporary directory, and the PostgreSQL URL of the test server.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "clash/status.h"

namespace clash::testing {

inline const Status& GetStatus(const Status& s) { return s; }
template <typename T>
const Status& GetStatus(const Result<T>& r) { return r.status(); }

MATCHER(IsOk, "is OK") {
  const Status& s = ::clash::testing::GetStatus(arg);
  if (!s.ok()) *result_listener << "status is " << s.ToString();
  return s.ok();
}

MATCHER_P(StatusIs, code, "has status code " + std::string(::clash::StatusCodeName(code))) {
  const Status& s = ::clash::testing::GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code;
}

// The code and the exact message (the text the client sees).
MATCHER_P2(StatusIs, code, message,
           "has status code " + std::string(::clash::StatusCodeName(code)) + " and message \"" +
               std::string(message) + "\"") {
  const Status& s = ::clash::testing::GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code && s.message() == std::string_view(message);
}

template <typename InnerMatcher>
class IsOkAndHoldsImpl {
 public:
  explicit IsOkAndHoldsImpl(InnerMatcher inner) : inner_(std::move(inner)) {}
  template <typename ResultT>
  bool MatchAndExplain(const ResultT& arg, ::testing::MatchResultListener* listener) const {
    if (!arg.ok()) {
      *listener << "status is " << arg.status().ToString();
      return false;
    }
    using Value = std::decay_t<decltype(arg.value())>;
    return ::testing::SafeMatcherCast<const Value&>(inner_).MatchAndExplain(arg.value(), listener);
  }
  void DescribeTo(std::ostream* os) const { *os << "is OK and holds a matching value"; }
  void DescribeNegationTo(std::ostream* os) const { *os << "is an error or holds a non-matching value"; }

 private:
  InnerMatcher inner_;
};

// Matches an OK Result<T> whose value matches `inner` (a matcher or a plain value).
template <typename InnerMatcher>
auto IsOkAndHolds(InnerMatcher inner) {
  return ::testing::MakePolymorphicMatcher(IsOkAndHoldsImpl<InnerMatcher>(std::move(inner)));
}

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// CLASH_TEST_POSTGRES_URL, if set: the test command always sets it.
std::optional<std::string> PostgresUrl();

// True when CLASH_REQUIRE_POSTGRES=1: a missing PostgreSQL URL is then a test failure.
bool PostgresRequired();

}  // namespace clash::testing
