// OAuthLogin against a fake GitHub and Google served over real HTTP on 127.0.0.1, on every storage
// backend, with a fake clock and a real file outbox (for the OTP accounts that get linked).
#include "clash/oauth.h"

#include <memory>
#include <string>
#include <utility>

#include "clash/engine.h"
#include "clash/tokens.h"
#include "oauth/fake_provider.h"
#include "support/engine_fixture.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kClientState[] = "0123456789abcdef0123456789abcdef0123456789abcdef";  // the SPA's 48 hex
constexpr char kRedirect[] = "http://127.0.0.1:5173/auth/github/callback";

std::string GitHubUser(const std::string& id, const std::string& login, const std::string& public_email = "") {
  return R"({"id":)" + id + R"(,"login":")" + login + R"(","name":"Octo Cat","avatar_url":"https://avatars.example/)" +
         login + R"(.png","email":)" + (public_email.empty() ? "null" : "\"" + public_email + "\"") + "}";
}
std::string Emails(const std::string& email, bool primary, bool verified) {
  return R"([{"email":")" + email + R"(","primary":)" + (primary ? "true" : "false") + R"(,"verified":)" +
         (verified ? "true" : "false") + R"(,"visibility":null}])";
}
std::string GoogleUser(const std::string& sub, const std::string& email, bool verified) {
  return R"({"sub":")" + sub + R"(","email":")" + email + R"(","email_verified":)" + (verified ? "true" : "false") +
         R"(,"given_name":"Ada","family_name":"Lovelace","picture":"https://lh3.example/ada.png"})";
}

OAuthOptions OptionsFor(const std::string& github_base, const std::string& google_base) {
  OAuthOptions o;
  o.state_secret = std::string(40, 's');
  OAuthProviderConfig& gh = o.providers["github"];
  gh.client_id = "gh-client";
  gh.client_secret = "gh-secret";
  gh.authorize_url = github_base + "/login/oauth/authorize";
  gh.token_url = github_base + "/login/oauth/access_token";
  gh.user_url = github_base + "/user";
  gh.emails_url = github_base + "/user/emails";
  OAuthProviderConfig& go = o.providers["google"];
  go.client_id = "go-client";
  go.client_secret = "go-secret";
  go.authorize_url = google_base + "/o/oauth2/v2/auth";
  go.token_url = google_base + "/token";
  go.user_url = google_base + "/v1/userinfo";
  o.http_timeout = std::chrono::milliseconds(1500);
  return o;
}

class OAuthLoginTest : public testing::EngineTest {
 protected:
  OAuthLoginTest() : EngineTest(Timestamp::FromUnixSeconds(1'800'000'000), /*seed=*/11) {}

  void Configure(EngineOptions& opts) override { UseFileOutbox(opts); }

  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure()) return;
    auto http = NewHttpClient({});
    ASSERT_THAT(http, IsOk());
    http_ = std::move(http).value();
    oauth_ = Make(OptionsFor(provider_.base(), provider_.base()));
  }

  std::unique_ptr<OAuthLogin> Make(OAuthOptions options) {
    auto made = OAuthLogin::Create(engine_->auth(), *http_, clock_, rng_, std::move(options));
    EXPECT_THAT(made, IsOk());
    return made.ok() ? std::move(made).value() : nullptr;
  }

  // A whole flow as the unmodified SPA runs it: its own state, then the callback with code + state.
  Result<Session> Flow(const std::string& provider, const std::string& code) {
    CLASH_ASSIGN_OR_RETURN(OAuthStart start, oauth_->Begin(provider, kClientState, kRedirect));
    return oauth_->Complete(provider, code, start.flow_token, start.state);
  }

  Result<Session> OtpLogin(const std::string& email) {
    CLASH_RETURN_IF_ERROR(engine_->auth().RequestOtp(email));
    CLASH_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
    return engine_->auth().VerifyOtp(email, LastMailedCode(normalized));
  }

  testing::FakeProvider provider_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<OAuthLogin> oauth_;
};

