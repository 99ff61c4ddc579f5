// Fuzz target: what a chat or notification socket decodes (the client's JSON frames, clash/chat.h
// ChatConnection::Receive) and the chat's envelope between hosts (libclash/src/chat/frames.h).
// First byte % 3: 0 a chat socket frame, 1 a notification socket frame, 2 a PubSub envelope.
// Socket frames are handled on the chat's worker threads, so after each input the harness sends
// {"action":"auth"} with the user's valid token and waits for its "auth" reply: frames of one
// connection run in order, so the input has been handled by then (and a socket that stops
// answering is a finding). The fuzzer cannot produce that reply itself (it has no valid token).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chat/frames.h"
#include "clash/chat.h"
#include "fuzz_engine.h"

namespace {

class CountingPeer final : public clash::ChatPeer {
 public:
  bool Send(const clash::ChatFramePtr& frame) override {
    nlohmann::json j = nlohmann::json::parse(frame->json(), nullptr, false);
    if (!j.is_object()) __builtin_trap();  // the library only sends JSON objects
    std::lock_guard<std::mutex> lock(mu_);
    if (j.value("type", "") == "auth") ++auth_replies_;
    cv_.notify_all();
    return !closed_;
  }
  void Close(int, std::string_view) override {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  // Waits (generously) for auth reply number `n`; false if the socket closed instead.
  bool WaitAuth(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(60), [&] { return auth_replies_ >= n || closed_; })) {
      std::fprintf(stderr, "socket stopped answering\n");
      __builtin_trap();
    }
    return auth_replies_ >= n;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int auth_replies_ = 0;
  bool closed_ = false;
};

struct Socket {
  std::shared_ptr<CountingPeer> peer;
  std::shared_ptr<clash::ChatConnection> conn;
  int sent = 0;
};

Socket OpenSocket(bool chat) {
  clash::fuzz::FuzzEngine& fe = clash::fuzz::SharedEngine();
  clash::Chat& c = fe.engine->chat();
  Socket s;
  s.peer = std::make_shared<CountingPeer>();
  auto ticket = chat ? c.Admit(fe.user.access_token, "global", std::nullopt) : c.notifications().Admit(fe.user.access_token);
  if (!ticket.ok()) std::abort();
  s.conn = chat ? c.Open(*ticket, s.peer) : c.notifications().Open(*ticket, s.peer);
  return s;
}

void FeedSocket(Socket& s, bool chat, std::string_view frame) {
  if (!s.conn) s = OpenSocket(chat);
  s.conn->Receive(frame);
  s.conn->Receive(R"({"action":"auth","token":")" + clash::fuzz::SharedEngine().user.access_token + "\"}");
  if (!s.peer->WaitAuth(++s.sent)) {  // closed (e.g. a policy close): the next input opens a new one
    s.conn->Closed();
    s = Socket();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Socket chat_socket;
  static Socket notification_socket;
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: FeedSocket(chat_socket, true, rest); break;
    case 1: FeedSocket(notification_socket, false, rest); break;
    default: {
      if (auto e = clash::internal::DecodeEnvelope(rest)) {
        if (e->kind == 'T' || e->kind == 'P') (void)clash::internal::ParseUsersJson(e->body);
        auto again = clash::internal::DecodeEnvelope(clash::internal::EncodeEnvelope(e->kind, e->host, e->seq, e->body));
        if (!again || again->body != e->body || again->seq != e->seq) __builtin_trap();
      }
      break;
    }
  }
  return 0;
}
