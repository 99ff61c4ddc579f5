// Integration tests: a real Poco HTTPServer + WsHub on 127.0.0.1 and real client sockets.
#include "ws/ws_hub.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "ws/echo_session.h"
#include "ws_test_support.h"

namespace clash::host {
namespace {

using namespace std::chrono_literals;
using testing::RecordingSession;
using testing::TestServer;
using testing::WsTestClient;
using Kind = WsMessage::Kind;

WsOptions FastOptions() {
  WsOptions o;
  o.ping_interval_ms = 60'000;
  o.idle_timeout_ms = 120'000;
  o.close_timeout_ms = 2'000;
  return o;
}

std::map<std::string, WsSessionFactory> Route(const std::string& path, std::shared_ptr<WsSessionHandler> s) {
  return {{path, [s](const Poco::Net::HTTPServerRequest&) { return s; }}};
}

TEST(WsHubTest, EchoTextBinaryAndFragmented) {
  TestServer server(FastOptions());
  WsTestClient c;
  ASSERT_EQ(c.Connect(server.port()), 101);
  c.SendText("hello");
  EXPECT_EQ(c.RecvText(), "hello");

  c.SendFrame(WsOpcode::kBinary, std::string("\x00\x01\xff", 3));
  auto bin = c.Recv();
  ASSERT_TRUE(bin);
  EXPECT_EQ(bin->kind, Kind::kBinary);
  EXPECT_EQ(bin->payload, std::string("\x00\x01\xff", 3));

  c.SendFrame(WsOpcode::kText, "frag", false);
  c.SendFrame(WsOpcode::kPing, "mid");
  c.SendFrame(WsOpcode::kContinuation, "mented");
  auto pong = c.Recv();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->kind, Kind::kPong);
  EXPECT_EQ(pong->payload, "mid");
  EXPECT_EQ(c.RecvText(), "fragmented");

  const std::string big(60'000, 'z');  // > one socket read on some systems, < max frame
  c.SendText(big);
  EXPECT_EQ(c.RecvText(), big);
  EXPECT_EQ(server.hub().open_count(), 1u);
}

TEST(WsHubTest, BytesTrickleInOneAtATime) {
  TestServer server(FastOptions());
  WsTestClient c;
  ASSERT_EQ(c.Connect(server.port()), 101);
  const std::string wire = EncodeWsFrame(WsOpcode::kText, "slowly", true, WsMaskKey{9, 8, 7, 6});
  for (char ch : wire) {
    c.SendRaw(std::string_view(&ch, 1));
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_EQ(c.RecvText(), "slowly");
}

TEST(WsHubTest, ClientInitiatedCloseHandshake) {
  auto session = std::make_shared<RecordingSession>();
  TestServer server(FastOptions(), Route("/ws/rec", session));
  WsTestClient c;
  ASSERT_EQ(c.Connect(server.port(), "/ws/rec"), 101);
  ASSERT_TRUE(session->WaitOpen(1));
  c.SendClose(1000, "bye");
  auto m = c.Recv();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kClose);
  EXPECT_EQ(m->code, 1000);
  EXPECT_TRUE(c.WaitEof());
  ASSERT_TRUE(session->WaitClosed(1));
  EXPECT_EQ(session->CloseCodes(), std::vector<std::uint16_t>{1000});
  EXPECT_EQ(server.hub().open_count(), 0u);
}

TEST(WsHubTest, ServerInitiatedCloseFromOnOpen) {
  auto session = std::make_shared<RecordingSession>();
  session->on_open = [](WsConnection& conn) { conn.Close(4001, "unauthenticated"); };
  TestServer server(FastOptions(), Route("/ws/rec", session));
  WsTestClient c;
  ASSERT_EQ(c.Connect(server.port(), "/ws/rec"), 101);
  auto m = c.Recv();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kClose);
  EXPECT_EQ(m->code, 4001);
  EXPECT_EQ(m->payload, "unauthenticated");
  c.SendClose(4001);  // the client answers; the server then closes the TCP
  EXPECT_TRUE(c.WaitEof());
  ASSERT_TRUE(session->WaitClosed(1));
  EXPECT_EQ(session->CloseCodes(), std::vector<std::uint16_t>{4001});
}

TEST(WsHubTest, OversizeFrameClosesWith1009) {
  WsOptions o = FastOptions();
  o.max_frame_bytes = 1024;
  o.max_message_bytes = 4096;
  TestServer server(o);
  WsTestClient c;
  ASSERT_EQ(c.Connect(server.port()), 101);
  c.SendText(std::string(2000, 'x'));
  auto m = c.Recv();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kClose);
  EXPECT_EQ(m->code, ws_close::kMessageTooBig);
  EXPECT_TRUE(c.WaitEof());
  EXPECT_EQ(server.hub().stats().protocol_errors, 1u);
}