TEST_P(OAuthLoginTest, BeginBuildsTheAuthorizeUrlWithTheClientsState) {
  Result<OAuthStart> start = oauth_->Begin("github", kClientState, kRedirect);
  ASSERT_THAT(start, IsOk());
  EXPECT_EQ(start->state, kClientState);
  EXPECT_EQ(start->url, provider_.base() +
                            "/login/oauth/authorize?client_id=gh-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A5173%2Fauth%2F"
                            "github%2Fcallback&scope=user%3Aemail&state=" + kClientState);
  EXPECT_EQ(start->expires_at, clock_.Now() + std::chrono::minutes(10));
  EXPECT_EQ(start->flow_token.find(kClientState), std::string::npos) << "the payload is encoded, not bare";

  Result<OAuthStart> fresh = oauth_->Begin("google", "", "http://x.example/auth/google/callback");
  ASSERT_THAT(fresh, IsOk());
  EXPECT_THAT(fresh->state, ::testing::MatchesRegex("[0-9a-f]{48}"));
  EXPECT_THAT(fresh->url, HasSubstr("&scope=openid%20email%20profile&state=" + fresh->state +
                                    "&response_type=code&prompt=select_account"));
  EXPECT_THAT(oauth_->Begin("github", "short", kRedirect), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(oauth_->Begin("github", std::string(48, 'a') + "&x=1", kRedirect), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(oauth_->Begin("github", kClientState, "").status().message(), "OAuth redirect URI is not configured.");
}

TEST_P(OAuthLoginTest, NewGitHubUserWithAVerifiedPrimaryEmail) {
  provider_.AddCode("c1", GitHubUser("583231", "octocat", "public@example.com"), Emails("Octo@Example.com", true, true));
  Result<Session> s = Flow("github", "c1");
  ASSERT_THAT(s, IsOk());
  EXPECT_TRUE(s->created);
  EXPECT_EQ(s->user.username, "octocat");
  EXPECT_EQ(s->user.email, "octo@example.com");
  EXPECT_EQ(s->user.first_name, "Octo");
  EXPECT_EQ(s->user.last_name, "Cat");
  EXPECT_EQ(s->user.profile.provider, "github");
  EXPECT_THAT(engine_->auth().Authenticate(s->access_token), IsOk());

  std::vector<testing::FakeProvider::TokenRequest> reqs = provider_.token_requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].accept, "application/json");
  EXPECT_EQ(reqs[0].form.at("client_id"), "gh-client");
  EXPECT_EQ(reqs[0].form.at("client_secret"), "gh-secret");
  EXPECT_EQ(reqs[0].form.at("code"), "c1");
  EXPECT_EQ(reqs[0].form.at("grant_type"), "authorization_code");
  EXPECT_EQ(reqs[0].form.at("redirect_uri"), kRedirect);
}

TEST_P(OAuthLoginTest, ReturningUserLogsIntoTheSameAccount) {
  provider_.AddCode("c1", GitHubUser("42", "octocat"), Emails("octo@example.com", true, true));
  provider_.AddCode("c2", GitHubUser("42", "octocat-renamed"), Emails("new@example.com", true, true));
  Result<Session> first = Flow("github", "c1");
  ASSERT_THAT(first, IsOk());
  Result<Session> again = Flow("github", "c2");
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->user.id, first->user.id);
}

TEST_P(OAuthLoginTest, VerifiedEmailLinksToAnOtpAccount) {
  Result<Session> otp = OtpLogin("ada@example.com");
  ASSERT_THAT(otp, IsOk());
  provider_.AddCode("c1", GitHubUser("7", "ada-gh"), Emails("Ada@Example.com", true, true));
  Result<Session> gh = Flow("github", "c1");
  ASSERT_THAT(gh, IsOk());
  EXPECT_FALSE(gh->created);
  EXPECT_EQ(gh->user.id, otp->user.id);
}

