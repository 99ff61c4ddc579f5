// Certificates and the leaderboard on every backend: eligibility, issue once (also concurrently),
// offline verification; ranking, exclusions, and a cache that another host's XP change refreshes.
#include <latch>
#include <thread>

#include "campaign/campaign_fixture.h"
#include "clash/social.h"

namespace clash::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

class CertificateTest : public CampaignTest {};

TEST_P(CertificateTest, EligibleAfterEveryGlobalLevelAndIssuedOnTheLastCompletion) {
  User ada = CreateUser("ada");
  Solve(ada, "lvl-1");
  Solve(ada, "lvl-2");
  Result<CertificateEligibility> e = campaign().Eligibility(ada);
  ASSERT_THAT(e, IsOk());
  EXPECT_FALSE(e->eligible);
  EXPECT_EQ(e->completed, 2);
  EXPECT_EQ(e->required, 3);
  EXPECT_EQ(e->remaining, 1);
  EXPECT_THAT(campaign().MyCertificate(ada), IsOkAndHolds(std::nullopt));
  SubmissionOutcome last = Solve(ada, "lvl-3");
  EXPECT_TRUE(last.certificate_issued);
  EXPECT_EQ(last.next_level_slug, std::nullopt);
  Result<std::optional<Certificate>> mine = campaign().MyCertificate(ada);
  ASSERT_THAT(mine, IsOk());
  ASSERT_TRUE(mine->has_value());
  const Certificate& c = **mine;
  EXPECT_EQ(c.username, "ada");
  EXPECT_EQ(c.completion_count, 3);
  EXPECT_TRUE(c.is_valid);
  EXPECT_EQ(c.id.size(), 36u);
  EXPECT_EQ(campaign().VerificationUrl(c), "https://clash.example/verify/" + c.id);
  EXPECT_THAT(campaign().FindCertificate(c.id), IsOkAndHolds(c));
  EXPECT_THAT(campaign().Eligibility(ada), IsOkAndHolds(Field(&CertificateEligibility::has_certificate, true)));
  EXPECT_FALSE(Solve(ada, "lvl-3").certificate_issued) << "issued once";
}

TEST_P(CertificateTest, ConcurrentRequestsIssueOneCertificate) {
  User ada = CreateUser("ada");
  // Completed directly in storage, so no completion has issued the certificate yet.
  auto global = engine().catalogue().GlobalLevels();
  ASSERT_THAT(global, IsOk());
  ASSERT_THAT(storage().Transact([&](StorageTransaction& tx) -> Status {
    for (const Level& l : **global) {
      CLASH_ASSIGN_OR_RETURN(ProgressRecord started, tx.campaign().StartAndLock(ada.id, l.id, clock_.Now()));
      CLASH_ASSIGN_OR_RETURN(bool first, tx.campaign().Complete(ada.id, l.id, 3, clock_.Now()));
      if (!first || started.level_id != l.id) return Status::Internal("not a first completion");
    }
    return Status::Ok();
  }),
              IsOk());
  constexpr int kThreads = 6;
  std::latch start(kThreads);
  std::vector<std::string> ids(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      Result<std::optional<Certificate>> c = campaign().MyCertificate(ada);
      ASSERT_THAT(c, IsOk());
      ASSERT_TRUE(c->has_value());
      ids[i] = (*c)->id;
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string& id : ids) EXPECT_EQ(id, ids[0]);
}

