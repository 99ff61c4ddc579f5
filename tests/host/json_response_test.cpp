#include "http/json_response.h"

#include <gtest/gtest.h>

namespace clash::host {
namespace {

TEST(JsonResponseTest, EveryStatusCodeMapsToItsHttpStatus) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInsufficientFunds), 402);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAborted), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDeadlineExceeded), 504);
}

TEST(JsonResponseTest, ErrorBodyCarriesMessageDetailsAndRetryAfter) {
  HttpResponse resp;
  WriteError(resp, Status::InsufficientFunds("Insufficient XP").WithDetail("current_xp", 5).WithDetail("shortage", 15));
  EXPECT_EQ(resp.status, 402);
  auto body = nlohmann::json::parse(resp.body);
  EXPECT_EQ(body["error"], "Insufficient XP");
  EXPECT_EQ(body["current_xp"], 5);
  EXPECT_EQ(body["shortage"], 15);

  HttpResponse busy;
  WriteError(busy, Status::Unavailable("judge queue is full").WithRetryAfter(3));
  EXPECT_EQ(busy.status, 503);
  ASSERT_EQ(busy.headers.size(), 1u);
  EXPECT_EQ(busy.headers[0].first, "Retry-After");
  EXPECT_EQ(busy.headers[0].second, "3");
}

TEST(JsonResponseTest, InternalErrorsHideTheirText) {
  HttpResponse resp;
  WriteError(resp, Status::Internal("step: no such table: secret_stuff").WithDetail("sql", std::string("x")));
  EXPECT_EQ(resp.status, 500);
  EXPECT_EQ(resp.body, R"({"error":"Internal server error"})");
  HttpResponse with_extra;
  WriteError(with_extra, Status::Internal("boom"), nlohmann::json{{"check_in", 1}});
  EXPECT_EQ(with_extra.body, R"({"error":"Internal server error"})");
}

TEST(JsonResponseTest, ExtraFieldsJoinTheErrorBody) {
  HttpResponse resp;
  WriteError(resp, Status::FailedPrecondition("Already checked in today").WithDetail("check_in_id", 7),
             nlohmann::json{{"check_in", {{"id", 7}}}});
  EXPECT_EQ(resp.status, 400);
  auto body = nlohmann::json::parse(resp.body);
  EXPECT_EQ(body["error"], "Already checked in today");
  EXPECT_EQ(body["check_in_id"], 7);
  EXPECT_EQ(body["check_in"]["id"], 7);
}

}  // namespace
}  // namespace clash::host