TEST(WsHubTest, OversizeFragmentedMessageClosesWith1009) {
  WsOptions o = FastOptions();
  o.max_frame_bytes = 1024;
  o.max_message_bytes = 2048;
  TestServer server(o);
  WsTestClient c;
  ASSERT_EQ(c.Connect(server.port()), 101);
  for (int i = 0; i < 3; ++i) c.SendFrame(i == 0 ? WsOpcode::kText : WsOpcode::kContinuation, std::string(1000, 'x'), false);
  auto m = c.Recv();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->code, ws_close::kMessageTooBig);
}

TEST(WsHubTest, UnmaskedFrameClosesWith1002) {
  TestServer server(FastOptions());
  WsTestClient c;
  ASSERT_EQ(c.Connect(server.port()), 101);
  c.SendRaw(EncodeWsFrame(WsOpcode::kText, "no mask"));
  auto m = c.Recv();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Kind::kClose);
  EXPECT_EQ(m->code, ws_close::kProtocolError);
  EXPECT_TRUE(c.WaitEof());
}

TEST(WsHubTest, SilentClientIsPingedThenClosedButAnsweringClientStays) {
  // The hub's keepalive runs on an injected monotonic clock that only the test moves, so nothing
  // here depends on how fast the machine is: each step waits for its frame with a generous deadline.
  std::atomic<std::int64_t> now_ms{0};
  WsOptions o;
  o.ping_interval_ms = 100;
  o.idle_timeout_ms = 400;
  o.close_timeout_ms = 300;
  o.monotonic = [&now_ms] { return std::chrono::nanoseconds(std::chrono::milliseconds(now_ms.load())); };
  auto session = std::make_shared<RecordingSession>();
  TestServer server(o, Route("/ws/rec", session));
  WsTestClient silent, alive;
  ASSERT_EQ(silent.Connect(server.port(), "/ws/rec"), 101);
  ASSERT_EQ(alive.Connect(server.port(), "/ws/rec"), 101);
  ASSERT_TRUE(session->WaitOpen(2));
  // The next ping: `alive` answers it, `silent` only reads it.
  auto next_ping = [](WsTestClient& c) {
    while (auto m = c.Recv(30s)) {
      if (m->kind == Kind::kPing) return std::optional<WsMessage>(m);
    }
    return std::optional<WsMessage>();
  };
  now_ms = 150;
  auto ping = next_ping(alive);
  ASSERT_TRUE(ping);
  alive.SendFrame(WsOpcode::kPong, ping->payload);  // read at 150 or later: alive heard from
  ASSERT_TRUE(next_ping(silent));
  now_ms = 300;
  ASSERT_TRUE(next_ping(silent));  // and again, ping_interval later
  EXPECT_EQ(server.hub().stats().idle_timeouts, 0u);
  // 450 ms of silence is past the 400 ms idle timeout: `silent` is closed, `alive` is not.
  now_ms = 450;
  std::optional<WsMessage> close;
  while (auto m = silent.Recv(30s)) {
    if (m->kind == Kind::kClose) {
      close = m;
      break;
    }
  }
  ASSERT_TRUE(close);
  EXPECT_EQ(close->code, ws_close::kGoingAway);
  EXPECT_EQ(close->payload, "idle timeout");
  alive.SendText("still here");  // heard from at 450
  ASSERT_TRUE(session->WaitTexts(1, 30s));
  // No close reply from `silent`: the close timeout (300 ms) ends the TCP connection.
  now_ms = 800;
  EXPECT_TRUE(silent.WaitEof(30s));
  alive.SendText("and here");
  EXPECT_TRUE(session->WaitTexts(2, 30s));
  EXPECT_EQ(server.hub().stats().idle_timeouts, 1u);
  // The client sees EOF before the loop has finished closing its side: wait for the count.
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (server.hub().open_count() != 1u && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(server.hub().open_count(), 1u);
}

TEST(WsHubTest, SlowReaderIsDroppedWhileHealthyClientKeepsReceiving) {
  WsOptions o = FastOptions();
  o.max_queue_bytes = 256 * 1024;
  o.send_buffer_bytes = 64 * 1024;  // else loopback autotuning lets the kernel absorb megabytes
  auto session = std::make_shared<RecordingSession>();
  TestServer server(o, Route("/ws/rec", session));
  WsTestClient slow, healthy;
  ASSERT_EQ(slow.Connect(server.port(), "/ws/rec", /*rcvbuf=*/4096), 101);
  ASSERT_EQ(healthy.Connect(server.port(), "/ws/rec"), 101);
  ASSERT_TRUE(session->WaitOpen(2));

  constexpr int kMessages = 4000;
  std::atomic<int> received{0};
  std::thread reader([&] {
    for (int i = 0; i < kMessages; ++i) {
      auto text = healthy.RecvText(10s);
      if (!text || *text != "msg " + std::to_string(i) + std::string(1000, '.')) return;
      received = i + 1;
    }
  });
  auto conns = session->Connections();
  for (int i = 0; i < kMessages; ++i) {
    // Paced to what a healthy reader keeps up with (at most ~100 KB in flight to it); the slow
    // reader reads nothing, so its backlog grows until the queue limit drops it.
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (i - received.load() > 100 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
    auto frame = WsHub::EncodeText("msg " + std::to_string(i) + std::string(1000, '.'));
    for (auto& conn : conns) conn->SendShared(frame);
  }
  reader.join();
  EXPECT_EQ(received.load(), kMessages);
  ASSERT_TRUE(session->WaitClosed(1));
  EXPECT_EQ(session->CloseCodes(), std::vector<std::uint16_t>{ws_close::kAbnormal});
  EXPECT_EQ(server.hub().stats().dropped_slow_readers, 1u);
  EXPECT_EQ(server.hub().open_count(), 1u);
  EXPECT_TRUE(slow.WaitEof(5s));  // after draining whatever the kernel held
}

TEST(WsHubTest, BroadcastToManyEncodesOnce) {
  WsOptions o = FastOptions();
  o.loop_threads = 2;
  auto session = std::make_shared<RecordingSession>();
  TestServer server(o, Route("/ws/rec", session));
  constexpr int kClients = 300;
  constexpr int kMessages = 50;
  std::vector<std::unique_ptr<WsTestClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<WsTestClient>());
    ASSERT_EQ(clients.back()->Connect(server.port(), "/ws/rec"), 101);
  }
  ASSERT_TRUE(session->WaitOpen(kClients));
  auto conns = session->Connections();
  ASSERT_EQ(conns.size(), static_cast<std::size_t>(kClients));
  std::thread sender([&] {
    for (int m = 0; m < kMessages; ++m) {
      auto frame = WsHub::EncodeText("broadcast " + std::to_string(m));
      for (auto& conn : conns) EXPECT_TRUE(conn->SendShared(frame));
      EXPECT_GE(frame.use_count(), 1);
    }
  });
  sender.join();
  for (auto& client : clients) {
    for (int m = 0; m < kMessages; ++m) {
      auto text = client->RecvText(5s);
      ASSERT_EQ(text, "broadcast " + std::to_string(m));
    }
  }
  EXPECT_EQ(server.hub().stats().messages_out, static_cast<std::uint64_t>(kClients * kMessages));
}

