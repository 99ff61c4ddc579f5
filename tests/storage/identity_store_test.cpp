// Contract tests for the identity stores (users, OTP codes, refresh tokens) on every backend.
#include <atomic>
#include <thread>

#include "clash/storage.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::Optional;

class IdentityStoreTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    auto opened = OpenStorage(backend_->url());
    ASSERT_THAT(opened, IsOk());
    storage_ = std::move(opened).value();
  }

  template <typename Fn>
  Status Tx(Fn fn) {
    return storage_->Transact([&](StorageTransaction& tx) -> Status { return fn(tx); });
  }

  Result<User> CreateUser(const std::string& username, const std::string& email, bool superuser = false) {
    NewUser nu;
    nu.username = username;
    nu.email = email;
    nu.is_superuser = superuser;
    nu.is_staff = superuser;
    nu.created_at = Timestamp::FromUnixSeconds(1'700'000'000);
    User out;
    Status s = Tx([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(out, tx.users().Create(nu));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::unique_ptr<ScratchBackend> backend_;
  std::unique_ptr<Storage> storage_;
};

TEST_P(IdentityStoreTest, CreateAndReadBackEveryWay) {
  Result<User> u = CreateUser("ada", "ada@example.com");
  ASSERT_THAT(u, IsOk());
  EXPECT_GT(u->id, 0);
  EXPECT_EQ(u->username, "ada");
  EXPECT_EQ(u->email, "ada@example.com");
  EXPECT_TRUE(u->is_active);
  EXPECT_FALSE(u->is_staff);
  EXPECT_EQ(u->profile.active_theme, "vs-dark");
  EXPECT_EQ(u->profile.active_font, "Fira Code");
  EXPECT_FALSE(u->profile.active_effect.has_value());
  EXPECT_EQ(u->date_joined.unix_seconds(), 1'700'000'000);
  Status s = storage_->Read([&](StorageTransaction& tx) -> Status {
    EXPECT_THAT(tx.users().GetById(u->id), IsOkAndHolds(*u));
    EXPECT_THAT(tx.users().GetByEmail("ada@example.com"), IsOkAndHolds(*u));
    EXPECT_THAT(tx.users().GetByUsername("ada"), IsOkAndHolds(*u));
    EXPECT_THAT(tx.users().GetById(u->id + 1000), StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(tx.users().GetByEmail("nobody@example.com"), StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(tx.users().PasswordHash(u->id), IsOkAndHolds(std::string()));
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
}

TEST_P(IdentityStoreTest, UsernameAndEmailAreUnique) {
  ASSERT_THAT(CreateUser("ada", "ada@example.com"), IsOk());
  EXPECT_THAT(CreateUser("ada", "other@example.com"), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(CreateUser("ada2", "ada@example.com"), StatusIs(StatusCode::kAlreadyExists));
  // Accounts without an email do not collide with each other.
  EXPECT_THAT(CreateUser("gh-one", ""), IsOk());
  EXPECT_THAT(CreateUser("gh-two", ""), IsOk());
}

TEST_P(IdentityStoreTest, SetEquippedChangesOneFieldOnly) {
  Result<User> u = CreateUser("eve", "eve@example.com");
  ASSERT_THAT(u, IsOk());
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().SetEquipped(u->id, ShopCategory::kTheme, "dracula"); }),
              IsOk());
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().SetEquipped(u->id, ShopCategory::kEffect, "sparkle"); }),
              IsOk());
  User expected = *u;
  expected.profile.active_theme = "dracula";
  expected.profile.active_effect = "sparkle";
  Status s = storage_->Read([&](StorageTransaction& tx) -> Status {
    EXPECT_THAT(tx.users().GetById(u->id), IsOkAndHolds(expected));
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().SetEquipped(u->id, ShopCategory::kEffect, std::nullopt); }),
              IsOk());
  expected.profile.active_effect = std::nullopt;
  s = storage_->Read([&](StorageTransaction& tx) -> Status {
    EXPECT_THAT(tx.users().GetById(u->id), IsOkAndHolds(expected));
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
  EXPECT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().SetEquipped(u->id, ShopCategory::kFont, std::nullopt); }),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().SetEquipped(999999, ShopCategory::kFont, "Fira Code"); }),
              StatusIs(StatusCode::kNotFound));
}

TEST_P(IdentityStoreTest, UpdateWritesFlagsAndProfile) {
  Result<User> u = CreateUser("ada", "ada@example.com");
  ASSERT_THAT(u, IsOk());
  User changed = *u;
  changed.is_active = false;
  changed.is_staff = true;
  changed.profile.bio = "hello";
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().Update(changed); }), IsOk());
  Status s = storage_->Read([&](StorageTransaction& tx) -> Status {
    EXPECT_THAT(tx.users().GetById(u->id), IsOkAndHolds(changed));
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
  // Equipped cosmetics are not Update's: they change only through SetEquipped.
  User stale = changed;
  stale.profile.active_effect = "confetti";
  stale.profile.active_theme = "stale-theme";
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().Update(stale); }), IsOk());
  s = storage_->Read([&](StorageTransaction& tx) -> Status {
    EXPECT_THAT(tx.users().GetById(u->id), IsOkAndHolds(changed));
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
  User ghost = changed;
  ghost.id = 999999;
  EXPECT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().Update(ghost); }), StatusIs(StatusCode::kNotFound));
}

