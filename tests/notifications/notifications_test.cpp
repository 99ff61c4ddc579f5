// Notifications on every backend: stored with the cause and published only after it commits,
// paged lists with unread counts, read marks and deletes, FCM token registration, and pushes
// through FCM HTTP v1 against a fake Firebase on 127.0.0.1 (service-account JWT, retries with
// backoff honouring Retry-After, dead tokens removed).
#include <condition_variable>
#include <mutex>

#include <nlohmann/json.hpp>

#include "clash/notifications.h"
#include "notifications/fake_fcm.h"
#include "security/token_key.h"
#include "support/engine_fixture.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::EngineTest;
using ::clash::testing::FakeFcm;
using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using json = nlohmann::json;

// Collects the payloads published on one topic.
class Listener {
 public:
  Listener(PubSub& bus, const std::string& topic) {
    auto sub = bus.Subscribe(topic, [this](const PubSubMessage& m) {
      std::lock_guard<std::mutex> lock(mu_);
      got_.push_back(m.payload);
      cv_.notify_all();
    });
    EXPECT_THAT(sub, IsOk());
    if (sub.ok()) sub_ = std::move(sub).value();
  }
  // Waits (generously) for `n` payloads and returns all of them.
  std::vector<std::string> WaitFor(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [&] { return got_.size() >= n; });
    return got_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> got_;
  std::unique_ptr<Subscription> sub_;
};

NewNotification Like(std::int64_t recipient, std::int64_t actor, const std::string& verb = "liked your post") {
  return NewNotification{.recipient_id = recipient, .actor_id = actor, .verb = verb, .target_type = "post",
                         .target_id = 1, .title = "New Like!", .body = "bob liked your post: hello...",
                         .data = {{"kind", "like"}}};
}

class NotificationsTest : public EngineTest {
 protected:
  Status NotifyNow(const NewNotification& n) {
    return storage().Transact([&](StorageTransaction& tx) { return engine().notifications().Notify(tx, n); });
  }
};

TEST_P(NotificationsTest, PublishesOnlyAfterTheCauseCommits) {
  User alice = CreateUser("alice");
  User bob = CreateUser("bob");
  Listener live(engine().pubsub(), NotificationTopic(alice.id));
  Status rolled_back = storage().Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(engine().notifications().Notify(tx, Like(alice.id, bob.id, "rolled back")));
    return Status::FailedPrecondition("the cause failed");
  });
  EXPECT_THAT(rolled_back, StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_THAT(NotifyNow(Like(alice.id, bob.id)), IsOk());
  std::vector<std::string> got = live.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  json frame = json::parse(got[0]);
  EXPECT_EQ(frame["type"], "notification");
  EXPECT_EQ(frame["title"], "New Like!");
  EXPECT_EQ(frame["body"], "bob liked your post: hello...");
  EXPECT_EQ(frame["data"]["kind"], "like");
  auto page = engine().notifications().List(alice.id, {});
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->results.size(), 1u);  // the rolled-back one was never stored
  EXPECT_EQ(frame["data"]["notification_id"], std::to_string(page->results[0].id));
  EXPECT_EQ(page->results[0].actor->username, "bob");
  EXPECT_EQ(page->results[0].verb, "liked your post");
}

