#include "clash/status.h"

#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  CLASH_ASSIGN_OR_RETURN(int h, Half(x));
  CLASH_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int x) {
  CLASH_RETURN_IF_ERROR(Half(x));
  return Status::Ok();
}

TEST(StatusTest, OkHasNoMessageAndCodeOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, ErrorCarriesCodeMessageAndDetails) {
  Status s = Status::InsufficientFunds("Insufficient XP").WithDetail("current_xp", 5).WithDetail("kind", std::string("hint"));
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInsufficientFunds);
  EXPECT_EQ(s.ToString(), "insufficient_funds: Insufficient XP");
  ASSERT_EQ(s.details().size(), 2u);
  EXPECT_EQ(s.details()[0].key, "current_xp");
  EXPECT_EQ(std::get<std::int64_t>(s.details()[0].value), 5);
  EXPECT_EQ(std::get<std::string>(s.details()[1].value), "hint");
  EXPECT_FALSE(s.retry_after_seconds().has_value());
  EXPECT_EQ(s.WithRetryAfter(7).retry_after_seconds(), 7);
}

TEST(StatusTest, BuildersOnOkStayOk) {
  EXPECT_TRUE(Status::Ok().WithDetail("x", 1).ok());
  EXPECT_TRUE(Status::Ok().WithRetryAfter(3).ok());
}

TEST(StatusTest, MacrosPropagate) {
  EXPECT_THAT(Quarter(8), IsOkAndHolds(2));
  EXPECT_THAT(Quarter(6), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckEven(4), IsOk());
  EXPECT_THAT(CheckEven(3), StatusIs(StatusCode::kInvalidArgument));
}

TEST(StatusTest, ResultFromOkStatusBecomesInternal) {
  Result<int> r(Status::Ok());
  EXPECT_THAT(r, StatusIs(StatusCode::kInternal));
}

TEST(StatusTest, ValueOnErrorAborts) {
  Result<int> r(Status::NotFound("x"));
  EXPECT_DEATH((void)r.value(), "not_found: x");
}

TEST(StatusTest, EveryCodeHasADistinctName) {
  std::set<std::string_view> names;
  for (int c = 0; c <= static_cast<int>(StatusCode::kDeadlineExceeded); ++c) {
    names.insert(StatusCodeName(static_cast<StatusCode>(c)));
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(StatusCode::kDeadlineExceeded) + 1);
  EXPECT_EQ(names.count("unknown"), 0u);
}

TEST(StatusTest, MatchersReportTheActualCode) {
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(::testing::ExplainMatchResult(IsOk(), Status::NotFound("gone"), &listener));
  EXPECT_EQ(listener.str(), "status is not_found: gone");
}

}  // namespace
}  // namespace clash

namespace clash {
namespace {

struct Record {
  int id = 0;
  std::string name;
};

TEST(StatusPayloadTest, CarriesATypedValueThroughCopiesAndBuilders) {
  Status s = Status::FailedPrecondition("Already done").WithPayload(Record{7, "seven"}).WithDetail("id", 7);
  ASSERT_NE(s.payload<Record>(), nullptr);
  EXPECT_EQ(s.payload<Record>()->id, 7);
  EXPECT_EQ(s.payload<Record>()->name, "seven");
  EXPECT_EQ(s.payload<int>(), nullptr);  // another type: no payload
  Status copy = s;
  Result<int> as_result = copy;
  ASSERT_NE(as_result.status().payload<Record>(), nullptr);
  EXPECT_EQ(as_result.status().payload<Record>()->name, "seven");
  EXPECT_EQ(Status::Ok().WithPayload(Record{}).payload<Record>(), nullptr);  // OK carries nothing
  EXPECT_EQ(Status::NotFound("x").payload<Record>(), nullptr);
}

TEST(StatusPayloadTest, StringDetailsAreFoundByKey) {
  Status s = Status::Unauthenticated("nope").WithDetail("reason", std::string("account_disabled")).WithDetail("n", 3);
  EXPECT_EQ(s.StringDetail("reason"), "account_disabled");
  EXPECT_EQ(s.StringDetail("n"), std::nullopt);  // an integer detail is not a string one
  EXPECT_EQ(s.StringDetail("missing"), std::nullopt);
  EXPECT_EQ(Status::Ok().StringDetail("reason"), std::nullopt);
}

}  // namespace
}  // namespace clash