TEST_P(IdentityStoreTest, DeleteCascadesToIdentitiesAndTokens) {
  Result<User> u = CreateUser("ada", "ada@example.com");
  ASSERT_THAT(u, IsOk());
  ASSERT_THAT(Tx([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.users().LinkIdentity(u->id, "github", "42", Timestamp()));
                RefreshRecord rec{"jti-1", "fam-1", u->id, Timestamp(), Timestamp::FromUnixSeconds(10), false, false};
                return tx.sessions().Insert(rec);
              }),
              IsOk());
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().Delete(u->id); }), IsOk());
  Status s = storage_->Read([&](StorageTransaction& tx) -> Status {
    EXPECT_THAT(tx.users().FindIdentity("github", "42"), IsOkAndHolds(std::optional<std::int64_t>()));
    EXPECT_THAT(tx.sessions().Get("jti-1"), StatusIs(StatusCode::kNotFound));
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
  EXPECT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().Delete(u->id); }), StatusIs(StatusCode::kNotFound));
}

TEST_P(IdentityStoreTest, IdentitiesLinkOnce) {
  Result<User> a = CreateUser("a", "a@example.com");
  Result<User> b = CreateUser("b", "b@example.com");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().LinkIdentity(a->id, "google", "g1", Timestamp()); }),
              IsOk());
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().LinkIdentity(a->id, "github", "h1", Timestamp()); }),
              IsOk());
  EXPECT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().LinkIdentity(b->id, "google", "g1", Timestamp()); }),
              StatusIs(StatusCode::kAlreadyExists));
  Status s = storage_->Read([&](StorageTransaction& tx) -> Status {
    EXPECT_THAT(tx.users().FindIdentity("google", "g1"), IsOkAndHolds(Optional(a->id)));
    EXPECT_THAT(tx.users().FindIdentity("github", "h1"), IsOkAndHolds(Optional(a->id)));
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
}

TEST_P(IdentityStoreTest, CountsActiveSuperusers) {
  ASSERT_THAT(CreateUser("root", "root@example.com", /*superuser=*/true), IsOk());
  Result<User> second = CreateUser("root2", "root2@example.com", true);
  ASSERT_THAT(second, IsOk());
  ASSERT_THAT(CreateUser("user", "user@example.com"), IsOk());
  auto count = [&] {
    std::int64_t n = -1;
    EXPECT_THAT(storage_->Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(n, tx.users().CountActiveSuperusers());
      return Status::Ok();
    }), IsOk());
    return n;
  };
  EXPECT_EQ(count(), 2);
  User blocked = *second;
  blocked.is_active = false;
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().Update(blocked); }), IsOk());
  EXPECT_EQ(count(), 1);
}

TEST_P(IdentityStoreTest, OtpCodesReplaceEarlierOnesExpireAndAreUsedOnce) {
  const Timestamp t0 = Timestamp::FromUnixSeconds(1000);
  auto replace = [&](const std::string& hash) {
    return Tx([&](StorageTransaction& tx) {
      return tx.otps().ReplaceCode("a@x.io", hash, t0, t0 + std::chrono::minutes(10));
    });
  };
  auto consume = [&](const std::string& hash, Timestamp now) {
    bool used = false;
    EXPECT_THAT(Tx([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(used, tx.otps().ConsumeCode("a@x.io", hash, now));
      return Status::Ok();
    }), IsOk());
    return used;
  };
  ASSERT_THAT(replace("hash-1"), IsOk());
  ASSERT_THAT(replace("hash-2"), IsOk());
  EXPECT_FALSE(consume("hash-1", t0)) << "a newer code invalidates older ones";
  EXPECT_FALSE(consume("hash-2", t0 + std::chrono::minutes(10))) << "expired";
  EXPECT_TRUE(consume("hash-2", t0 + std::chrono::minutes(9)));
  EXPECT_FALSE(consume("hash-2", t0)) << "used once";
  ASSERT_THAT(replace("hash-3"), IsOk());
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      if (consume("hash-3", t0)) ++winners;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
}

