// Auth on every backend, with a fake clock, a seeded rng and a real file outbox.
#include "clash/auth.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "clash/engine.h"
#include "support/engine_fixture.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

class AuthTest : public testing::EngineTest {
 protected:
  void Configure(EngineOptions& opts) override { UseFileOutbox(opts); }

  Auth& auth() { return engine_->auth(); }

  Result<Session> Login(const std::string& email) {
    CLASH_RETURN_IF_ERROR(auth().RequestOtp(email));
    CLASH_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
    return auth().VerifyOtp(email, LastMailedCode(normalized));
  }

  std::size_t MailCount() {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(outbox_dir())) n += e.path().extension() == ".eml";
    return n;
  }
};

TEST_P(AuthTest, FirstVerifyCreatesTheAccountAndLaterOnesLogIn) {
  Result<Session> first = Login("Ada.Lovelace@Example.com ");
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->user.email, "ada.lovelace@example.com");
  EXPECT_EQ(first->user.username, "ada.lovelace");
  EXPECT_EQ(first->user.profile.provider, "email");
  EXPECT_EQ(first->access_expires_at, clock_.Now() + std::chrono::hours(1));
  EXPECT_EQ(first->refresh_expires_at, clock_.Now() + std::chrono::hours(24 * 7));
  Result<Session> again = Login("ada.lovelace@example.com");
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->user.id, first->user.id);
  Result<User> me = auth().Authenticate(again->access_token);
  ASSERT_THAT(me, IsOk());
  EXPECT_EQ(me->id, first->user.id);
}

TEST_P(AuthTest, UsernamesAreMadeUnique) {
  Result<Session> a = Login("sam@one.io");
  Result<Session> b = Login("sam@two.io");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(a->user.username, "sam");
  EXPECT_EQ(b->user.username, "sam_1");
}

