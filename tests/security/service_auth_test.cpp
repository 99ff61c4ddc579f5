// Internal service request signing and verification.
#include "clash/service_auth.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/crypto.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using namespace std::chrono_literals;

const std::string kSecret = "0123456789abcdef0123456789abcdef";

// A request as the receiver sees it; header names are case-insensitive.
struct Request {
  ServiceRequestHeaders headers;
  std::string method = "POST";
  std::string path = "/internal/judge/results?job=7";
  std::string body = R"({"verdict":"accepted"})";

  std::optional<std::string> Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (std::equal(k.begin(), k.end(), name.begin(), name.end(),
                     [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        return v;
      }
    }
    return std::nullopt;
  }
  void Set(std::string_view name, std::string value) {
    for (auto& [k, v] : headers) {
      if (k == name) v = std::move(value);
    }
  }
  void Drop(std::string_view name) {
    std::erase_if(headers, [&](const auto& h) { return h.first == name; });
  }
};

class ServiceAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceAuthOptions options;
    options.keys = {{"worker-1", kSecret}, {"worker-2", std::string(32, 'z')}};
    auto v = ServiceRequestVerifier::Create(options, clock_);
    ASSERT_THAT(v, IsOk());
    verifier_ = std::move(v).value();
  }

  Request Signed(std::string key_id = "worker-1", std::string secret = kSecret) {
    Request r;
    auto headers = SignServiceRequest(key_id, secret, r.method, r.path, r.body, clock_.Now(), rng_);
    EXPECT_THAT(headers, IsOk());
    r.headers = headers.value_or(ServiceRequestHeaders{});
    return r;
  }

  Status Verify(const Request& r) {
    return verifier_->Verify([&](std::string_view name) { return r.Header(name); }, r.method, r.path, r.body);
  }

  FakeClock clock_{Timestamp::FromUnixSeconds(1'700'000'000)};
  SeededRng rng_{99};
  std::unique_ptr<ServiceRequestVerifier> verifier_;
};

TEST_F(ServiceAuthTest, SignsTheDocumentedCanonicalString) {
  Request r = Signed();
  ASSERT_EQ(r.headers.size(), 4u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"X-Internal-API-Key", "worker-1"}));
  EXPECT_EQ(*r.Header("X-Internal-Timestamp"), "1700000000");
  std::string nonce = *r.Header("X-Internal-Nonce");
  EXPECT_EQ(nonce.size(), 32u);
  std::string canonical = "1700000000\n" + nonce + "\nPOST\n/internal/judge/results?job=7\n" +
                          internal::HexEncode(internal::Sha256(r.body));
  EXPECT_EQ(*r.Header("X-Internal-Signature"), internal::HexEncode(internal::HmacSha256(kSecret, canonical)));
}

TEST_F(ServiceAuthTest, ValidRequestPasses) {
  EXPECT_THAT(Verify(Signed()), IsOk());
  EXPECT_THAT(Verify(Signed("worker-2", std::string(32, 'z'))), IsOk());
  EXPECT_EQ(verifier_->remembered_nonces(), 2u);
}

TEST_F(ServiceAuthTest, EmptyBodyAndGet) {
  Request r;
  r.method = "GET";
  r.path = "/internal/health";
  r.body = "";
  r.headers = SignServiceRequest("worker-1", kSecret, r.method, r.path, r.body, clock_.Now(), rng_).value();
  EXPECT_THAT(Verify(r), IsOk());
}