TEST_P(OAuthLoginTest, UnverifiedOrNonPrimaryEmailNeverLinks) {
  Result<Session> otp = OtpLogin("victim@example.com");
  ASSERT_THAT(otp, IsOk());
  // Primary but unverified.
  provider_.AddCode("c1", GitHubUser("666", "mallory"), Emails("victim@example.com", true, false));
  EXPECT_THAT(Flow("github", "c1"), StatusIs(StatusCode::kAlreadyExists));
  // Verified but not primary, and the public profile email (never trusted) says the same.
  provider_.AddCode("c2", GitHubUser("667", "mallory2", "victim@example.com"), Emails("victim@example.com", false, true));
  Result<Session> second = Flow("github", "c2");
  EXPECT_THAT(second, StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(second.status().message(), HasSubstr("already exists"));
  // Google with email_verified=false.
  provider_.AddCode("c3", GoogleUser("g-666", "victim@example.com", false));
  EXPECT_THAT(Flow("google", "c3"), StatusIs(StatusCode::kAlreadyExists));
  // Nothing was linked: the same identities are still refused, and the victim's account is intact.
  provider_.AddCode("c4", GitHubUser("666", "mallory"), Emails("victim@example.com", true, false));
  EXPECT_THAT(Flow("github", "c4"), StatusIs(StatusCode::kAlreadyExists));
  Result<Session> victim = OtpLogin("victim@example.com");
  ASSERT_THAT(victim, IsOk());
  EXPECT_EQ(victim->user.id, otp->user.id);
  EXPECT_EQ(victim->user.profile.provider, "email");
}

TEST_P(OAuthLoginTest, OneUserMayHoldAGitHubAndAGoogleIdentity) {
  provider_.AddCode("c1", GitHubUser("1", "ada"), Emails("ada@example.com", true, true));
  provider_.AddCode("c2", GoogleUser("g-1", "ada@example.com", true));
  provider_.AddCode("c3", GitHubUser("1", "ada"), Emails("ada@example.com", true, true));
  provider_.AddCode("c4", GoogleUser("g-1", "ada@example.com", true));
  Result<Session> gh = Flow("github", "c1");
  ASSERT_THAT(gh, IsOk());
  Result<Session> google = Flow("google", "c2");
  ASSERT_THAT(google, IsOk());
  EXPECT_FALSE(google->created);
  EXPECT_EQ(google->user.id, gh->user.id);
  Result<Session> gh2 = Flow("github", "c3");
  Result<Session> google2 = Flow("google", "c4");
  ASSERT_THAT(gh2, IsOk());
  ASSERT_THAT(google2, IsOk());
  EXPECT_EQ(gh2->user.id, gh->user.id);
  EXPECT_EQ(google2->user.id, gh->user.id);
}

TEST_P(OAuthLoginTest, ForgedExpiredWrongProviderAndMissingStateAreRefused) {
  const std::string kBad = "Invalid or expired OAuth state.";
  Result<OAuthStart> start = oauth_->Begin("github", kClientState, kRedirect);
  ASSERT_THAT(start, IsOk());
  provider_.AddCode("c1", GitHubUser("1", "octocat"), Emails("octo@example.com", true, true));
  auto expect_bad = [&](const Result<Session>& r) {
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(r.status().message(), kBad);
  };
  // Missing.
  expect_bad(oauth_->Complete("github", "c1", "", kClientState));
  // Forged: a token signed with another secret, and a tampered MAC.
  OAuthOptions other = OptionsFor(provider_.base(), provider_.base());
  other.state_secret = std::string(40, 'x');
  std::unique_ptr<OAuthLogin> attacker = Make(std::move(other));
  Result<OAuthStart> forged = attacker->Begin("github", kClientState, kRedirect);
  ASSERT_THAT(forged, IsOk());
  expect_bad(oauth_->Complete("github", "c1", forged->flow_token, kClientState));
  std::string tampered = start->flow_token;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  expect_bad(oauth_->Complete("github", "c1", tampered, kClientState));
  expect_bad(oauth_->Complete("github", "c1", "not-a-token", ""));
  // Returned state that is not the flow's.
  expect_bad(oauth_->Complete("github", "c1", start->flow_token, std::string(48, 'f')));
  // Wrong provider.
  expect_bad(oauth_->Complete("google", "c1", start->flow_token, kClientState));
  // Expired.
  clock_.Advance(std::chrono::seconds(600));
  expect_bad(oauth_->Complete("github", "c1", start->flow_token, kClientState));
  // None of these reached the provider.
  EXPECT_TRUE(provider_.token_requests().empty());
  // Within the 10 minutes it works, with or without the returned state.
  Result<OAuthStart> ok = oauth_->Begin("github", kClientState, kRedirect);
  ASSERT_THAT(ok, IsOk());
  clock_.Advance(std::chrono::seconds(599));
  EXPECT_THAT(oauth_->Complete("github", "c1", ok->flow_token, ""), IsOk());
}

TEST_P(OAuthLoginTest, ProviderErrorsAreReportedWithTheirText) {
  Result<Session> gh = Flow("github", "no-such-code");
  EXPECT_THAT(gh, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(gh.status().message(), "bad_verification_code");
  ASSERT_EQ(gh.status().details().size(), 1u);
  Result<Session> google = Flow("google", "no-such-code");
  EXPECT_THAT(google, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(google.status().message(), "invalid_grant");
  Result<OAuthStart> start = oauth_->Begin("github", kClientState, kRedirect);
  ASSERT_THAT(start, IsOk());
  Result<Session> no_code = oauth_->Complete("github", "", start->flow_token, "");
  EXPECT_THAT(no_code, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(no_code.status().message(), "Authorization code is required");
}

TEST_P(OAuthLoginTest, ProviderDownIsUnavailableAndSlowIsDeadlineExceeded) {
  std::string dead = "http://127.0.0.1:" + std::to_string(testing::ClosedLocalPort());
  oauth_ = Make(OptionsFor(dead, dead));
  Result<Session> down = Flow("github", "c1");
  EXPECT_THAT(down, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(down.status().message(), "GitHub is unavailable. Please try again.");

  OAuthOptions slow_opts = OptionsFor(provider_.base(), provider_.base());
  slow_opts.http_timeout = std::chrono::milliseconds(300);
  oauth_ = Make(std::move(slow_opts));
  provider_.SetSlow(true);
  provider_.AddCode("c1", GoogleUser("g-1", "ada@example.com", true));
  Result<Session> slow = Flow("google", "c1");
  EXPECT_THAT(slow, StatusIs(StatusCode::kDeadlineExceeded));
  EXPECT_EQ(slow.status().message(), "Google did not answer in time.");
  provider_.SetSlow(false);
}

TEST_P(OAuthLoginTest, BlockedUsersAreRefused) {
  Result<User> root = engine_->auth().CreateSuperuser("root", "root@example.com", "correct horse battery");
  ASSERT_THAT(root, IsOk());
  provider_.AddCode("c1", GitHubUser("9", "octocat"), Emails("octo@example.com", true, true));
  provider_.AddCode("c2", GitHubUser("9", "octocat"), Emails("octo@example.com", true, true));
  Result<Session> first = Flow("github", "c1");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(engine_->auth().SetActive(*root, first->user.id, false), IsOk());
  Result<Session> blocked = Flow("github", "c2");
  EXPECT_THAT(blocked, StatusIs(StatusCode::kPermissionDenied));
  EXPECT_EQ(blocked.status().message(), "User account is disabled.");
}

TEST_P(OAuthLoginTest, UnknownAndUnconfiguredProviders) {
  Result<OAuthStart> unknown = oauth_->Begin("discord", kClientState, kRedirect);
  EXPECT_THAT(unknown, StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(unknown.status().message(), "Unknown OAuth provider.");
  EXPECT_THAT(oauth_->Complete("discord", "c1", "x", ""), StatusIs(StatusCode::kNotFound));
  OAuthOptions none;
  none.state_secret = std::string(32, 'z');
  oauth_ = Make(std::move(none));
  Result<OAuthStart> gh = oauth_->Begin("github", kClientState, kRedirect);
  EXPECT_THAT(gh, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(gh.status().message(), "GitHub login is not configured.");
  Result<Session> google = oauth_->Complete("google", "c1", "x", "");
  EXPECT_THAT(google, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(google.status().message(), "Google login is not configured.");
  OAuthOptions weak;
  weak.state_secret = "short";
  EXPECT_THAT(OAuthLogin::Create(engine_->auth(), *http_, clock_, rng_, std::move(weak)),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST(OAuthDefaultsTest, RealProviderEndpoints) {
  OAuthProviderConfig gh = OAuthProviderConfig::GitHub();
  EXPECT_EQ(gh.authorize_url, "https://github.com/login/oauth/authorize");
  EXPECT_EQ(gh.token_url, "https://github.com/login/oauth/access_token");
  EXPECT_EQ(gh.user_url, "https://api.github.com/user");
  EXPECT_EQ(gh.emails_url, "https://api.github.com/user/emails");
  EXPECT_EQ(gh.scope, "user:email");
  OAuthProviderConfig go = OAuthProviderConfig::Google();
  EXPECT_EQ(go.authorize_url, "https://accounts.google.com/o/oauth2/v2/auth");
  EXPECT_EQ(go.token_url, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(go.user_url, "https://openidconnect.googleapis.com/v1/userinfo");
  EXPECT_EQ(go.scope, "openid email profile");
  EXPECT_THAT(gh.client_id, ::testing::IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Backends, OAuthLoginTest, ::testing::ValuesIn(AllBackends()), testing::BackendParamName);

}  // namespace
}  // namespace clash