TEST_P(IdentityStoreTest, OtpGuardsRoundTrip) {
  OtpGuard g{3, Timestamp::FromUnixSeconds(5), 2, Timestamp::FromUnixSeconds(99)};
  ASSERT_THAT(Tx([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.otps().LockGuard("a@x.io"));
                return tx.otps().SaveGuard("a@x.io", g);
              }),
              IsOk());
  g.failures = 4;
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.otps().SaveGuard("a@x.io", g); }), IsOk());
  Status s = Tx([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(OtpGuard got, tx.otps().LockGuard("a@x.io"));
    EXPECT_EQ(got.requests, 3);
    EXPECT_EQ(got.failures, 4);
    EXPECT_EQ(got.window_start.unix_seconds(), 5);
    EXPECT_EQ(got.locked_until.unix_seconds(), 99);
    CLASH_ASSIGN_OR_RETURN(OtpGuard none, tx.otps().LockGuard("b@x.io"));
    EXPECT_EQ(none.requests, 0);
    EXPECT_EQ(none.failures, 0);
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
}

TEST_P(IdentityStoreTest, RefreshTokensRotateExactlyOnceUnderConcurrency) {
  Result<User> u = CreateUser("ada", "ada@example.com");
  ASSERT_THAT(u, IsOk());
  RefreshRecord rec{"jti-1", "fam-1", u->id, Timestamp(), Timestamp::FromUnixSeconds(10), false, false};
  ASSERT_THAT(Tx([&](StorageTransaction& tx) { return tx.sessions().Insert(rec); }), IsOk());
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      bool won = false;
      Status s = Tx([&](StorageTransaction& tx) -> Status {
        CLASH_ASSIGN_OR_RETURN(won, tx.sessions().MarkRotated("jti-1"));
        return Status::Ok();
      });
      if (s.ok() && won) ++winners;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
  Status s = storage_->Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(RefreshRecord got, tx.sessions().Get("jti-1"));
    EXPECT_TRUE(got.rotated);
    EXPECT_FALSE(got.revoked);
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
}

TEST_P(IdentityStoreTest, RevokingAFamilyOrAUserStopsRotation) {
  Result<User> u = CreateUser("ada", "ada@example.com");
  ASSERT_THAT(u, IsOk());
  ASSERT_THAT(Tx([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.sessions().Insert({"a", "fam-1", u->id, Timestamp(), Timestamp(), false, false}));
                CLASH_RETURN_IF_ERROR(tx.sessions().Insert({"b", "fam-2", u->id, Timestamp(), Timestamp(), false, false}));
                return tx.sessions().RevokeFamily("fam-1");
              }),
              IsOk());
  bool rotated_a = true, rotated_b = false;
  ASSERT_THAT(Tx([&](StorageTransaction& tx) -> Status {
                CLASH_ASSIGN_OR_RETURN(rotated_a, tx.sessions().MarkRotated("a"));
                CLASH_RETURN_IF_ERROR(tx.sessions().RevokeUser(u->id));
                CLASH_ASSIGN_OR_RETURN(rotated_b, tx.sessions().MarkRotated("b"));
                return Status::Ok();
              }),
              IsOk());
  EXPECT_FALSE(rotated_a);
  EXPECT_FALSE(rotated_b);
}

TEST_P(IdentityStoreTest, GetWithLoginStateReadsTheUserAndTheFamilyTogether) {
  Result<User> u = CreateUser("ada", "ada@example.com");
  ASSERT_THAT(u, IsOk());
  ASSERT_THAT(Tx([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.sessions().Insert({"a", "fam-1", u->id, Timestamp(), Timestamp(), false, false}));
                CLASH_RETURN_IF_ERROR(tx.sessions().Insert({"b", "fam-2", u->id, Timestamp(), Timestamp(), false, false}));
                return tx.sessions().RevokeFamily("fam-2");
              }),
              IsOk());
  // Each answer agrees with GetById and FamilyActive.
  for (const char* family : {"fam-1", "fam-2", "fam-unknown"}) {
    ASSERT_THAT(Tx([&](StorageTransaction& tx) -> Status {
                  CLASH_ASSIGN_OR_RETURN(auto both, tx.users().GetWithLoginState(u->id, family));
                  CLASH_ASSIGN_OR_RETURN(User alone, tx.users().GetById(u->id));
                  CLASH_ASSIGN_OR_RETURN(bool active, tx.sessions().FamilyActive(family));
                  EXPECT_EQ(both.first.id, alone.id);
                  EXPECT_EQ(both.first.username, "ada");
                  EXPECT_EQ(both.first.email, alone.email);
                  EXPECT_EQ(both.first.date_joined, alone.date_joined);
                  EXPECT_EQ(both.second, active) << family;
                  EXPECT_EQ(both.second, std::string(family) == "fam-1") << family;
                  return Status::Ok();
                }),
                IsOk());
  }
  EXPECT_THAT(Tx([&](StorageTransaction& tx) { return tx.users().GetWithLoginState(u->id + 1000, "fam-1").status(); }),
              StatusIs(StatusCode::kNotFound));
}

std::string ParamName(const ::testing::TestParamInfo<BackendParam>& p) { return p.param.name; }
INSTANTIATE_TEST_SUITE_P(Backends, IdentityStoreTest, ::testing::ValuesIn(AllBackends()), ParamName);

}  // namespace
}  // namespace clash