TEST_P(AuthTest, CodesAreNeverStoredOrMailedTwice) {
  ASSERT_THAT(auth().RequestOtp("ada@example.com"), IsOk());
  std::string code = LastMailedCode("ada@example.com");
  ASSERT_EQ(code.size(), 6u);
  // The storage holds only keyed hashes: the plain code appears nowhere in a SQLite file.
  if (GetParam().name == "SqliteFile") {
    std::string url = backend_->url();
    std::ifstream db(url.substr(std::string("sqlite://").size()), std::ios::binary);
    std::stringstream ss;
    ss << db.rdbuf();
    EXPECT_EQ(ss.str().find(code), std::string::npos);
  }
  ASSERT_THAT(auth().VerifyOtp("ada@example.com", code), IsOk());
  EXPECT_THAT(auth().VerifyOtp("ada@example.com", code), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(AuthTest, ANewCodeInvalidatesTheOldOne) {
  ASSERT_THAT(auth().RequestOtp("ada@example.com"), IsOk());
  std::string old_code = LastMailedCode("ada@example.com");
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_THAT(auth().RequestOtp("ada@example.com"), IsOk());
  std::string new_code = LastMailedCode("ada@example.com");
  if (old_code != new_code) {
    EXPECT_THAT(auth().VerifyOtp("ada@example.com", old_code), StatusIs(StatusCode::kInvalidArgument));
  }
  EXPECT_THAT(auth().VerifyOtp("ada@example.com", new_code), IsOk());
}

TEST_P(AuthTest, CodesExpireAfterTenMinutes) {
  ASSERT_THAT(auth().RequestOtp("ada@example.com"), IsOk());
  std::string code = LastMailedCode("ada@example.com");
  clock_.Advance(std::chrono::minutes(10));
  Result<Session> late = auth().VerifyOtp("ada@example.com", code);
  EXPECT_THAT(late, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(late.status().message(), "Invalid or expired OTP.");
}

TEST_P(AuthTest, FiveRequestsPerTenMinutes) {
  for (int i = 0; i < 5; ++i) ASSERT_THAT(auth().RequestOtp("ada@example.com"), IsOk()) << i;
  Status sixth = auth().RequestOtp("ADA@example.com");
  EXPECT_THAT(sixth, StatusIs(StatusCode::kResourceExhausted));
  EXPECT_EQ(sixth.retry_after_seconds(), 600);
  EXPECT_EQ(MailCount(), 5u);
  EXPECT_THAT(auth().RequestOtp("other@example.com"), IsOk());
  clock_.Advance(std::chrono::minutes(10));
  EXPECT_THAT(auth().RequestOtp("ada@example.com"), IsOk());
}

TEST_P(AuthTest, FiveWrongCodesLockTheEmailForFifteenMinutes) {
  ASSERT_THAT(auth().RequestOtp("ada@example.com"), IsOk());
  std::string code = LastMailedCode("ada@example.com");
  std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(auth().VerifyOtp("ada@example.com", wrong), StatusIs(StatusCode::kInvalidArgument)) << i;
  }
  Result<Session> locked = auth().VerifyOtp("ada@example.com", code);
  EXPECT_THAT(locked, StatusIs(StatusCode::kResourceExhausted));
  EXPECT_EQ(locked.status().retry_after_seconds(), 900);
  clock_.Advance(std::chrono::minutes(15));
  // The lock is over; the old code expired meanwhile (10 minutes), a fresh one works.
  EXPECT_THAT(auth().VerifyOtp("ada@example.com", code), StatusIs(StatusCode::kInvalidArgument));
  ASSERT_THAT(auth().RequestOtp("ada@example.com"), IsOk());
  EXPECT_THAT(auth().VerifyOtp("ada@example.com", LastMailedCode("ada@example.com")), IsOk());
}

TEST_P(AuthTest, MalformedInputIsRejected) {
  for (const char* email : {"", "no-at-sign", "a@b", "a@@b.com", "a b@c.com", "@x.com", "a@x..com", "a@x.com."}) {
    EXPECT_THAT(auth().RequestOtp(email), StatusIs(StatusCode::kInvalidArgument)) << email;
  }
  EXPECT_THAT(auth().RequestOtp(std::string(250, 'a') + "@x.com"), StatusIs(StatusCode::kInvalidArgument));
  ASSERT_THAT(auth().RequestOtp("ada@example.com"), IsOk());
  for (const char* code : {"", "12345", "1234567", "12a456", "      "}) {
    EXPECT_THAT(auth().VerifyOtp("ada@example.com", code), StatusIs(StatusCode::kInvalidArgument)) << code;
  }
}

TEST_P(AuthTest, RefreshRotatesAndReuseRevokesTheFamily) {
  Result<Session> s0 = Login("ada@example.com");
  ASSERT_THAT(s0, IsOk());
  clock_.Advance(std::chrono::minutes(5));
  Result<Session> s1 = auth().Refresh(s0->refresh_token);
  ASSERT_THAT(s1, IsOk());
  EXPECT_NE(s1->refresh_token, s0->refresh_token);
  EXPECT_THAT(auth().Authenticate(s1->access_token), IsOk());
  // The thief replays the old token: the whole family dies, including the legitimate new token.
  Result<Session> replay = auth().Refresh(s0->refresh_token);
  EXPECT_THAT(replay, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth().Refresh(s1->refresh_token), StatusIs(StatusCode::kUnauthenticated));
  // Another login (another family) is unaffected.
  Result<Session> other = Login("ada@example.com");
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(auth().Refresh(other->refresh_token), IsOk());
}

TEST_P(AuthTest, ConcurrentRefreshesOfOneTokenIssueAtMostOnePair) {
  Result<Session> s0 = Login("ada@example.com");
  ASSERT_THAT(s0, IsOk());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      if (auth().Refresh(s0->refresh_token).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
}

TEST_P(AuthTest, TokensAreTypedAndExpire) {
  Result<Session> s = Login("ada@example.com");
  ASSERT_THAT(s, IsOk());
  EXPECT_THAT(auth().Authenticate(s->refresh_token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth().Refresh(s->access_token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth().Authenticate("garbage"), StatusIs(StatusCode::kUnauthenticated));
  clock_.Advance(std::chrono::hours(1));
  EXPECT_THAT(auth().Authenticate(s->access_token), StatusIs(StatusCode::kUnauthenticated));
  Result<Session> renewed = auth().Refresh(s->refresh_token);
  ASSERT_THAT(renewed, IsOk());
  clock_.Advance(std::chrono::hours(24 * 7));
  EXPECT_THAT(auth().Refresh(renewed->refresh_token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_P(AuthTest, LogoutRevokesTheRefreshFamily) {
  Result<Session> s = Login("ada@example.com");
  ASSERT_THAT(s, IsOk());
  ASSERT_THAT(auth().Logout(s->refresh_token), IsOk());
  EXPECT_THAT(auth().Refresh(s->refresh_token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth().Logout("not-a-token"), StatusIs(StatusCode::kUnauthenticated));
}

TEST_P(AuthTest, LogoutEndsEveryAccessTokenOfThatLoginAtOnce) {
  Result<Session> s = Login("ada@example.com");
  ASSERT_THAT(s, IsOk());
  Result<Session> other = Login("ada@example.com");  // a second login (another device)
  ASSERT_THAT(other, IsOk());
  clock_.Advance(std::chrono::minutes(1));
  Result<Session> rotated = auth().Refresh(s->refresh_token);
  ASSERT_THAT(rotated, IsOk());
  ASSERT_THAT(auth().Authenticate(s->access_token), IsOk());
  ASSERT_THAT(auth().Logout(rotated->refresh_token), IsOk());
  // Both access tokens of that login stop at once, long before they expire; the other login lives.
  for (const std::string& token : {s->access_token, rotated->access_token}) {
    Result<User> after = auth().Authenticate(token);
    EXPECT_THAT(after, StatusIs(StatusCode::kUnauthenticated));
    EXPECT_EQ(after.status().message(), "Session has ended; please log in again");
  }
  EXPECT_THAT(auth().Authenticate(other->access_token), IsOk());
  // Logging out with the access token alone (a client without the refresh cookie) works too.
  ASSERT_THAT(auth().EndSession(other->access_token), IsOk());
  EXPECT_THAT(auth().Authenticate(other->access_token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth().Refresh(other->refresh_token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth().EndSession("not-a-token"), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth().EndSession(other->refresh_token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_P(AuthTest, RefreshTokenReuseEndsTheAccessTokensOfTheLogin) {
  Result<Session> s0 = Login("ada@example.com");
  ASSERT_THAT(s0, IsOk());
  Result<Session> s1 = auth().Refresh(s0->refresh_token);
  ASSERT_THAT(s1, IsOk());
  ASSERT_THAT(auth().Authenticate(s1->access_token), IsOk());
  ASSERT_THAT(auth().Refresh(s0->refresh_token), StatusIs(StatusCode::kUnauthenticated));  // the replay
  EXPECT_THAT(auth().Authenticate(s0->access_token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth().Authenticate(s1->access_token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_P(AuthTest, BlockingEndsAccessTokensForGoodAndSaysWhy) {
  Result<User> root = auth().CreateSuperuser("root", "root@example.com", "correct horse battery");
  ASSERT_THAT(root, IsOk());
  Result<Session> s = Login("ada@example.com");
  ASSERT_THAT(s, IsOk());
  ASSERT_THAT(auth().SetActive(*root, s->user.id, false), IsOk());
  Result<User> blocked = auth().Authenticate(s->access_token);
  EXPECT_THAT(blocked, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(blocked.status().StringDetail("reason"), std::string(kAccountDisabled));
  // Unblocking does not bring the old login back: its family was revoked with the block.
  ASSERT_THAT(auth().SetActive(*root, s->user.id, true), IsOk());
  Result<User> after = auth().Authenticate(s->access_token);
  EXPECT_THAT(after, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(after.status().StringDetail("reason"), std::nullopt);
}

TEST_P(AuthTest, PlusAddressesOfOneMailboxShareItsCodeBudget) {
  for (const char* email : {"ada+1@example.com", "ada+2@example.com", "ADA+x@Example.com", "ada@example.com",
                            "ada+school@example.com"}) {
    ASSERT_THAT(auth().RequestOtp(email), IsOk()) << email;
  }
  Status sixth = auth().RequestOtp("ada+6@example.com");
  EXPECT_THAT(sixth, StatusIs(StatusCode::kResourceExhausted));
  EXPECT_THAT(auth().RequestOtp("ada@example.com"), StatusIs(StatusCode::kResourceExhausted));
  // Another mailbox (also one whose name merely starts the same) keeps its own budget.
  EXPECT_THAT(auth().RequestOtp("adam+1@example.com"), IsOk());
  EXPECT_THAT(auth().RequestOtp("ada@example.org"), IsOk());
  // The code of a plus-address still logs that exact address in.
  clock_.Advance(std::chrono::minutes(10));
  ASSERT_THAT(auth().RequestOtp("ada+1@example.com"), IsOk());
  Result<Session> s = auth().VerifyOtp("ada+1@example.com", LastMailedCode("ada+1@example.com"));
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->user.email, "ada+1@example.com");
}

TEST_P(AuthTest, BlockedAndDeletedUsersAreRefusedAtOnce) {
  Result<User> root = auth().CreateSuperuser("root", "root@example.com", "correct horse battery");
  ASSERT_THAT(root, IsOk());
  Result<Session> s = Login("ada@example.com");
  ASSERT_THAT(s, IsOk());
  ASSERT_THAT(auth().SetActive(*root, s->user.id, false), IsOk());
  Result<User> blocked = auth().Authenticate(s->access_token);
  EXPECT_THAT(blocked, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(blocked.status().message(), "User account is disabled.");
  EXPECT_THAT(auth().Refresh(s->refresh_token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(Login("ada@example.com"), StatusIs(StatusCode::kPermissionDenied));
  ASSERT_THAT(auth().SetActive(*root, s->user.id, true), IsOk());
  Result<Session> back = Login("ada@example.com");
  ASSERT_THAT(back, IsOk());
  ASSERT_THAT(auth().DeleteAccount(back->user.id), IsOk());
  EXPECT_THAT(auth().Authenticate(back->access_token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth().Refresh(back->refresh_token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_P(AuthTest, AdminLoginNeedsTheRightPasswordAndStaff) {
  ASSERT_THAT(auth().CreateSuperuser("root", "root@example.com", "correct horse battery"), IsOk());
  Result<Session> s = auth().AdminLogin("root", "correct horse battery");
  ASSERT_THAT(s, IsOk());
  EXPECT_TRUE(s->user.is_superuser);
  EXPECT_THAT(auth().AdminLogin("root", "wrong password!"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(auth().AdminLogin("nobody", "correct horse battery"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(auth().AdminLogin("", ""), StatusIs(StatusCode::kInvalidArgument));
  // An OTP account has no password at all.
  ASSERT_THAT(Login("ada@example.com"), IsOk());
  EXPECT_THAT(auth().AdminLogin("ada", ""), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(auth().CreateSuperuser("root", "r2@example.com", "another long password"),
              StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(auth().CreateSuperuser("root2", "r2@example.com", "short"), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(AuthTest, RoleHierarchyAndTheLastSuperuser) {
  Result<User> root = auth().CreateSuperuser("root", "root@example.com", "correct horse battery");
  ASSERT_THAT(root, IsOk());
  Result<Session> staff_s = Login("staff@example.com");
  Result<Session> user_s = Login("user@example.com");
  ASSERT_THAT(staff_s, IsOk());
  ASSERT_THAT(user_s, IsOk());
  ASSERT_THAT(auth().SetRole(*root, staff_s->user.id, Role::kStaff), IsOk());
  Result<User> staff = auth().GetUser(staff_s->user.id);
  ASSERT_THAT(staff, IsOk());
  EXPECT_TRUE(staff->is_staff);
  // Staff may manage users but not staff or superusers, and may not grant roles.
  EXPECT_THAT(auth().SetActive(*staff, user_s->user.id, false), IsOk());
  EXPECT_THAT(auth().SetActive(*staff, root->id, false), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(auth().SetRole(*staff, user_s->user.id, Role::kStaff), StatusIs(StatusCode::kPermissionDenied));
  Result<User> plain = auth().GetUser(user_s->user.id);
  ASSERT_THAT(plain, IsOk());
  EXPECT_THAT(Require(*plain, Permission::kViewAdmin), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(Require(*staff, Permission::kViewAdmin), IsOk());
  // The last active superuser can be neither blocked, demoted nor deleted.
  EXPECT_THAT(auth().SetActive(*root, root->id, false), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(auth().SetRole(*root, root->id, Role::kStaff), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(auth().DeleteAccount(root->id), StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_THAT(auth().SetRole(*root, staff->id, Role::kSuperuser), IsOk());
  EXPECT_THAT(auth().DeleteAccount(root->id), IsOk());
}

TEST_P(AuthTest, JwksPublishesTheSigningKey) {
  std::string jwks = auth().JwksJson();
  EXPECT_THAT(jwks, HasSubstr("\"kid\":\"" + testing::SharedTokenKeys().signing_kid() + "\""));
  EXPECT_THAT(jwks, HasSubstr("\"alg\":\"RS256\""));
  EXPECT_EQ(jwks.find("\"d\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthTest, ::testing::ValuesIn(AllBackends()), testing::BackendParamName);

TEST(NormalizeEmailTest, LowerCasesAndTrims) {
  EXPECT_THAT(NormalizeEmail("  Ada@Example.COM\n"), ::clash::testing::IsOkAndHolds(std::string("ada@example.com")));
  EXPECT_THAT(NormalizeEmail("a\r\nBcc: x@y.z@x.com"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace clash

namespace clash {
namespace {

class IdentityLoginTest : public AuthTest {};

ExternalIdentity Github(const std::string& uid, const std::string& email, bool verified) {
  ExternalIdentity id;
  id.provider = "github";
  id.provider_uid = uid;
  id.email = email;
  id.email_verified = verified;
  id.username_hint = "octo";
  id.avatar_url = "https://avatars.example/octo.png";
  return id;
}

TEST_P(IdentityLoginTest, NewIdentityCreatesAnAccountAndLaterLogsIntoIt) {
  Result<Session> first = auth().LoginWithIdentity(Github("1", "octo@example.com", true));
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->user.username, "octo");
  EXPECT_EQ(first->user.profile.provider, "github");
  EXPECT_EQ(first->user.profile.avatar_url, "https://avatars.example/octo.png");
  Result<Session> again = auth().LoginWithIdentity(Github("1", "changed@example.com", true));
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->user.id, first->user.id);
}

TEST_P(IdentityLoginTest, VerifiedEmailLinksToTheExistingAccount) {
  Result<Session> otp = Login("octo@example.com");
  ASSERT_THAT(otp, IsOk());
  Result<Session> gh = auth().LoginWithIdentity(Github("7", "Octo@Example.com", true));
  ASSERT_THAT(gh, IsOk());
  EXPECT_EQ(gh->user.id, otp->user.id);
  ExternalIdentity google = Github("g-7", "octo@example.com", true);
  google.provider = "google";
  Result<Session> g = auth().LoginWithIdentity(google);
  ASSERT_THAT(g, IsOk());
  EXPECT_EQ(g->user.id, otp->user.id) << "a user may hold several provider identities";
}

TEST_P(IdentityLoginTest, UnverifiedEmailNeverTakesOverAnAccount) {
  Result<Session> otp = Login("victim@example.com");
  ASSERT_THAT(otp, IsOk());
  Result<Session> attacker = auth().LoginWithIdentity(Github("666", "victim@example.com", false));
  EXPECT_THAT(attacker, StatusIs(StatusCode::kAlreadyExists));
  // An unverified email on a fresh identity creates an account without that email.
  Result<Session> fresh = auth().LoginWithIdentity(Github("667", "nobody-yet@example.com", false));
  ASSERT_THAT(fresh, IsOk());
  EXPECT_EQ(fresh->user.email, "");
}

TEST_P(IdentityLoginTest, BlockedUsersCannotLogInThroughAProvider) {
  Result<User> root = auth().CreateSuperuser("root", "root@example.com", "correct horse battery");
  ASSERT_THAT(root, IsOk());
  Result<Session> gh = auth().LoginWithIdentity(Github("1", "octo@example.com", true));
  ASSERT_THAT(gh, IsOk());
  ASSERT_THAT(auth().SetActive(*root, gh->user.id, false), IsOk());
  EXPECT_THAT(auth().LoginWithIdentity(Github("1", "octo@example.com", true)), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(auth().LoginWithIdentity(Github("", "x@example.com", true)), StatusIs(StatusCode::kInvalidArgument));
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityLoginTest, ::testing::ValuesIn(AllBackends()), testing::BackendParamName);

}  // namespace
}  // namespace clash
