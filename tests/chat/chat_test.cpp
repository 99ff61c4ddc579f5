// Chat on every backend through its transport interface (a recording ChatPeer stands in for the
// WebSocket): history, pin and presence on connect, every client action and its frame, ownership
// and staff rules, limits that answer with an error frame, mentions on the notification socket,
// resume, coalesced presence, typing expiry, token expiry and revocation. The timer runs only when
// a test calls Tick() after moving the FakeClock.
#include <future>
#include <set>
#include <thread>

#include "chat/chat_peer.h"
#include "clash/chat.h"
#include "support/engine_fixture.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::EngineTest;
using ::clash::testing::IsOk;
using ::clash::testing::RecordingPeer;
using ::clash::testing::StatusIs;
using json = nlohmann::json;

struct Client {
  std::shared_ptr<RecordingPeer> peer = std::make_shared<RecordingPeer>();
  std::shared_ptr<ChatConnection> conn;
  void Send(const json& j) const { conn->Receive(j.dump()); }
};

class ChatTest : public EngineTest {
 protected:
  void Configure(EngineOptions& opts) override {
    opts.chat.tick_interval = std::chrono::milliseconds(0);  // the test drives Tick()
    opts.chat.presence_interval = std::chrono::milliseconds(500);
  }
  Chat& chat() { return engine().chat(); }
  // Logs `name` in (creating the account) and returns the session.
  Session Login(const std::string& name, bool staff = false) {
    ExternalIdentity id{.provider = "github", .provider_uid = name, .email = name + "@example.com",
                        .email_verified = true, .username_hint = name};
    Result<Session> s = engine().auth().LoginWithIdentity(id);
    EXPECT_THAT(s, IsOk());
    if (staff && s.ok()) {
      User u = s->user;
      u.is_staff = true;
      EXPECT_THAT(storage().Transact([&](StorageTransaction& tx) { return tx.users().Update(u); }), IsOk());
      s->user = u;
    }
    return s.value_or(Session{});
  }
  Client Connect(const Session& s, std::optional<std::int64_t> resume = std::nullopt) {
    Client c;
    Result<ChatTicket> t = chat().Admit(s.access_token, "global", resume);
    EXPECT_THAT(t, IsOk());
    if (t.ok()) c.conn = chat().Open(*t, c.peer);
    chat().Flush();
    return c;
  }
  Client ConnectNotifications(const Session& s) {
    Client c;
    Result<ChatTicket> t = chat().notifications().Admit(s.access_token);
    EXPECT_THAT(t, IsOk());
    if (t.ok()) c.conn = chat().notifications().Open(*t, c.peer);
    return c;
  }
  ChatMessage Post(const Session& s, const std::string& text) {
    Result<ChatMessage> m = chat().Post(s.user, "global", text);
    EXPECT_THAT(m, IsOk());
    return m.value_or(ChatMessage{});
  }
  void Advance(std::chrono::microseconds d) { clock_.Advance(d); }
};

TEST_P(ChatTest, ConnectSendsHistoryThePinnedStoredTextAndWhoIsOnline) {
  Session ada = Login("ada");
  Session mod = Login("mod", true);
  for (int i = 1; i <= 3; ++i) Post(ada, "m" + std::to_string(i));
  ChatMessage m2 = chat().History("global", {}).value().messages[1];
  ASSERT_THAT(chat().Pin(mod.user, "global", m2.id), IsOk());
  Client c = Connect(ada);
  auto history = c.peer->WaitFor("history");
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ((*history)["messages"].size(), 3u);
  EXPECT_EQ((*history)["messages"][0]["message"], "m1");
  EXPECT_EQ((*history)["messages"][2]["message"], "m3");
  EXPECT_EQ((*history)["messages"][0]["username"], "ada");
  EXPECT_EQ((*history)["messages"][0]["seq"], 1);
  EXPECT_TRUE((*history)["messages"][0]["timestamp"].is_string());
  EXPECT_EQ((*history)["last_seq"], 4);  // three messages and the pin
  EXPECT_EQ((*history)["gap"], false);
  auto pin = c.peer->WaitFor("chat_pin");
  ASSERT_TRUE(pin.has_value());
  EXPECT_EQ((*pin)["message"], "m2");
  EXPECT_EQ((*pin)["pinned_by"], "mod");
  EXPECT_EQ((*pin)["timestamp"], (*history)["messages"][1]["timestamp"]);
  auto online = c.peer->WaitFor("online");
  ASSERT_TRUE(online.has_value());
  EXPECT_EQ((*online)["count"], 1);
  EXPECT_EQ((*online)["users"][0]["username"], "ada");
  EXPECT_EQ(c.peer->Types(), (std::vector<std::string>{"history", "chat_pin", "online"}));
}