TEST(WsHubTest, SendFromManyThreadsWhileEchoing) {
  auto session = std::make_shared<RecordingSession>();
  session->echo = true;
  TestServer server(FastOptions(), Route("/ws/rec", session));
  WsTestClient c;
  ASSERT_EQ(c.Connect(server.port(), "/ws/rec"), 101);
  ASSERT_TRUE(session->WaitOpen(1));
  auto conn = session->Connections().at(0);
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) conn->SendText("t" + std::to_string(t) + ":" + std::to_string(i));
    });
  }
  for (int i = 0; i < 100; ++i) c.SendText("echo " + std::to_string(i));
  for (auto& s : senders) s.join();
  std::map<int, int> next;  // per sender thread, messages arrive in order
  int echoes = 0;
  for (int i = 0; i < 900; ++i) {
    auto text = c.RecvText(5s);
    ASSERT_TRUE(text) << i;
    if (text->rfind("echo ", 0) == 0) {
      EXPECT_EQ(*text, "echo " + std::to_string(echoes++));
      continue;
    }
    const int t = (*text)[1] - '0';
    EXPECT_EQ(*text, "t" + std::to_string(t) + ":" + std::to_string(next[t]++));
  }
  EXPECT_EQ(echoes, 100);
}

TEST(WsHubTest, RefusalsBeforeUpgrade) {
  auto deny = std::map<std::string, WsSessionFactory>{
      {"/ws/deny", [](const Poco::Net::HTTPServerRequest&) { return std::shared_ptr<WsSessionHandler>(); }}};
  TestServer server(FastOptions(), deny);
  {
    WsTestClient c;
    EXPECT_EQ(c.Connect(server.port(), "/ws/deny"), 403);
  }
  {
    WsTestClient c;  // an upgrade route asked without the upgrade headers
    ASSERT_NE(c.Connect(server.port(), "/nothing"), 101);
  }
  {
    WsTestClient c;
    EXPECT_EQ(c.Connect(server.port(), "/ws/test/echo", 0, "Sec-WebSocket-Version: 8\r\n"), 426);
  }
  EXPECT_EQ(server.hub().stats().opened_total, 0u);
}