TEST_P(CertificateTest, ACertificateVerifiesOfflineWithThePublishedKeyAndNotWhenChanged) {
  User ada = CreateUser("ada");
  for (const char* slug : {"lvl-1", "lvl-2", "lvl-3"}) Solve(ada, slug);
  Result<std::optional<Certificate>> mine = campaign().MyCertificate(ada);
  ASSERT_THAT(mine, IsOk());
  ASSERT_TRUE(mine->has_value());
  const std::string key = campaign().certificate_key().public_key();
  Result<Certificate> published = DecodeCertificateDocument(EncodeCertificateDocument(**mine));
  ASSERT_THAT(published, IsOk());
  EXPECT_THAT(VerifyCertificateSignature(*published, key), IsOk());
  Certificate forged = *published;
  forged.username = "mallory";
  EXPECT_THAT(VerifyCertificateSignature(forged, key), StatusIs(StatusCode::kPermissionDenied));
  forged = *published;
  forged.completion_count = 60;
  EXPECT_THAT(VerifyCertificateSignature(forged, key), StatusIs(StatusCode::kPermissionDenied));
  Result<CertificateKey> other = CertificateKey::FromSeed(std::string(32, 'z'));
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(VerifyCertificateSignature(*published, other->public_key()), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(VerifyCertificateSignature(*published, "not base64!"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeCertificateDocument("{\"certificate_id\": 1}"), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(CertificateTest, UnknownAndMalformedIdsAreNotFound) {
  EXPECT_THAT(campaign().FindCertificate("6f1c2d3e-0000-4000-8000-000000000000"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(campaign().FindCertificate("../../etc/passwd"), StatusIs(StatusCode::kNotFound));
}

TEST_P(CertificateTest, TheKeyFileIsCreatedOnceAndReadBack) {
  TempDir dir;
  const std::string path = (dir.path() / "keys" / "cert.key").string();
  Result<CertificateKey> first = CertificateKey::LoadOrCreate(path, rng_);
  ASSERT_THAT(first, IsOk());
  Result<CertificateKey> again = CertificateKey::LoadOrCreate(path, rng_);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(first->public_key(), again->public_key());
  EXPECT_EQ(first->key_id().size(), 16u);
  std::filesystem::permissions(path, std::filesystem::perms::others_read, std::filesystem::perm_options::add);
  EXPECT_THAT(CertificateKey::LoadOrCreate(path, rng_), StatusIs(StatusCode::kFailedPrecondition));
}

INSTANTIATE_TEST_SUITE_P(Backends, CertificateTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

class LeaderboardTest : public CampaignTest {
 protected:
  std::vector<std::string> Board() {
    auto board = campaign().Leaderboard();
    EXPECT_THAT(board, IsOk());
    std::vector<std::string> out;
    if (board.ok()) {
      for (const LeaderboardEntry& e : **board) {
        out.push_back(std::to_string(e.rank) + ":" + e.player.username + ":" + std::to_string(e.player.xp) + ":" +
                      std::to_string(e.player.completed_levels));
      }
    }
    return out;
  }
};

TEST_P(LeaderboardTest, RanksByXpThenCompletedLevelsWithoutStaffOrBlockedUsers) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User cat = CreateUser("cat");
  User root = CreateUser("root", /*is_staff=*/true);
  CreateUser("idle");  // no XP: not ranked
  Grant(ada.id, 500, "g1");
  Grant(bob.id, 490, "g2");
  Grant(root.id, 10'000, "g3");
  // cat ties bob's XP with one completed level (the level's XP and its achievements' included).
  Grant(cat.id, 100, "g4");
  Solve(cat, "lvl-1");
  const std::int64_t cat_xp = BalanceOf(cat.id);
  ASSERT_LT(cat_xp, 490);
  ASSERT_THAT(engine().ledger().Apply({.user_id = bob.id, .amount = cat_xp - 490, .source = XpSource::kAdminAdjustment,
                                       .reference = "even out", .idempotency_key = "g5"}),
              IsOk());
  ASSERT_EQ(BalanceOf(bob.id), cat_xp);
  EXPECT_THAT(Board(), ElementsAre("1:ada:500:0", "2:cat:" + std::to_string(cat_xp) + ":1",
                                   "3:bob:" + std::to_string(cat_xp) + ":0"));
  ASSERT_THAT(engine().auth().SetActive(root, bob.id, false), IsOk());
  Grant(ada.id, 1, "g6");  // any XP change refreshes the board
  EXPECT_THAT(Board(), ElementsAre("1:ada:501:0", "2:cat:" + std::to_string(cat_xp) + ":1"));
}

class TwoHostLeaderboardTest : public LeaderboardTest {};

TEST_P(TwoHostLeaderboardTest, AnotherHostsXpChangeShowsOnTheNextRequest) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  Grant(ada.id, 100, "a1");
  Grant(bob.id, 50, "b1");
  EXPECT_THAT(Board(), ElementsAre("1:ada:100:0", "2:bob:50:0"));
  // A second engine on the same database plays the other host.
  EngineOptions opts;
  opts.storage_url = backend_->url();
  opts.clock = &clock_;
  opts.data_dir = (dir_.path() / "host-b").string();
  opts.token_keys = SharedTokenKeys();
  opts.auth.secret_key = std::string(40, 'k');
  auto host_b = Engine::Open(std::move(opts));
  ASSERT_THAT(host_b, IsOk());
  ASSERT_THAT((*host_b)->ledger().Apply({.user_id = bob.id, .amount = 100, .source = XpSource::kAdminAdjustment,
                                         .reference = "b", .idempotency_key = "b2"}),
              IsOk());
  EXPECT_THAT(Board(), ElementsAre("1:bob:150:0", "2:ada:100:0"));
}

TEST_P(LeaderboardTest, AnUnchangedBoardIsServedFromTheCache) {
  User ada = CreateUser("ada");
  Grant(ada.id, 100, "a1");
  auto first = campaign().Leaderboard();
  auto second = campaign().Leaderboard();
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(first->get(), second->get()) << "the same cached board";
  Grant(ada.id, 1, "a2");
  auto third = campaign().Leaderboard();
  ASSERT_THAT(third, IsOk());
  EXPECT_NE(first->get(), third->get());
}

TEST_P(LeaderboardTest, BlocksRenamesAndRoleChangesShowOnTheNextRequest) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User root = CreateUser("root", /*is_staff=*/true, /*is_superuser=*/true);
  Grant(ada.id, 200, "a1");
  Grant(bob.id, 100, "b1");
  EXPECT_THAT(Board(), ElementsAre("1:ada:200:0", "2:bob:100:0"));
  // No XP changes below: only the players' own rows do.
  ASSERT_THAT(engine().auth().SetActive(root, ada.id, false), IsOk());
  EXPECT_THAT(Board(), ElementsAre("1:bob:100:0"));
  ASSERT_THAT(engine().auth().SetActive(root, ada.id, true), IsOk());
  EXPECT_THAT(Board(), ElementsAre("1:ada:200:0", "2:bob:100:0"));
  ASSERT_THAT(engine().social().UpdateProfile(bob, {.username = "Bobby"}), IsOk());
  EXPECT_THAT(Board(), ElementsAre("1:ada:200:0", "2:Bobby:100:0"));
  // A change that the board does not show (the bio) keeps the cached board.
  auto before = campaign().Leaderboard();
  ASSERT_THAT(engine().social().UpdateProfile(ada, {.bio = "hello"}), IsOk());
  auto after = campaign().Leaderboard();
  ASSERT_THAT(before, IsOk());
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(before->get(), after->get());
}

INSTANTIATE_TEST_SUITE_P(Backends, LeaderboardTest, ::testing::ValuesIn(AllBackends()), BackendParamName);
// A second host needs a database both can open: SQLite files and PostgreSQL.
INSTANTIATE_TEST_SUITE_P(Backends, TwoHostLeaderboardTest, ::testing::ValuesIn(PersistentBackends()), BackendParamName);

}  // namespace
}  // namespace clash::testing