TEST_P(ChatTest, SendIsStoredBeforeItIsBroadcastWithAnIdAndTheNextSequenceNumber) {
  Session ada = Login("ada");
  Session bob = Login("bob");
  Client a = Connect(ada);
  Client b = Connect(bob);
  a.Send({{"action", "send"}, {"message", "hello @nobody"}});
  a.Send({{"message", "second"}});  // action defaults to send
  auto first = b.peer->WaitFor("chat_message", [](const json& f) { return f["message"] == "hello @nobody"; });
  ASSERT_TRUE(first.has_value());
  // When the frame arrives the message is already in storage, with that id and seq.
  auto page = chat().History("global", {});
  ASSERT_THAT(page, IsOk());
  ASSERT_GE(page->messages.size(), 1u);
  EXPECT_EQ(page->messages[0].id, (*first)["id"]);
  EXPECT_EQ(page->messages[0].seq, (*first)["seq"]);
  EXPECT_EQ((*first)["user_id"], ada.user.id);
  EXPECT_EQ((*first)["username"], "ada");
  EXPECT_EQ((*first)["room"], "global");
  auto second = a.peer->WaitFor("chat_message", [](const json& f) { return f["message"] == "second"; });
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ((*second)["seq"], (*first)["seq"].get<int>() + 1);
  // Both clients saw both, in order, once.
  chat().Flush();
  EXPECT_EQ(a.peer->OfType("chat_message").size(), 2u);
  EXPECT_EQ(b.peer->OfType("chat_message").size(), 2u);
  EXPECT_EQ(b.peer->OfType("chat_message")[0]["message"], "hello @nobody");
}