TEST(WsHubTest, StopClosesEverySocketWith1001) {
  auto session = std::make_shared<RecordingSession>();
  auto server = std::make_unique<TestServer>(FastOptions(), Route("/ws/rec", session));
  std::vector<std::unique_ptr<WsTestClient>> clients;
  for (int i = 0; i < 10; ++i) {
    clients.push_back(std::make_unique<WsTestClient>());
    ASSERT_EQ(clients.back()->Connect(server->port(), "/ws/rec"), 101);
  }
  ASSERT_TRUE(session->WaitOpen(10));
  server->hub().Stop();
  EXPECT_EQ(session->CloseCodes().size(), 10u);
  for (auto code : session->CloseCodes()) EXPECT_EQ(code, ws_close::kGoingAway);
  for (auto& c : clients) {
    auto m = c->Recv(2s);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->kind, Kind::kClose);
    EXPECT_EQ(m->code, ws_close::kGoingAway);
  }
  EXPECT_EQ(server->hub().open_count(), 0u);
  auto conn = session->Connections();
  EXPECT_TRUE(conn.empty());
}

TEST(WsHubTest, ThousandIdleSocketsKeepThreadCountBounded) {
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < 4096) {
    rl.rlim_cur = std::min<rlim_t>(rl.rlim_max, 8192);
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
  ASSERT_GE(rl.rlim_cur, 2200u) << "RLIMIT_NOFILE is too low for 1,000 sockets on each side (raise ulimit -Hn)";
  TestServer server(FastOptions());
  const int threads_before = testing::ThreadCount();
  std::vector<std::unique_ptr<WsTestClient>> clients;
  for (int i = 0; i < 1000; ++i) {
    clients.push_back(std::make_unique<WsTestClient>());
    ASSERT_EQ(clients.back()->Connect(server.port()), 101) << i;
  }
  for (int i = 0; i < 1000 && server.hub().open_count() < 1000; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server.hub().open_count(), 1000u);
  const int threads = testing::ThreadCount();
  EXPECT_LE(threads, 64) << "before: " << threads_before;
  for (int i : {0, 499, 999}) {
    clients[static_cast<std::size_t>(i)]->SendText("ping " + std::to_string(i));
    EXPECT_EQ(clients[static_cast<std::size_t>(i)]->RecvText(), "ping " + std::to_string(i));
  }
}

}  // namespace
}  // namespace clash::host
