// NewHttpClient against in-test HTTP and HTTPS servers on 127.0.0.1.
#include <chrono>

#include "clash/transport.h"
#include "support/test_support.h"
#include "transport/test_servers.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Optional;

std::unique_ptr<HttpClient> Client(HttpClientOptions options = {}) {
  auto c = NewHttpClient(std::move(options));
  EXPECT_THAT(c, IsOk());
  return std::move(c).value();
}

TEST(HttpClient, GetReturnsStatusHeadersAndBody) {
  testing::TestHttpServer server;
  auto resp = Client()->Send({.method = "GET", .url = server.Url("/echo?x=1"), .headers = {{"X-Test", "hello"}}});
  ASSERT_THAT(resp, IsOk());
  EXPECT_EQ(resp->status, 200);
  EXPECT_THAT(resp->Header("x-reply"), Optional(std::string_view("yes")));
  EXPECT_EQ(resp->body, "GET\nhello\nclash/0.1\n/echo?x=1\n");
}

TEST(HttpClient, PostSendsBodyAndCustomUserAgent) {
  testing::TestHttpServer server;
  auto resp = Client()->Send({.method = "POST",
                              .url = server.Url("/echo"),
                              .headers = {{"Content-Type", "application/json"}, {"User-Agent", "razorpay-test"}},
                              .body = R"({"amount":100})"});
  ASSERT_THAT(resp, IsOk());
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "POST\n\nrazorpay-test\n/echo\n{\"amount\":100}");
}

TEST(HttpClient, ErrorStatusesArePassedThrough) {
  testing::TestHttpServer server;
  auto client = Client();
  for (int code : {400, 401, 404, 429, 500, 503}) {
    auto resp = client->Send({.method = "GET", .url = server.Url("/status/" + std::to_string(code))});
    ASSERT_THAT(resp, IsOk()) << code;
    EXPECT_EQ(resp->status, code);
    EXPECT_EQ(resp->body, "status " + std::to_string(code));
  }
}

TEST(HttpClient, SlowServerIsDeadlineExceeded) {
  testing::TestHttpServer server;
  const auto start = std::chrono::steady_clock::now();
  auto resp = Client()->Send({.method = "GET", .url = server.Url("/slow"), .timeout = std::chrono::milliseconds(300)});
  EXPECT_THAT(resp, StatusIs(StatusCode::kDeadlineExceeded));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(HttpClient, RefusedConnectionIsUnavailable) {
  auto resp = Client()->Send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(testing::ClosedPort()) + "/"});
  EXPECT_THAT(resp, StatusIs(StatusCode::kUnavailable));
}

TEST(HttpClient, OversizedBodyIsUnavailable) {
  testing::TestHttpServer server;
  HttpClientOptions options;
  options.max_response_bytes = 1024;
  auto client = Client(options);
  auto with_length = client->Send({.method = "GET", .url = server.Url("/big")});
  EXPECT_THAT(with_length, StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(with_length.status().message(), HasSubstr("exceeds 1024 bytes"));
  EXPECT_THAT(client->Send({.method = "GET", .url = server.Url("/big-chunked")}), StatusIs(StatusCode::kUnavailable));
  // Within the cap, chunked bodies are decoded.
  auto big = Client()->Send({.method = "GET", .url = server.Url("/big-chunked")});
  ASSERT_THAT(big, IsOk());
  EXPECT_EQ(big->body.size(), 64u * 1024u);
}

TEST(HttpClient, RejectsBadRequests) {
  auto client = Client();
  EXPECT_THAT(client->Send({.method = "GET", .url = "ftp://example.com/x"}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(client->Send({.method = "GET", .url = "not a url"}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(client->Send({.method = "GE T", .url = "http://127.0.0.1/"}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(client->Send({.method = "GET", .url = "http://127.0.0.1/", .headers = {{"X-A", "v\r\nX-Injected: 1"}}}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(client->Send({.method = "GET", .url = "http://127.0.0.1/", .headers = {{"Bad Name", "v"}}}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(client->Send({.method = "GET", .url = "http://127.0.0.1/", .timeout = std::chrono::milliseconds(0)}),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST(HttpClient, MissingCaFileIsInvalidArgument) {
  HttpClientOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  EXPECT_THAT(NewHttpClient(options), StatusIs(StatusCode::kInvalidArgument));
}

TEST(HttpClient, HttpsWithTrustedSelfSignedCert) {
  const auto& cert = testing::SelfSignedCert("localhost");
  testing::TestHttpServer server(&cert);
  HttpClientOptions options;
  options.ca_file = cert.cert_file;
  auto resp = Client(options)->Send({.method = "POST", .url = server.Url("/echo"), .body = "secure"});
  ASSERT_THAT(resp, IsOk());
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "POST\n\nclash/0.1\n/echo\nsecure");
}

TEST(HttpClient, HttpsWithUntrustedCertIsUnavailable) {
  const auto& cert = testing::SelfSignedCert("localhost");
  testing::TestHttpServer server(&cert);
  // The system store does not know the self-signed certificate.
  auto resp = Client()->Send({.method = "GET", .url = server.Url("/echo")});
  EXPECT_THAT(resp, StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(resp.status().message(), HasSubstr("TLS failed"));
  // Nor does a CA file holding another certificate.
  HttpClientOptions options;
  options.ca_file = testing::SelfSignedCert("other.test").cert_file;
  options.use_system_ca = false;
  EXPECT_THAT(Client(options)->Send({.method = "GET", .url = server.Url("/echo")}), StatusIs(StatusCode::kUnavailable));
}

TEST(HttpClient, HttpsWithHostNameMismatchIsUnavailable) {
  // Trusted, but issued for another name than the one connected to ("localhost").
  const auto& cert = testing::SelfSignedCert("other.test");
  testing::TestHttpServer server(&cert);
  HttpClientOptions options;
  options.ca_file = cert.cert_file;
  auto resp = Client(options)->Send({.method = "GET", .url = server.Url("/echo")});
  EXPECT_THAT(resp, StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(resp.status().message(), HasSubstr("TLS failed"));
}

}  // namespace
}  // namespace clash