TEST_P(ChatTest, TextMustBeOneToAThousandCharacters) {
  Session ada = Login("ada");
  Client a = Connect(ada);
  a.Send({{"message", ""}});
  auto err = a.peer->WaitFor("error");
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ((*err)["code"], "invalid");
  std::string thousand;
  for (int i = 0; i < 1000; ++i) thousand += "é";  // 1000 characters, 2000 bytes
  EXPECT_THAT(chat().Post(ada.user, "global", thousand), IsOk());
  EXPECT_THAT(chat().Post(ada.user, "global", thousand + "x"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(chat().Post(ada.user, "global", "   "), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(chat().Post(ada.user, "lobby", "hi"), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(a.peer->close_code(), 0);
}

TEST_P(ChatTest, EditAndDeleteBelongToTheAuthorAndStaffMayDeleteAny) {
  Session ada = Login("ada");
  Session bob = Login("bob");
  Session mod = Login("mod", true);
  Client a = Connect(ada);
  Client b = Connect(bob);
  ChatMessage m = Post(ada, "original");
  const std::string ts = ChatTimestamp(m.created_at);
  b.Send({{"action", "edit"}, {"target_timestamp", ts}, {"message", "hacked"}});
  auto refused = b.peer->WaitFor("error");
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ((*refused)["message"], "You can only edit your own messages.");
  EXPECT_EQ((*refused)["code"], "forbidden");
  b.Send({{"action", "delete"}, {"target_timestamp", ts}, {"message", "deleted"}});
  ASSERT_TRUE(b.peer->WaitFor("error", [](const json& f) { return f["message"] == "You can only delete your own messages."; }));
  a.Send({{"action", "edit"}, {"target_timestamp", ts}, {"message", "edited"}});
  auto edit = b.peer->WaitFor("chat_edit");
  ASSERT_TRUE(edit.has_value());
  EXPECT_EQ((*edit)["timestamp"], ts);
  EXPECT_EQ((*edit)["message"], "edited");
  EXPECT_EQ((*edit)["user_id"], ada.user.id);
  ASSERT_THAT(chat().Delete(mod.user, "global", m.id), IsOk());
  auto del = a.peer->WaitFor("chat_delete");
  ASSERT_TRUE(del.has_value());
  EXPECT_EQ((*del)["timestamp"], ts);
  EXPECT_EQ((*del)["deleted_by"], mod.user.id);
  EXPECT_THAT(chat().Edit(ada.user, "global", m.id, "again"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(chat().Delete(ada.user, "global", m.id), StatusIs(StatusCode::kNotFound));
  EXPECT_TRUE(chat().History("global", {})->messages.empty());
}

TEST_P(ChatTest, ReactionsToggleAtomically) {
  Session ada = Login("ada");
  Session bob = Login("bob");
  Client b = Connect(bob);
  ChatMessage m = Post(ada, "react");
  b.Send({{"action", "react"}, {"target_timestamp", ChatTimestamp(m.created_at)}, {"emoji", "👍"}});
  auto react = b.peer->WaitFor("chat_react");
  ASSERT_TRUE(react.has_value());
  EXPECT_EQ((*react)["emoji"], "👍");
  EXPECT_EQ((*react)["username"], "bob");
  EXPECT_EQ((*react)["added"], true);
  EXPECT_EQ((*react)["reactions"]["👍"], json::array({"bob"}));
  // Ten concurrent toggles by ada: an even number, so her reaction ends where it started.
  std::vector<std::future<Result<ChatMessage>>> runs;
  for (int i = 0; i < 10; ++i) {
    runs.push_back(std::async(std::launch::async, [&] { return chat().React(ada.user, "global", m.id, "🔥"); }));
  }
  for (auto& r : runs) EXPECT_THAT(r.get(), IsOk());
  auto page = chat().History("global", {});
  ASSERT_THAT(page, IsOk());
  EXPECT_FALSE(page->messages[0].reactions.contains("🔥"));
  EXPECT_EQ(page->messages[0].reactions["👍"], std::vector<std::string>{"bob"});
  EXPECT_THAT(chat().React(ada.user, "global", m.id, ""), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(ChatTest, APinShowsTheStoredTextAndIsForStaff) {
  Session ada = Login("ada");
  Session mod = Login("mod", true);
  Client a = Connect(ada);
  Client s = Connect(mod);
  ChatMessage m = Post(ada, "the real text");
  const std::string ts = ChatTimestamp(m.created_at);
  a.Send({{"action", "pin"}, {"target_timestamp", ts}, {"message", "forged"}});
  ASSERT_TRUE(a.peer->WaitFor("error", [](const json& f) { return f["code"] == "forbidden"; }));
  s.Send({{"action", "pin"}, {"target_timestamp", ts}, {"message", "forged"}});
  auto pin = a.peer->WaitFor("chat_pin");
  ASSERT_TRUE(pin.has_value());
  EXPECT_EQ((*pin)["message"], "the real text");
  EXPECT_EQ((*pin)["pinned_by"], "mod");
  s.Send({{"action", "unpin"}, {"target_timestamp", ts}});
  auto unpin = a.peer->WaitFor("chat_unpin");
  ASSERT_TRUE(unpin.has_value());
  EXPECT_EQ((*unpin)["timestamp"], ts);
  EXPECT_THAT(chat().Unpin(mod.user, "global"), StatusIs(StatusCode::kNotFound));
}

TEST_P(ChatTest, MentionsReachTheNotificationSocketAsMention) {
  Session ada = Login("ada");
  Session bob = Login("bob");
  Client bell = ConnectNotifications(bob);
  Client a = Connect(ada);
  a.Send({{"message", "hey @bob look"}});
  auto mention = bell.peer->WaitFor("mention");
  ASSERT_TRUE(mention.has_value());
  EXPECT_EQ((*mention)["sender"], "ada");
  EXPECT_EQ((*mention)["room"], "global");
  EXPECT_EQ((*mention)["message"], "hey @bob look");
  auto list = engine().notifications().List(bob.user.id, {});
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->results.size(), 1u);
  EXPECT_EQ(list->results[0].verb, "mentioned you in chat");
  // Module notifications reach the same socket as "notification".
  ASSERT_THAT(engine().social().ToggleFollow(ada.user, "bob"), IsOk());
  auto follow = bell.peer->WaitFor("notification");
  ASSERT_TRUE(follow.has_value());
  EXPECT_EQ((*follow)["title"], "New Follower!");
}

TEST_P(ChatTest, StaffMuteStopsAUserUntilItEnds) {
  Session ada = Login("ada");
  Session mod = Login("mod", true);
  Client a = Connect(ada);
  EXPECT_THAT(chat().Mute(ada.user, mod.user.id, std::chrono::seconds(60)), StatusIs(StatusCode::kPermissionDenied));
  ASSERT_THAT(chat().Mute(mod.user, ada.user.id, std::chrono::seconds(60)), IsOk());
  a.Send({{"message", "can you hear me"}});
  auto muted = a.peer->WaitFor("error");
  ASSERT_TRUE(muted.has_value());
  EXPECT_EQ((*muted)["code"], "muted");
  Advance(std::chrono::seconds(61));
  a.Send({{"message", "now?"}});
  EXPECT_TRUE(a.peer->WaitFor("chat_message", [](const json& f) { return f["message"] == "now?"; }));
  EXPECT_THAT(chat().Mute(mod.user, ada.user.id, std::chrono::seconds(0)), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(ChatTest, OverLimitAndMalformedFramesGetAnErrorAndTheSocketStaysOpen) {
  Session ada = Login("ada");
  Client a = Connect(ada);
  a.conn->Receive("not json");
  ASSERT_TRUE(a.peer->WaitFor("error", [](const json& f) { return f["message"] == "Invalid message format."; }));
  a.Send({{"action", "dance"}});
  ASSERT_TRUE(a.peer->WaitFor("error", [](const json& f) { return f["message"] == "Unknown action."; }));
  // Typing has its own limit: it does not use up the message burst.
  for (int i = 0; i < 6; ++i) a.Send({{"action", "typing"}});
  // The unknown action used 1 of the burst of 5 (unparsable text is refused before the limits):
  // four more go through, the fifth is refused.
  for (int i = 0; i < 5; ++i) a.Send({{"message", "m" + std::to_string(i)}});
  auto limited = a.peer->WaitFor("error", [](const json& f) { return f["code"] == "rate_limited"; });
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ((*limited)["message"], "Slow down! Too many messages too fast");
  EXPECT_GE((*limited)["retry_after"].get<int>(), 1);
  chat().Flush();
  EXPECT_EQ(a.peer->OfType("chat_message").size(), 4u);
  EXPECT_EQ(a.peer->close_code(), 0);
  Advance(std::chrono::seconds(6));
  a.Send({{"message", "after the burst"}});
  EXPECT_TRUE(a.peer->WaitFor("chat_message", [](const json& f) { return f["message"] == "after the burst"; }));
}

TEST_P(ChatTest, AdmitRefusesBadTokensUnknownRoomsAndTooManyConnections) {
  Session ada = Login("ada");
  EXPECT_THAT(chat().Admit("garbage", "global", std::nullopt), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(chat().Admit(ada.access_token, "lobby", std::nullopt), StatusIs(StatusCode::kNotFound));
  for (int i = 0; i < 5; ++i) EXPECT_THAT(chat().Admit(ada.access_token, "global", std::nullopt), IsOk());
  EXPECT_THAT(chat().Admit(ada.access_token, "global", std::nullopt), StatusIs(StatusCode::kResourceExhausted));
  EXPECT_THAT(chat().notifications().Admit("garbage"), StatusIs(StatusCode::kUnauthenticated));
}

TEST_P(ChatTest, ResumeSendsExactlyTheMissedEventsWithinTheWindow) {
  Session ada = Login("ada");
  Session bob = Login("bob");
  Post(ada, "before");
  Client b = Connect(bob);
  const std::int64_t seen = (*b.peer->WaitFor("history"))["last_seq"];
  b.conn->Closed();
  ChatMessage m1 = Post(ada, "missed 1");
  Post(ada, "missed 2");
  ASSERT_THAT(chat().Edit(ada.user, "global", m1.id, "missed 1 (edited)"), IsOk());
  Client again = Connect(bob, seen);
  auto resume = again.peer->WaitFor("resume");
  ASSERT_TRUE(resume.has_value());
  EXPECT_EQ((*resume)["after_seq"], seen);
  ASSERT_EQ((*resume)["events"].size(), 3u);
  EXPECT_EQ((*resume)["events"][0]["type"], "chat_message");
  EXPECT_EQ((*resume)["events"][0]["message"], "missed 1");
  EXPECT_EQ((*resume)["events"][1]["message"], "missed 2");
  EXPECT_EQ((*resume)["events"][2]["type"], "chat_edit");
  EXPECT_EQ((*resume)["events"][2]["seq"], seen + 3);
  EXPECT_TRUE(again.peer->OfType("history").empty());
  again.conn->Closed();
  // Beyond the window (10 minutes): the normal history, flagged as a gap.
  Post(ada, "much later");
  Advance(std::chrono::minutes(11));
  Client late = Connect(bob, seen);
  auto history = late.peer->WaitFor("history");
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ((*history)["gap"], true);
  EXPECT_EQ((*history)["messages"].size(), 4u);
  EXPECT_TRUE(late.peer->OfType("resume").empty());
}

TEST_P(ChatTest, PresenceIsCoalescedAndCountsDistinctUsers) {
  std::vector<Session> users;
  for (int i = 0; i < 12; ++i) users.push_back(Login("user" + std::to_string(i)));
  Client watcher = Connect(users[0]);
  chat().Tick();
  watcher.peer->Clear();
  std::vector<Client> clients;
  for (int i = 1; i < 12; ++i) clients.push_back(Connect(users[i]));
  clients.push_back(Connect(users[1]));  // a second socket of user1 is not a second user
  Advance(std::chrono::seconds(1));
  chat().Tick();
  chat().Tick();  // within the interval: nothing more
  chat().Flush();
  auto updates = watcher.peer->OfType("presence");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0]["count"], 12);
  EXPECT_EQ(updates[0]["event"], "join");
  EXPECT_EQ(updates[0]["joined"].size(), 11u);
  EXPECT_EQ(chat().Online("global")->count, 12);
  EXPECT_EQ(chat().stats().online.at("global"), 12);
  for (int i = 1; i <= 5; ++i) clients[i].conn->Closed();  // user2..user6 (user1 keeps a socket)
  Advance(std::chrono::seconds(1));
  chat().Tick();
  updates = watcher.peer->OfType("presence");
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[1]["event"], "leave");
  EXPECT_EQ(updates[1]["count"], 7);
  EXPECT_EQ(updates[1]["left"].size(), 5u);
}

TEST_P(ChatTest, TypingIsShownToOthersAndExpires) {
  Session ada = Login("ada");
  Session bob = Login("bob");
  Client a = Connect(ada);
  Client b = Connect(bob);
  a.Send({{"action", "typing"}});
  auto typing = b.peer->WaitFor("typing");
  ASSERT_TRUE(typing.has_value());
  EXPECT_EQ((*typing)["username"], "ada");
  EXPECT_EQ((*typing)["user_id"], ada.user.id);
  chat().Flush();
  EXPECT_TRUE(a.peer->OfType("typing").empty());  // not echoed to the typist
  ASSERT_EQ(chat().Typing("global")->size(), 1u);
  Advance(std::chrono::seconds(4));
  EXPECT_TRUE(chat().Typing("global")->empty());
}

TEST_P(ChatTest, AnExpiredTokenClosesWith4001UnlessRenewed) {
  Session ada = Login("ada");
  Session bob = Login("bob");
  Client a = Connect(ada);
  Client b = Connect(bob);
  Client bell = ConnectNotifications(bob);
  Advance(std::chrono::minutes(50));
  Result<Session> fresh = engine().auth().Refresh(ada.refresh_token);
  ASSERT_THAT(fresh, IsOk());
  a.Send({{"action", "auth"}, {"token", fresh->access_token}});
  ASSERT_TRUE(a.peer->WaitFor("auth"));
  Advance(std::chrono::minutes(11));
  chat().Tick();
  EXPECT_EQ(b.peer->WaitClosed(), kChatCloseUnauthorized);
  EXPECT_EQ(bell.peer->WaitClosed(), kChatCloseUnauthorized);
  EXPECT_EQ(a.peer->close_code(), 0);
}

TEST_P(ChatTest, BlockingAUserClosesTheirSocketsAtOnce) {
  Session ada = Login("ada");
  Session root = Login("root", true);
  Client a = Connect(ada);
  Client bell = ConnectNotifications(ada);
  ASSERT_THAT(engine().auth().SetActive(root.user, ada.user.id, false), IsOk());
  EXPECT_EQ(a.peer->WaitClosed(), kChatClosePolicy);
  EXPECT_EQ(bell.peer->WaitClosed(), kChatClosePolicy);
}

TEST_P(ChatTest, WatchersAndHistoryPagesForBotsAndTheHttpRoute) {
  Session ada = Login("ada");
  for (int i = 1; i <= 5; ++i) Post(ada, "m" + std::to_string(i));
  auto peer = std::make_shared<RecordingPeer>();
  auto watch = chat().Watch("global", peer);
  ASSERT_THAT(watch, IsOk());
  ASSERT_TRUE(peer->WaitFor("history"));
  Post(ada, "m6");
  EXPECT_TRUE(peer->WaitFor("chat_message", [](const json& f) { return f["message"] == "m6"; }));
  EXPECT_EQ(chat().Online("global")->count, 0);  // a watcher is not online
  auto page = chat().History("global", {.before = 5, .limit = 2});
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->messages.size(), 2u);
  EXPECT_EQ(page->messages[0].text, "m3");
  EXPECT_EQ(page->messages[1].text, "m4");
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->last_seq, 6);
  EXPECT_THAT(ParseChatHistoryQuery("x", std::nullopt), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseChatHistoryQuery(std::nullopt, "101"), StatusIs(StatusCode::kInvalidArgument));
  auto q = ParseChatHistoryQuery("7", "20");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->before, 7);
  EXPECT_EQ(q->limit, 20);
  EXPECT_THAT(chat().Watch("lobby", peer), StatusIs(StatusCode::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(Backends, ChatTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