TEST_F(ServiceAuthTest, TamperedPartsFail) {
  Request method = Signed();
  method.method = "PUT";
  EXPECT_THAT(Verify(method), StatusIs(StatusCode::kUnauthenticated));
  Request path = Signed();
  path.path = "/internal/judge/results?job=8";
  EXPECT_THAT(Verify(path), StatusIs(StatusCode::kUnauthenticated));
  Request body = Signed();
  body.body = R"({"verdict":"wrong_answer"})";
  EXPECT_THAT(Verify(body), StatusIs(StatusCode::kUnauthenticated));
  Request ts = Signed();
  ts.Set("X-Internal-Timestamp", "1700000001");
  EXPECT_THAT(Verify(ts), StatusIs(StatusCode::kUnauthenticated));
  Request nonce = Signed();
  nonce.Set("X-Internal-Nonce", std::string(32, 'a'));
  EXPECT_THAT(Verify(nonce), StatusIs(StatusCode::kUnauthenticated));
  Request sig = Signed();
  std::string s = *sig.Header("X-Internal-Signature");
  s[0] = s[0] == '0' ? '1' : '0';
  sig.Set("X-Internal-Signature", s);
  Status bad_sig = Verify(sig);
  EXPECT_THAT(bad_sig, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(bad_sig.message(), "invalid request signature");
  Request other_key = Signed();
  other_key.Set("X-Internal-API-Key", "worker-2");  // signed with worker-1's secret
  EXPECT_THAT(Verify(other_key), StatusIs(StatusCode::kUnauthenticated));
  // None of the failures consumed a nonce.
  EXPECT_EQ(verifier_->remembered_nonces(), 0u);
}

TEST_F(ServiceAuthTest, ReplayIsRejected) {
  Request r = Signed();
  EXPECT_THAT(Verify(r), IsOk());
  clock_.Advance(30s);
  Status replay = Verify(r);
  EXPECT_THAT(replay, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(replay.message(), "replayed request");
  // After the window the replay fails on the timestamp instead, and the nonce is forgotten.
  clock_.Advance(91s);
  EXPECT_THAT(Verify(r), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(Verify(Signed()), IsOk());
  EXPECT_EQ(verifier_->remembered_nonces(), 1u);
}

TEST_F(ServiceAuthTest, TimestampWindowIs120Seconds) {
  Request edge = Signed();
  Request stale = Signed();
  clock_.Advance(120s);
  EXPECT_THAT(Verify(edge), IsOk());
  clock_.Advance(1s);
  Status old = Verify(stale);  // 121 s old
  EXPECT_THAT(old, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(old.message(), "request timestamp outside the allowed window");

  Request future;
  future.headers = SignServiceRequest("worker-1", kSecret, future.method, future.path, future.body,
                                      clock_.Now() + 121s, rng_)
                       .value();
  EXPECT_THAT(Verify(future), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(ServiceAuthTest, MissingOrMalformedHeaders) {
  for (const char* name : {"X-Internal-API-Key", "X-Internal-Timestamp", "X-Internal-Nonce", "X-Internal-Signature"}) {
    Request r = Signed();
    r.Drop(name);
    EXPECT_THAT(Verify(r), StatusIs(StatusCode::kUnauthenticated)) << name;
  }
  Request unknown = Signed("worker-9");
  Status s = Verify(unknown);
  EXPECT_THAT(s, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(s.message(), "unknown internal API key");
  for (const char* ts : {"", "-1700000000", " 1700000000", "1700000000.0", "abc", "9999999999999"}) {
    Request r = Signed();
    r.Set("X-Internal-Timestamp", ts);
    EXPECT_THAT(Verify(r), StatusIs(StatusCode::kUnauthenticated)) << ts;
  }
  for (const char* nonce : {"", "short", "has space 0123456789", "x\n0123456789abcdef"}) {
    Request r = Signed();
    r.Set("X-Internal-Nonce", nonce);
    EXPECT_THAT(Verify(r), StatusIs(StatusCode::kUnauthenticated)) << nonce;
  }
  Request short_sig = Signed();
  short_sig.Set("X-Internal-Signature", "abcd");
  EXPECT_THAT(Verify(short_sig), StatusIs(StatusCode::kUnauthenticated));
  Request wrong_secret = Signed("worker-1", std::string(32, 'q'));
  EXPECT_THAT(Verify(wrong_secret), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(ServiceAuthTest, ReplayCacheIsBounded) {
  ServiceAuthOptions options;
  options.keys = {{"worker-1", kSecret}};
  options.max_remembered_nonces = 2;
  auto small = ServiceRequestVerifier::Create(options, clock_).value();
  auto verify = [&](const Request& r) {
    return small->Verify([&](std::string_view n) { return r.Header(n); }, r.method, r.path, r.body);
  };
  EXPECT_THAT(verify(Signed()), IsOk());
  EXPECT_THAT(verify(Signed()), IsOk());
  Status full = verify(Signed());
  EXPECT_THAT(full, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(full.retry_after_seconds(), 1);
  clock_.Advance(121s);  // the remembered nonces leave the window and are forgotten
  EXPECT_THAT(verify(Signed()), IsOk());
  EXPECT_EQ(small->remembered_nonces(), 1u);
}

TEST_F(ServiceAuthTest, ConfigurationAndSigningArgumentsAreChecked) {
  EXPECT_THAT(ServiceRequestVerifier::Create({}, clock_), StatusIs(StatusCode::kInvalidArgument));
  ServiceAuthOptions short_secret;
  short_secret.keys = {{"k", "short"}};
  EXPECT_THAT(ServiceRequestVerifier::Create(short_secret, clock_), StatusIs(StatusCode::kInvalidArgument));
  ServiceAuthOptions empty_id;
  empty_id.keys = {{"", kSecret}};
  EXPECT_THAT(ServiceRequestVerifier::Create(empty_id, clock_), StatusIs(StatusCode::kInvalidArgument));
  ServiceAuthOptions zero;
  zero.keys = {{"k", kSecret}};
  zero.max_remembered_nonces = 0;
  EXPECT_THAT(ServiceRequestVerifier::Create(zero, clock_), StatusIs(StatusCode::kInvalidArgument));

  Timestamp now = clock_.Now();
  EXPECT_THAT(SignServiceRequest("", kSecret, "GET", "/x", "", now, rng_), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(SignServiceRequest("k", "short", "GET", "/x", "", now, rng_), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(SignServiceRequest("k", kSecret, "GE T", "/x", "", now, rng_), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(SignServiceRequest("k", kSecret, "GET\n", "/x", "", now, rng_), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(SignServiceRequest("k", kSecret, "GET", "", "", now, rng_), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(SignServiceRequest("k", kSecret, "GET", "/x\ny", "", now, rng_), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace clash