TEST_P(NotificationsTest, ListsPagesWithUnreadCountsAndRecipientOnlyOperations) {
  User alice = CreateUser("alice");
  User bob = CreateUser("bob");
  for (int i = 0; i < 3; ++i) ASSERT_THAT(NotifyNow(Like(alice.id, bob.id, "n" + std::to_string(i))), IsOk());
  ASSERT_THAT(NotifyNow(Like(bob.id, alice.id, "for bob")), IsOk());
  auto first = engine().notifications().List(alice.id, {.page = 1, .page_size = 2});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->count, 3);
  EXPECT_EQ(first->unread_count, 3);
  EXPECT_EQ(first->total_pages, 2);
  ASSERT_EQ(first->results.size(), 2u);
  EXPECT_EQ(first->results[0].verb, "n2");
  auto past_end = engine().notifications().List(alice.id, {.page = 9, .page_size = 2});
  ASSERT_THAT(past_end, IsOk());
  EXPECT_TRUE(past_end->results.empty());
  EXPECT_EQ(past_end->count, 3);
  EXPECT_EQ(past_end->page, 9);

  const std::int64_t newest = first->results[0].id;
  auto bobs = engine().notifications().List(bob.id, {});
  ASSERT_THAT(bobs, IsOk());
  const std::int64_t bobs_id = bobs->results.at(0).id;
  EXPECT_THAT(engine().notifications().Get(alice.id, bobs_id), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(engine().notifications().MarkRead(alice.id, bobs_id), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(engine().notifications().Delete(alice.id, bobs_id), StatusIs(StatusCode::kNotFound));
  ASSERT_THAT(engine().notifications().MarkRead(alice.id, newest), IsOk());
  EXPECT_TRUE(engine().notifications().Get(alice.id, newest)->is_read);
  EXPECT_EQ(engine().notifications().List(alice.id, {})->unread_count, 2);
  EXPECT_THAT(engine().notifications().MarkAllRead(alice.id), IsOkAndHolds(2));
  EXPECT_EQ(engine().notifications().List(alice.id, {})->unread_count, 0);
  ASSERT_THAT(engine().notifications().Delete(alice.id, newest), IsOk());
  EXPECT_THAT(engine().notifications().ClearAll(alice.id), IsOkAndHolds(2));
  EXPECT_EQ(engine().notifications().List(alice.id, {})->count, 0);
  EXPECT_EQ(engine().notifications().List(bob.id, {})->unread_count, 1);
}

TEST_P(NotificationsTest, RefusesBadInput) {
  User alice = CreateUser("alice");
  EXPECT_THAT(NotifyNow(Like(alice.id, alice.id, std::string(501, 'x'))), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(NotifyNow(Like(alice.id, alice.id, std::string(500, 'x'))), IsOk());
  EXPECT_THAT(NotifyNow(Like(alice.id, alice.id, "")), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(NotifyNow(Like(alice.id, 987'654)), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(engine().notifications().RegisterFcmToken(alice.id, "", "x"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(engine().notifications().RegisterFcmToken(alice.id, "a b", "x"), StatusIs(StatusCode::kInvalidArgument));
  auto first = engine().notifications().RegisterFcmToken(alice.id, "tok", "Firefox");
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->created);
  auto again = engine().notifications().RegisterFcmToken(alice.id, "tok", std::string(300, 'd'));
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->device_id.size(), 255u);
  EXPECT_FALSE(engine().notifications().push_enabled());
}

TEST(NotificationPaging, ClampsAndDefaultsAsTheReference) {
  EXPECT_EQ(ParseNotificationPaging("", "").page, 1);
  EXPECT_EQ(ParseNotificationPaging("", "").page_size, 50);
  EXPECT_EQ(ParseNotificationPaging("0", "0").page, 1);
  EXPECT_EQ(ParseNotificationPaging("0", "0").page_size, 1);
  EXPECT_EQ(ParseNotificationPaging("3", "500").page, 3);
  EXPECT_EQ(ParseNotificationPaging("3", "500").page_size, 100);
  EXPECT_EQ(ParseNotificationPaging("x", "1e3").page, 1);
  EXPECT_EQ(ParseNotificationPaging("x", "1e3").page_size, 50);
}

// The service account's key pair, made once.
const internal::TokenKey& AccountKey() {
  static std::shared_ptr<const internal::TokenKey> key = [] {
    auto k = internal::GenerateTokenKey(2048);
    if (!k.ok()) std::abort();
    return *k;
  }();
  return *key;
}

class PushTest : public NotificationsTest {
 protected:
  PushTest() : fcm_(*internal::PublicKeyPem(AccountKey()), "clash-test", "push@clash-test.iam.example") {}

  void Configure(EngineOptions& opts) override {
    json account = {{"type", "service_account"},
                    {"project_id", "clash-test"},
                    {"private_key_id", "k1"},
                    {"private_key", *internal::PrivateKeyPem(AccountKey())},
                    {"client_email", "push@clash-test.iam.example"},
                    {"token_uri", fcm_.base() + "/token"}};
    opts.fcm.service_account_json = account.dump();
    opts.fcm.api_base = fcm_.base();
    opts.fcm.sleep = [this](std::chrono::milliseconds d) {
      std::lock_guard<std::mutex> lock(mu_);
      sleeps_.push_back(d.count());
    };
  }
  std::vector<std::string> Tokens(std::int64_t user) {
    std::vector<std::string> out;
    EXPECT_THAT(storage().Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(out, tx.notifications().FcmTokens(user));
      return Status::Ok();
    }),
                IsOk());
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::int64_t> sleeps() {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

  FakeFcm fcm_;
  std::mutex mu_;
  std::vector<std::int64_t> sleeps_;
};

TEST_P(PushTest, PushesToEveryDeviceRetriesWithBackoffAndRemovesDeadTokens) {
  User alice = CreateUser("alice");
  User bob = CreateUser("bob");
  ASSERT_TRUE(engine().notifications().push_enabled());
  for (const char* t : {"good", "flaky", "dead", "other-project"}) {
    ASSERT_THAT(engine().notifications().RegisterFcmToken(alice.id, t, "device"), IsOk());
  }
  fcm_.Script("flaky", {{.status = 503, .retry_after = "2"}, {.status = 500}});
  fcm_.Script("dead", {{.status = 404, .error_code = "UNREGISTERED"}});
  fcm_.Script("other-project", {{.status = 403, .error_code = "SENDER_ID_MISMATCH"}});
  Listener live(engine().pubsub(), NotificationTopic(alice.id));
  ASSERT_THAT(NotifyNow(Like(alice.id, bob.id)), IsOk());
  engine().notifications().FlushPushes();

  std::map<std::string, int> per_token;
  for (const FakeFcm::Send& s : fcm_.sends()) {
    ++per_token[s.token];
    EXPECT_EQ(s.title, "New Like!");
    EXPECT_EQ(s.body, "bob liked your post: hello...");
    EXPECT_EQ(s.data.at("kind"), "like");
    EXPECT_EQ(s.data.at("icon"), "/favicon.png");
  }
  EXPECT_EQ(per_token["good"], 1);
  EXPECT_EQ(per_token["flaky"], 3);  // 503, 500, then 200
  EXPECT_EQ(per_token["dead"], 1);
  EXPECT_EQ(per_token["other-project"], 1);
  // Retry-After (2 s) beat the first backoff (0.5 s); the next wait doubled the backoff (1 s).
  EXPECT_THAT(sleeps(), ElementsAre(2000, 1000));
  EXPECT_EQ(fcm_.token_exchanges(), 1);  // one access token, cached for every send
  EXPECT_EQ(fcm_.refused(), 0);
  EXPECT_THAT(Tokens(alice.id), ElementsAre("flaky", "good"));
  EXPECT_EQ(live.WaitFor(1).size(), 1u);  // the socket message went out as well
}

TEST_P(PushTest, GivesUpAfterMaxAttemptsAndKeepsTheToken) {
  User alice = CreateUser("alice");
  User bob = CreateUser("bob");
  ASSERT_THAT(engine().notifications().RegisterFcmToken(alice.id, "down", "device"), IsOk());
  fcm_.Script("down", {{.status = 503}, {.status = 503}, {.status = 503}, {.status = 503}, {.status = 503}});
  ASSERT_THAT(NotifyNow(Like(alice.id, bob.id)), IsOk());
  engine().notifications().FlushPushes();
  EXPECT_EQ(fcm_.sends().size(), 4u);  // max_attempts
  EXPECT_THAT(sleeps(), ElementsAre(500, 1000, 2000));
  EXPECT_THAT(Tokens(alice.id), ElementsAre("down"));
}

TEST_P(PushTest, NoDevicesNoCallsAndBroadcastsAreNotPushed) {
  User alice = CreateUser("alice");
  User bob = CreateUser("bob");
  ASSERT_THAT(NotifyNow(Like(alice.id, bob.id)), IsOk());
  ASSERT_THAT(engine().notifications().RegisterFcmToken(bob.id, "bobs-phone", "device"), IsOk());
  NewNotification broadcast = Like(bob.id, alice.id, "Maintenance at noon");
  broadcast.push = false;
  ASSERT_THAT(NotifyNow(broadcast), IsOk());
  engine().notifications().FlushPushes();
  EXPECT_TRUE(fcm_.sends().empty());
  EXPECT_EQ(fcm_.token_exchanges(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationsTest, ::testing::ValuesIn(AllBackends()), BackendParamName);
INSTANTIATE_TEST_SUITE_P(Backends, PushTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

TEST(NotificationsCreate, RefusesAServiceAccountItCannotUse) {
  ::clash::testing::TempDir dir;
  for (const std::string& account :
       {std::string("not json"), json{{"project_id", "p"}}.dump(),
        json{{"project_id", "p"}, {"client_email", "a@b"}, {"private_key", "-----BEGIN PRIVATE KEY-----\nAAA\n"}}.dump()}) {
    EngineOptions opts;
    opts.storage_url = "sqlite::memory:";
    opts.data_dir = dir.path().string();
    opts.auth.secret_key = std::string(40, 's');
    opts.token_keys = ::clash::testing::SharedTokenKeys();
    opts.fcm.service_account_json = account;
    EXPECT_THAT(Engine::Open(std::move(opts)), StatusIs(StatusCode::kInvalidArgument)) << account;
  }
}

}  // namespace
}  // namespace clash
