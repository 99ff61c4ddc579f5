// The admin console on every backend: the hierarchy on every action (notes and reports included),
// the audit log of each change with its filters, ordering and CSV (formula cells escaped), blocking
// ending sessions, bulk block, last-superuser guards, reports, broadcasts and resends, stats,
// analytics and integrity checks from real data.
#include <condition_variable>
#include <mutex>

#include "clash/admin.h"
#include "support/engine_fixture.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::EngineTest;
using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

class AdminTest : public EngineTest {
 protected:
  void Configure(EngineOptions& opts) override { UseFileOutbox(opts); }
  AdminContext As(const User& u) { return AdminContext{.actor = u, .request_id = "req-" + u.username, .actor_ip = "203.0.113.7"}; }
  User Fresh(const User& u) { return *engine().auth().GetUser(u.id); }
  std::vector<std::string> Actions(const AdminContext& ctx, AuditQuery q = {}) {
    q.page_size = 500;
    std::vector<std::string> out;
    auto page = engine().admin().AuditLog(ctx, q);
    EXPECT_THAT(page, IsOk());
    for (const AuditEntry& e : page.value_or(AuditPage{}).results) out.push_back(e.action + ":" + e.target_username);
    return out;
  }
};

TEST_P(AdminTest, PlayersCannotUseAnyAdminCall) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  AdminContext p = As(ada);
  EXPECT_THAT(engine().admin().Stats(p), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(engine().admin().Users(p, {}), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(engine().admin().AuditLog(p, {}), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(engine().admin().ToggleBlock(p, "bob", ""), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(engine().admin().AddNote(p, "bob", "x", false), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(engine().admin().SendBroadcast(p, "hi", false, ""), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(engine().admin().Integrity(p), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_TRUE(Fresh(bob).is_active);
}

// A staff member may act on players only: every action on a superuser (or other staff) is refused,
// notes and reports included, and nothing is written.
TEST_P(AdminTest, StaffCannotActOnSuperusersAnywhere) {
  User root = CreateUser("root", false, true);
  User mod = CreateUser("mod", true);
  User mod2 = CreateUser("mod2", true);
  CreateUser("player");
  AdminContext s = As(mod);
  for (const char* target : {"root", "mod2"}) {
    EXPECT_THAT(engine().admin().ToggleBlock(s, target, ""), StatusIs(StatusCode::kPermissionDenied)) << target;
    EXPECT_THAT(engine().admin().DeleteUser(s, target, ""), StatusIs(StatusCode::kPermissionDenied));
    EXPECT_THAT(engine().admin().SetRole(s, target, Role::kUser), StatusIs(StatusCode::kPermissionDenied));
    EXPECT_THAT(engine().admin().AddNote(s, target, "note", false), StatusIs(StatusCode::kPermissionDenied));
    EXPECT_THAT(engine().admin().Notes(s, target), StatusIs(StatusCode::kPermissionDenied));
    EXPECT_THAT(engine().admin().CreateReport(s, {.target_username = target, .title = "t", .summary = "s"}),
                StatusIs(StatusCode::kPermissionDenied));
    EXPECT_THAT(engine().admin().Details(s, target),
                StatusIs(StatusCode::kPermissionDenied, "Only superusers can inspect staff or superuser accounts."));
  }
  auto bulk = engine().admin().BulkSetActive(s, false, {"root", "player", "ghost"});
  ASSERT_THAT(bulk, IsOk());
  EXPECT_EQ(bulk->updated, std::vector<std::string>{"player"});
  ASSERT_EQ(bulk->skipped.size(), 2u);
  EXPECT_EQ(bulk->skipped[0].username, "root");
  EXPECT_EQ(bulk->skipped[1].reason, "User not found");
  EXPECT_TRUE(Fresh(root).is_active);
  EXPECT_TRUE(Fresh(mod2).is_active);
  // Reports about a superuser (made by the superuser) stay invisible to staff.
  ASSERT_THAT(engine().admin().CreateReport(As(root), {.target_username = "mod2", .title = "t", .summary = "s"}), IsOk());
  EXPECT_TRUE(engine().admin().Reports(s, {})->empty());
  EXPECT_EQ(engine().admin().Reports(As(root), {})->size(), 1u);
  // Staff see only players in the list; superusers see everyone.
  EXPECT_EQ(engine().admin().Users(s, {})->count, 1);
  EXPECT_EQ(engine().admin().Users(As(root), {})->count, 4);
  EXPECT_THAT(engine().admin().SetRole(s, "player", Role::kStaff),
              StatusIs(StatusCode::kPermissionDenied, "Only superusers can update user roles."));
  // The only changes on record are the one bulk block and the superuser's report.
  EXPECT_EQ(Actions(As(root)), (std::vector<std::string>{"CREATE_ADMIN_REPORT:mod2", "BULK_USER_STATUS_UPDATE:player"}));
}

TEST_P(AdminTest, BlockingEndsSessionsAndIsAudited) {
  User root = CreateUser("root", false, true);
  ASSERT_THAT(engine().auth().RequestOtp("ada@example.com"), IsOk());
  auto session = engine().auth().VerifyOtp("ada@example.com", LastMailedCode("ada@example.com"));
  ASSERT_THAT(session, IsOk());
  ASSERT_THAT(engine().auth().Authenticate(session->access_token), IsOk());
  const std::string ada = session->user.username;
  auto blocked = engine().admin().ToggleBlock(As(root), ada, "spam");
  ASSERT_THAT(blocked, IsOk());
  EXPECT_FALSE(*blocked);
  EXPECT_THAT(engine().auth().Authenticate(session->access_token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_FALSE(engine().auth().Refresh(session->refresh_token).ok());
  auto page = engine().admin().AuditLog(As(root), {});
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->count, 1);
  const AuditEntry& e = page->results[0];
  EXPECT_EQ(e.action, "TOGGLE_USER_BLOCK");
  EXPECT_EQ(e.admin_username, "root");
  EXPECT_EQ(e.target_username, ada);
  EXPECT_EQ(e.target_email, "ada@example.com");
  EXPECT_EQ(e.request_id, "req-root");
  EXPECT_EQ(e.actor_ip, "203.0.113.7");
  EXPECT_EQ(e.details_json, R"({"after":{"is_active":false},"before":{"is_active":true},"reason":"spam"})");
  EXPECT_THAT(engine().admin().ToggleBlock(As(root), "root", ""), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_TRUE(*engine().admin().ToggleBlock(As(root), ada, ""));
  EXPECT_EQ(Actions(As(root)).size(), 2u);
}

// The last active superuser cannot be blocked, demoted or deleted, even by another superuser
// whose own account was blocked a moment before (its request still carries the old state).
TEST_P(AdminTest, TheLastActiveSuperuserStays) {
  User root = CreateUser("root", false, true);
  User root2 = CreateUser("root2", false, true);
  ASSERT_THAT(engine().admin().BulkSetActive(As(root), false, {"root2", "root"}), IsOk());
  EXPECT_FALSE(Fresh(root2).is_active);
  EXPECT_TRUE(Fresh(root).is_active);  // "You cannot block yourself."
  AdminContext stale = As(root2);
  EXPECT_THAT(engine().admin().ToggleBlock(stale, "root", ""),
              StatusIs(StatusCode::kFailedPrecondition, "Cannot block the last active superuser account."));
  EXPECT_THAT(engine().admin().DeleteUser(stale, "root", ""),
              StatusIs(StatusCode::kFailedPrecondition, "Cannot delete the last superuser account."));
  EXPECT_THAT(engine().admin().SetRole(stale, "root", Role::kStaff), StatusIs(StatusCode::kFailedPrecondition));
  auto bulk = engine().admin().BulkSetActive(stale, false, {"root"});
  ASSERT_THAT(bulk, IsOk());
  ASSERT_EQ(bulk->skipped.size(), 1u);
  EXPECT_EQ(bulk->skipped[0].reason, "Cannot block the last active superuser account.");
  EXPECT_TRUE(Fresh(root).is_active && Fresh(root).is_superuser);
  EXPECT_THAT(engine().admin().SetRole(As(root), "root", Role::kUser),
              StatusIs(StatusCode::kInvalidArgument, "You cannot change your own role from the admin panel."));
}

TEST_P(AdminTest, RolesDeletesAndNotes) {
  User root = CreateUser("root", false, true);
  User ada = CreateUser("ada");
  ASSERT_THAT(engine().admin().SetRole(As(root), "ada", Role::kStaff), IsOk());
  EXPECT_TRUE(Fresh(ada).is_staff && !Fresh(ada).is_superuser);
  EXPECT_THAT(engine().admin().AddNote(As(root), "ada", "  ", false), StatusIs(StatusCode::kInvalidArgument, "Note body is required."));
  ASSERT_THAT(engine().admin().AddNote(As(root), "ada", "first", false), IsOk());
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_THAT(engine().admin().AddNote(As(root), "ada", "pinned", true), IsOk());
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_THAT(engine().admin().AddNote(As(root), "ada", "newest", false), IsOk());
  auto notes = engine().admin().Notes(As(root), "ada");
  ASSERT_THAT(notes, IsOk());
  ASSERT_EQ(notes->size(), 3u);
  EXPECT_EQ((*notes)[0].body, "pinned");
  EXPECT_EQ((*notes)[1].body, "newest");
  auto details = engine().admin().Details(As(root), "ada");
  ASSERT_THAT(details, IsOk());
  EXPECT_EQ(details->notes.size(), 3u);
  EXPECT_EQ(details->audit_logs.size(), 4u);
  ASSERT_THAT(engine().admin().DeleteUser(As(root), "ada", "left"), IsOk());
  EXPECT_THAT(engine().auth().GetUser(ada.id), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(engine().admin().DeleteUser(As(root), "ada", ""), StatusIs(StatusCode::kNotFound));
  // The record of the deletion outlives the account, with its snapshot.
  auto page = engine().admin().AuditLog(As(root), {.action = "DELETE_USER"});
  ASSERT_EQ(page->count, 1);
  EXPECT_EQ(page->results[0].target_username, "ada");
  EXPECT_EQ(page->results[0].details_json, R"({"email":"ada@example.com","reason":"left","username":"ada"})");
  EXPECT_EQ(Actions(As(root), {.action = "UPDATE_USER_ROLE"}), std::vector<std::string>{"UPDATE_USER_ROLE:ada"});
}

TEST_P(AdminTest, AuditFiltersOrderingPagingAndCsv) {
  User root = CreateUser("root", false, true);
  User mod = CreateUser("mod", true);
  for (const char* n : {"ann", "ben", "cy"}) CreateUser(n);
  const Timestamp t0 = clock_.Now();
  ASSERT_THAT(engine().admin().ToggleBlock(As(root), "ann", ""), IsOk());
  clock_.Advance(std::chrono::hours(24));
  ASSERT_THAT(engine().admin().ToggleBlock(As(mod), "ben", ""), IsOk());
  clock_.Advance(std::chrono::hours(24));
  AdminContext formula = As(root);
  formula.request_id = "=HYPERLINK(\"http://x\")";
  ASSERT_THAT(engine().admin().AddNote(formula, "cy", "=1+2", false), IsOk());
  AdminContext r = As(root);
  EXPECT_EQ(Actions(r), (std::vector<std::string>{"CREATE_ADMIN_NOTE:cy", "TOGGLE_USER_BLOCK:ben",
                                                  "TOGGLE_USER_BLOCK:ann"}));
  EXPECT_EQ(Actions(r, {.admin = "MO"}), std::vector<std::string>{"TOGGLE_USER_BLOCK:ben"});
  EXPECT_EQ(Actions(r, {.target = "an"}), std::vector<std::string>{"TOGGLE_USER_BLOCK:ann"});
  EXPECT_EQ(Actions(r, {.search = "hyperlink"}), std::vector<std::string>{"CREATE_ADMIN_NOTE:cy"});
  EXPECT_EQ(Actions(r, {.search = "%"}), std::vector<std::string>{});  // wildcards are literal
  EXPECT_EQ(Actions(r, {.ordering = "target_username"}),
            (std::vector<std::string>{"TOGGLE_USER_BLOCK:ann", "TOGGLE_USER_BLOCK:ben", "CREATE_ADMIN_NOTE:cy"}));
  EXPECT_EQ(Actions(r, {.ordering = "timestamp"}).front(), "TOGGLE_USER_BLOCK:ann");
  EXPECT_EQ(Actions(r, {.ordering = "; DROP TABLE users"}).front(), "CREATE_ADMIN_NOTE:cy");
  EXPECT_EQ(Actions(r, {.from = t0 + std::chrono::hours(1), .to = t0 + std::chrono::hours(25)}),
            std::vector<std::string>{"TOGGLE_USER_BLOCK:ben"});
  auto page = engine().admin().AuditLog(r, {.page = 2, .page_size = 2});
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->count, 3);
  EXPECT_EQ(page->total_pages, 2);
  ASSERT_EQ(page->results.size(), 1u);
  EXPECT_TRUE(engine().admin().AuditLog(r, {.page = 3, .page_size = 2})->results.empty());
  EXPECT_THAT(engine().admin().AuditLog(r, {.page_size = 501}), StatusIs(StatusCode::kInvalidArgument));

  auto csv = engine().admin().AuditCsv(r, {.action = "CREATE_ADMIN_NOTE"});
  ASSERT_THAT(csv, IsOk());
  EXPECT_NE(csv->find("\"'=HYPERLINK(\"\"http://x\"\")\""), std::string::npos) << *csv;
  EXPECT_TRUE(csv->starts_with("timestamp,admin,action,target,request_id,details\r\n"));
  EXPECT_EQ(CsvCell("=SUM(A1)"), "'=SUM(A1)");
  EXPECT_EQ(CsvCell("+1"), "'+1");
  EXPECT_EQ(CsvCell("-1"), "'-1");
  EXPECT_EQ(CsvCell("@cmd"), "'@cmd");
  EXPECT_EQ(CsvCell("\tx"), "'\tx");
  EXPECT_EQ(CsvCell("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("plain"), "plain");
  auto users = engine().admin().ExportUsers(r, {.status = "blocked"});
  ASSERT_THAT(users, IsOk());
  EXPECT_NE(users->find("ann,ann@example.com,user,blocked,0,"), std::string::npos) << *users;
  EXPECT_EQ(users->find("cy,"), std::string::npos);
}

TEST_P(AdminTest, ReportsAreValidatedAndResolved) {
  User root = CreateUser("root", false, true);
  CreateUser("ada");
  AdminContext r = As(root);
  EXPECT_THAT(engine().admin().CreateReport(r, {.target_username = "ada", .title = "", .summary = "s"}),
              StatusIs(StatusCode::kInvalidArgument, "Title and summary are required."));
  EXPECT_THAT(engine().admin().CreateReport(r, {.target_username = "nobody", .title = "t", .summary = "s"}),
              StatusIs(StatusCode::kNotFound, "Target user not found."));
  EXPECT_THAT(engine().admin().CreateReport(r, {.target_username = "ada", .title = "t", .summary = "s", .priority = "URGENT"}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(engine().admin().CreateReport(r, {.target_username = "ada", .title = "t", .summary = "s", .context_json = "[1]"}),
              StatusIs(StatusCode::kInvalidArgument));
  auto created = engine().admin().CreateReport(
      r, {.target_username = "ada", .title = "Spam", .summary = "posts ads", .priority = "high", .context_json = R"({"post":1})"});
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->status, "OPEN");
  EXPECT_EQ(created->priority, "HIGH");
  EXPECT_EQ(created->created_by, "root");
  EXPECT_THAT(engine().admin().UpdateReport(r, created->id, {.status = "DONE"}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(engine().admin().UpdateReport(r, 9999, {.status = "OPEN"}), StatusIs(StatusCode::kNotFound, "Report not found."));
  clock_.Advance(std::chrono::minutes(5));
  auto resolved = engine().admin().UpdateReport(r, created->id, {.status = "resolved"});
  ASSERT_THAT(resolved, IsOk());
  EXPECT_EQ(resolved->status, "RESOLVED");
  EXPECT_EQ(resolved->resolved_by, "root");
  ASSERT_TRUE(resolved->resolved_at.has_value());
  EXPECT_EQ(*resolved->resolved_at, clock_.Now());
  EXPECT_EQ(engine().admin().Reports(r, {.status = "open"})->size(), 0u);
  EXPECT_EQ(engine().admin().Reports(r, {.status = "RESOLVED", .target = "AD"})->size(), 1u);
  EXPECT_EQ(Actions(r), (std::vector<std::string>{"UPDATE_ADMIN_REPORT:ada", "CREATE_ADMIN_REPORT:ada"}));
}

TEST_P(AdminTest, BroadcastsReachActiveUsersAndCanBeResent) {
  User root = CreateUser("root", false, true);
  User mod = CreateUser("mod", true);
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User gone = CreateUser("gone");
  ASSERT_THAT(engine().admin().ToggleBlock(As(root), "gone", ""), IsOk());
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> live;
  auto sub = engine().pubsub().Subscribe(NotificationTopic(ada.id), [&](const PubSubMessage& m) {
    std::lock_guard<std::mutex> lock(mu);
    live.push_back(m.payload);
    cv.notify_all();
  });
  ASSERT_THAT(sub, IsOk());
  AdminContext r = As(root);
  EXPECT_THAT(engine().admin().SendBroadcast(r, "   ", false, ""), StatusIs(StatusCode::kInvalidArgument, "Message is required"));
  EXPECT_THAT(engine().admin().SendBroadcast(r, std::string(501, 'x'), false, ""),
              StatusIs(StatusCode::kInvalidArgument, "Message too long (max 500 characters)"));
  auto sent = engine().admin().SendBroadcast(r, "Maintenance at noon", false, "ops");
  ASSERT_THAT(sent, IsOk());
  EXPECT_EQ(*sent, 2);  // ada and bob: not the sender, staff or blocked users
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return !live.empty(); }));
    EXPECT_NE(live[0].find("Maintenance at noon"), std::string::npos);
  }
  EXPECT_EQ(engine().notifications().List(bob.id, {})->results.at(0).verb, "Maintenance at noon");
  EXPECT_EQ(engine().notifications().List(mod.id, {})->count, 0);
  EXPECT_EQ(engine().notifications().List(gone.id, {})->count, 0);
  AdminContext second = r;
  second.request_id = "req-2";
  EXPECT_EQ(*engine().admin().SendBroadcast(second, "Staff too", true, ""), 3);
  auto history = engine().admin().Broadcasts(r);
  ASSERT_THAT(history, IsOk());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].message, "Staff too");
  EXPECT_EQ((*history)[1].request_id, "req-root");
  EXPECT_EQ((*history)[1].recipient_count, 2);
  EXPECT_EQ((*history)[1].reason, "ops");
  auto resent = engine().admin().ResendBroadcast(r, "req-root");
  ASSERT_THAT(resent, IsOk());
  EXPECT_EQ(*resent, 2);
  EXPECT_EQ(engine().notifications().List(ada.id, {})->count, 3);
  EXPECT_THAT(engine().admin().ResendBroadcast(r, "nope"), StatusIs(StatusCode::kNotFound, "Broadcast not found."));
  EXPECT_EQ(Actions(r, {.action = "RESEND_GLOBAL_NOTIFICATION"}).size(), 1u);
}

TEST_P(AdminTest, StatsAnalyticsAndIntegrityFromRealData) {
  User root = CreateUser("root", false, true);
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  ASSERT_THAT(engine().ledger().Apply({.user_id = ada.id, .amount = 300, .source = XpSource::kAdminAdjustment,
                                       .reference = "t", .idempotency_key = "a"}),
              IsOk());
  ASSERT_THAT(engine().ledger().Apply({.user_id = bob.id, .amount = 50, .source = XpSource::kChallengeCompletion,
                                       .reference = "python-001", .idempotency_key = "b"}),
              IsOk());
  ASSERT_THAT(engine().social().ToggleFollow(bob, "ada"), IsOk());
  AdminContext r = As(root);
  auto stats = engine().admin().Stats(r);
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->total_users, 3);
  EXPECT_EQ(stats->total_gems, 360);  // 300 + 50 + 10 for the "socializer" achievement of the follow
  EXPECT_EQ(stats->active_sessions, 0);  // nobody has logged in
  auto engagement = engine().admin().Engagement(r);
  ASSERT_THAT(engagement, IsOk());
  ASSERT_EQ(engagement->daily_growth.size(), 30u);
  EXPECT_EQ(engagement->daily_growth.back().count, 3);  // all joined "today"
  ASSERT_FALSE(engagement->top_users.empty());
  EXPECT_EQ(engagement->top_users[0].username, "ada");
  EXPECT_EQ(engagement->top_users[0].followers, 1);
  auto ultimate = engine().admin().Ultimate(r);
  ASSERT_THAT(ultimate, IsOk());
  EXPECT_EQ(ultimate->total_users, 3);
  EXPECT_EQ(ultimate->total_circulation_xp, 360);
  EXPECT_EQ(ultimate->growth_trends.size(), 31u);
  EXPECT_TRUE(ultimate->database_online);

  auto integrity = engine().admin().Integrity(r);
  ASSERT_THAT(integrity, IsOk());
  EXPECT_TRUE(integrity->ok());
  EXPECT_EQ(integrity->counts["users"], 3);
  EXPECT_EQ(integrity->counts["follows"], 1);
  // A balance changed behind the ledger's back is caught.
  ASSERT_THAT(storage().Transact([&](StorageTransaction& tx) -> Status {
    Result<std::optional<std::int64_t>> added = tx.ledger().AddToBalance(ada.id, 5);
    return added.ok() ? Status::Ok() : added.status();
  }),
              IsOk());
  integrity = engine().admin().Integrity(r);
  ASSERT_THAT(integrity, IsOk());
  EXPECT_FALSE(integrity->ok());
  EXPECT_EQ(integrity->violations["wallet_balance_differs_from_ledger"], 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
